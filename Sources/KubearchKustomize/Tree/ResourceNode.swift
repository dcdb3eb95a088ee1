import KubearchCore

/// A node of an object being rendered: a JSON-like value that transformers and patches change, each
/// part remembering where it came from (`origin`).
///
/// `YAMLNode` describes text exactly as written and is immutable in spirit; rendering needs the
/// opposite: values merged from several files, keys replaced, lists edited. Aliases and merge keys
/// are resolved when a document is loaded, as kustomize's YAML reader resolves them.
public struct ResourceNode: Sendable {
    public enum Value: Sendable {
        /// `quoted` is false for plain scalars, which YAML may read as numbers, booleans or null.
        case scalar(String, quoted: Bool)
        case mapping([(key: String, value: ResourceNode)])
        case sequence([ResourceNode])
    }

    public var value: Value
    public var origin: Origin?
    /// A selector expression that `fix` wrote (its `# managed by kubearch` marker, or any
    /// expression in a patch file kubearch manages).
    public var isManaged: Bool

    public init(_ value: Value, origin: Origin? = nil, isManaged: Bool = false) {
        self.value = value
        self.origin = origin
        self.isManaged = isManaged
    }

    public static func string(_ text: String, origin: Origin? = nil) -> ResourceNode {
        ResourceNode(.scalar(text, quoted: true), origin: origin)
    }

    public static func mapping(_ pairs: [(key: String, value: ResourceNode)], origin: Origin? = nil) -> ResourceNode {
        ResourceNode(.mapping(pairs), origin: origin)
    }

    /// The text of a scalar; nil for collections and for a plain null.
    public var scalar: String? {
        guard case .scalar(let text, let quoted) = value else { return nil }
        return !quoted && Self.isNullText(text) ? nil : text
    }

    public var isNull: Bool {
        if case .scalar(let text, false) = value { return Self.isNullText(text) }
        return false
    }

    static func isNullText(_ text: String) -> Bool {
        text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    public var pairs: [(key: String, value: ResourceNode)]? {
        if case .mapping(let pairs) = value { return pairs }
        return nil
    }

    public var items: [ResourceNode]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    public subscript(key: String) -> ResourceNode? {
        get { pairs?.first { $0.key == key }?.value }
        set {
            guard case .mapping(var pairs) = value else { return }
            if let index = pairs.firstIndex(where: { $0.key == key }) {
                if let newValue { pairs[index].value = newValue } else { pairs.remove(at: index) }
            } else if let newValue {
                pairs.append((key, newValue))
            }
            value = .mapping(pairs)
        }
    }

    public func value(at path: [String]) -> ResourceNode? {
        var node = self
        for key in path {
            guard let next = node[key] else { return nil }
            node = next
        }
        return node
    }

    /// Sets the value at `path`, creating mappings on the way (as kustomize's `create: true` field specs do).
    public mutating func set(_ newValue: ResourceNode, at path: [String]) {
        guard let first = path.first else {
            self = newValue
            return
        }
        var child = self[first] ?? ResourceNode(.mapping([]), origin: newValue.origin)
        if child.pairs == nil, path.count > 1 { child = ResourceNode(.mapping([]), origin: newValue.origin) }
        child.set(newValue, at: Array(path.dropFirst()))
        self[first] = child
    }

    /// Every origin in this subtree, for deciding which documents own a part of a rendered object.
    public var origins: Set<Origin> {
        var found: Set<Origin> = []
        var pending = [self]
        while let node = pending.popLast() {
            if let origin = node.origin { found.insert(origin) }
            switch node.value {
            case .scalar: break
            case .mapping(let pairs): pending += pairs.map(\.value)
            case .sequence(let items): pending += items
            }
        }
        return found
    }
}

extension ResourceNode {
    /// Value equality (origins and markers ignored; mapping key order ignored, as it means nothing).
    public func sameValue(as other: ResourceNode) -> Bool {
        switch (value, other.value) {
        case (.scalar(let a, let aQuoted), .scalar(let b, let bQuoted)):
            return a == b && (aQuoted == bQuoted || Self.isStringLike(a, quoted: aQuoted) == Self.isStringLike(b, quoted: bQuoted))
        case (.sequence(let a), .sequence(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameValue(as: $1) }
        case (.mapping(let a), .mapping(let b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { pair in b.first { $0.key == pair.key }.map { $0.value.sameValue(as: pair.value) } ?? false }
        default:
            return false
        }
    }

    /// A plain scalar that YAML would not read as a number, boolean or null is a string like a quoted one.
    static func isStringLike(_ text: String, quoted: Bool) -> Bool {
        if quoted { return true }
        if isNullText(text) { return false }
        if ["true", "false", "True", "False", "TRUE", "FALSE"].contains(text) { return false }
        return Int(text) == nil && Double(text) == nil
    }
}
