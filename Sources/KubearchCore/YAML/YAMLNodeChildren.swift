extension YAMLNode {
    /// The items of a sequence: a view into the tree, so reading them allocates nothing.
    public struct Items: RandomAccessCollection, Sendable {
        let tree: YAMLTree
        let start: Int
        public let count: Int
        /// Whether aliases among the items are returned as their targets (`YAMLNode.sequence`) or as
        /// written (`YAMLNode.content`).
        let resolving: Bool

        public var startIndex: Int { 0 }
        public var endIndex: Int { count }

        public subscript(position: Int) -> YAMLNode {
            precondition(position >= 0 && position < count, "sequence item index out of range")
            let node = YAMLNode(tree: tree, index: tree.children[start + position])
            return resolving ? node.resolved : node
        }
    }

    /// The entries of a mapping in source order: a view into the tree.
    public struct Pairs: RandomAccessCollection, Sendable {
        let tree: YAMLTree
        /// Index into the tree's children of the first key; keys and values alternate.
        let start: Int
        public let count: Int

        public var startIndex: Int { 0 }
        public var endIndex: Int { count }

        public subscript(position: Int) -> YAMLPair {
            precondition(position >= 0 && position < count, "mapping pair index out of range")
            let entry = start + 2 * position
            return YAMLPair(key: YAMLNode(tree: tree, index: tree.children[entry]),
                            value: YAMLNode(tree: tree, index: tree.children[entry + 1]))
        }

        /// The first pair whose key (not a `<<` merge key) is the scalar `key`. Compares keys in the
        /// tree's records without making a node for each one passed.
        func explicitPair(forKey key: String) -> YAMLPair? {
            var key = key
            return key.withUTF8 { keyBytes in
                let records = tree.records
                var entry = start
                let end = start + 2 * count
                while entry < end {
                    var keyIndex = tree.children[entry]
                    var record = records[Int(keyIndex)]
                    while record.kind == .alias {
                        keyIndex = record.payload
                        record = records[Int(keyIndex)]
                    }
                    if record.kind == .scalar, tree.value(of: record, equals: keyBytes) {
                        let written = YAMLNode(tree: tree, index: tree.children[entry])
                        if !written.isMergeKey {
                            return YAMLPair(key: written, value: YAMLNode(tree: tree, index: tree.children[entry + 1]))
                        }
                    }
                    entry += 2
                }
                return nil
            }
        }

        var hasMergeKey: Bool {
            var entry = start
            while entry < start + 2 * count {
                if YAMLNode(tree: tree, index: tree.children[entry]).isMergeKey { return true }
                entry += 2
            }
            return false
        }

        /// The mappings merged by this mapping's `<<` keys, in order.
        var mergeSources: [YAMLNode] {
            filter(\.key.isMergeKey).flatMap(\.value.mergeSourcesOfMergeValue)
        }
    }
}

/// `node.sequence ?? []` and `node.pairs ?? []` read as "no items". Only the empty literal exists:
/// a view cannot hold nodes of other trees, and `Never` elements make `[x]` a compile-time error.
extension YAMLNode.Items: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Never...) {
        self.init(tree: .empty, start: 0, count: 0, resolving: false)
    }
}

extension YAMLNode.Pairs: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Never...) {
        self.init(tree: .empty, start: 0, count: 0)
    }
}

extension YAMLNode {
    /// What a `<<` value merges: one mapping, or the mappings of a sequence.
    fileprivate var mergeSourcesOfMergeValue: [YAMLNode] {
        let value = resolved
        if value.isMapping { return [value] }
        return value.sequence?.filter(\.isMapping) ?? []
    }
}
