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
/// line break (as libyaml reports them). A node is a position in its stream's `YAMLTree`: copying it
/// copies a reference and an index, never the subtree, and an alias refers to its target's record.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case sequence(Items, CollectionStyle)
        case mapping(Pairs, CollectionStyle)
        case alias(String, target: YAMLNode)
    }

    let tree: YAMLTree
    let index: Int32

    init(tree: YAMLTree, index: Int32) {
        self.tree = tree
        self.index = index
    }

    /// An empty block mapping at `position`: the root of an object with no fields yet.
    public static func emptyMapping(at position: SourcePosition) -> YAMLNode {
        YAMLNode(tree: .emptyMapping(at: position), index: 0)
    }

    var record: YAMLTree.Record { tree.records[Int(index)] }

    public var content: Content {
        let record = record
        switch record.kind {
        case .scalar:
            return .scalar(tree.text(of: record), ScalarStyle(rawValue: record.style))
        case .sequence:
            return .sequence(Items(tree: tree, start: Int(record.payload), count: Int(record.count), resolving: false),
                             CollectionStyle(rawValue: record.style))
        case .mapping:
            return .mapping(Pairs(tree: tree, start: Int(record.payload), count: Int(record.count) / 2),
                            CollectionStyle(rawValue: record.style))
        case .alias:
            return .alias(tree.aliasNames[Int(record.count)], target: YAMLNode(tree: tree, index: record.payload))
        }
    }

    /// `content` of a collection or an alias; nil for a scalar, whose text is then not made (walks
    /// that look only at structure pass every scalar of a document).
    var structure: Content? {
        record.kind == .scalar ? nil : content
    }

    public var range: SourceRange {
        let record = record
        return SourceRange(start: record.start, end: record.end)
    }

    public var start: SourcePosition { record.start }
    public var end: SourcePosition { record.end }

    public var tag: String? {
        let decoration = record.decoration
        return decoration < 0 ? nil : tree.decorations[Int(decoration)].tag
    }

    public var anchor: String? {
        let decoration = record.decoration
        return decoration < 0 ? nil : tree.decorations[Int(decoration)].anchor
    }
}

/// A mapping entry as written.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

extension YAMLNode {
    /// The record index an alias chain ends at (aliases always point to an earlier, finished node).
    private var resolvedIndex: Int32 {
        var current = index
        while true {
            let record = tree.records[Int(current)]
            guard record.kind == .alias else { return current }
            current = record.payload
        }
    }

    /// The node an alias points to (through chains of aliases), or the node itself.
    public var resolved: YAMLNode {
        record.kind == .alias ? YAMLNode(tree: tree, index: resolvedIndex) : self
    }

    /// The text of a scalar (after resolving aliases); nil for collections.
    public var scalar: String? {
        let record = tree.records[Int(resolvedIndex)]
        return record.kind == .scalar ? tree.text(of: record) : nil
    }

    /// How a scalar (after resolving aliases) was written; nil for collections.
    public var scalarStyle: ScalarStyle? {
        let record = tree.records[Int(resolvedIndex)]
        return record.kind == .scalar ? ScalarStyle(rawValue: record.style) : nil
    }

    /// A plain `null`, `~` or empty scalar: what YAML reads as null.
    public var isNull: Bool {
        let record = tree.records[Int(resolvedIndex)]
        guard record.kind == .scalar, record.style == ScalarStyle.plain.rawValue else { return false }
        return record.count == 0 || ["~", "null", "Null", "NULL"].contains { tree.value(of: record, equals: $0) }
    }

    /// Items of a sequence (aliases resolved); nil for anything else.
    public var sequence: Items? {
        let record = tree.records[Int(resolvedIndex)]
        guard record.kind == .sequence else { return nil }
        return Items(tree: tree, start: Int(record.payload), count: Int(record.count), resolving: true)
    }

    var isAlias: Bool { record.kind == .alias }

    /// Pairs of a mapping as written (no merge keys applied); nil for anything else.
    public var pairs: Pairs? {
        let record = tree.records[Int(resolvedIndex)]
        guard record.kind == .mapping else { return nil }
        return Pairs(tree: tree, start: Int(record.payload), count: Int(record.count) / 2)
    }

    public var isMapping: Bool { tree.records[Int(resolvedIndex)].kind == .mapping }

    public var collectionStyle: CollectionStyle? {
        let record = tree.records[Int(resolvedIndex)]
        switch record.kind {
        case .mapping, .sequence: return CollectionStyle(rawValue: record.style)
        case .scalar, .alias: return nil
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
        if let found = pairs.explicitPair(forKey: key) { return found }
        // Most lookups that miss are in mappings without merge keys: no arrays for them.
        guard pairs.hasMergeKey else { return nil }
        var pending = Array(pairs.mergeSources.reversed())
        var searched: Set<Int32> = []
        while let source = pending.popLast() {
            guard searched.insert(source.index).inserted, let sourcePairs = source.pairs else { continue }
            if let found = sourcePairs.explicitPair(forKey: key) { return found }
            pending += sourcePairs.mergeSources.reversed()
        }
        return nil
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
        YAMLTree.isMergeKey(record, in: tree.values)
    }
}
