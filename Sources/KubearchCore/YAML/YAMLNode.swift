/// How a scalar was written; `fix` keeps the style of what it touches.
public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// Block (`key: value` on lines) or flow (`{a: b}`, `[a, b]`, and all of JSON).
public enum CollectionStyle: Sendable, Hashable {
    case block, flow
}

/// One node of a YAML document, with the exact bytes it spans in the source.
///
/// A quoted scalar's range includes its quotes; a block scalar's includes its indicator and trailing
/// line break (as libyaml reports them). An alias keeps the node it refers to; copies share storage,
/// so alias-heavy input costs memory linear in its size.
public struct YAMLNode: Sendable {
    // Only `alias` is indirect: the other payloads already live on the heap, and boxing every
    // node's content would cost an allocation per node.
    public enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode], CollectionStyle)
        case mapping([YAMLPair], CollectionStyle)
        indirect case alias(String, target: YAMLNode)
    }

    public var content: Content
    public var range: SourceRange
    public var tag: String?
    public var anchor: String?

    public init(content: Content, range: SourceRange, tag: String? = nil, anchor: String? = nil) {
        self.content = content
        self.range = range
        self.tag = tag
        self.anchor = anchor
    }

    public var start: SourcePosition { range.start }
    public var end: SourcePosition { range.end }
}

public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

extension YAMLNode {
    /// The node an alias points to (through chains of aliases), or the node itself.
    public var resolved: YAMLNode {
        var node = self
        while case .alias(_, let target) = node.content { node = target }
        return node
    }

    /// The text of a scalar (after resolving aliases); nil for collections.
    public var scalar: String? {
        // Read through the content directly: lookups call this for every key they pass.
        switch content {
        case .scalar(let value, _): value
        case .alias(_, let target): target.scalar
        case .sequence, .mapping: nil
        }
    }

    /// A plain `null`, `~` or empty scalar: what YAML reads as null.
    public var isNull: Bool {
        guard case .scalar(let value, .plain) = resolved.content else { return false }
        return value.isEmpty || value == "~" || value == "null" || value == "Null" || value == "NULL"
    }

    /// Items of a sequence (aliases resolved); nil for anything else.
    public var sequence: [YAMLNode]? {
        switch content {
        case .sequence(let items, _):
            // Only build a new array when some item actually is an alias.
            return items.contains(where: \.isAlias) ? items.map(\.resolved) : items
        case .alias(_, let target): return target.sequence
        case .scalar, .mapping: return nil
        }
    }

    var isAlias: Bool {
        if case .alias = content { return true }
        return false
    }

    /// Pairs of a mapping as written (no merge keys applied); nil for anything else.
    public var pairs: [YAMLPair]? {
        switch content {
        case .mapping(let pairs, _): pairs
        case .alias(_, let target): target.pairs
        case .scalar, .sequence: nil
        }
    }

    public var isMapping: Bool { pairs != nil }

    public var collectionStyle: CollectionStyle? {
        switch resolved.content {
        case .mapping(_, let style), .sequence(_, let style): style
        case .scalar, .alias: nil
        }
    }

    /// The pair whose key is the scalar `key`. Explicit keys win over `<<` merge keys, as YAML 1.1
    /// (and so Kubernetes' parser) reads them.
    ///
    /// Merge sources are searched depth-first in order, each mapping once and without recursion:
    /// mappings that merge many aliases of mappings that merge many aliases (a "billion laughs" of
    /// merge keys) would otherwise cost exponential time, and a long chain of merges a deep stack.
    public func pair(forKey key: String) -> YAMLPair? {
        guard let pairs else { return nil }
        if let found = Self.explicitPair(forKey: key, in: pairs) { return found }
        // Most lookups that miss are in mappings without merge keys: no arrays for them.
        guard pairs.contains(where: \.key.isMergeKey) else { return nil }
        var pending = Array(Self.mergeSources(of: pairs).reversed())
        guard !pending.isEmpty else { return nil }
        var searched: Set<Int> = []
        while let source = pending.popLast() {
            guard searched.insert(source.start.offset).inserted, let sourcePairs = source.pairs else { continue }
            if let found = Self.explicitPair(forKey: key, in: sourcePairs) { return found }
            pending += Self.mergeSources(of: sourcePairs).reversed()
        }
        return nil
    }

    private static func explicitPair(forKey key: String, in pairs: [YAMLPair]) -> YAMLPair? {
        pairs.first { $0.key.scalar == key && !$0.key.isMergeKey }
    }

    private static func mergeSources(of pairs: [YAMLPair]) -> [YAMLNode] {
        pairs.filter(\.key.isMergeKey).flatMap(\.value.mergeSources)
    }

    /// The value for `key` in a mapping, aliases resolved.
    public subscript(key: String) -> YAMLNode? {
        pair(forKey: key)?.value.resolved
    }

    /// Follows a path of mapping keys.
    public func value(at path: [String]) -> YAMLNode? {
        var node = self
        for key in path {
            guard let next = node[key] else { return nil }
            node = next
        }
        return node
    }

    var isMergeKey: Bool {
        if case .scalar("<<", .plain) = content { return true }
        return false
    }

    private var mergeSources: [YAMLNode] {
        let value = resolved
        if value.isMapping { return [value] }
        return value.sequence?.filter(\.isMapping) ?? []
    }
}
