/// Whole-document equality as `PlainNode` defines it (scalars with style and tag, aliases by name,
/// collection style, tags and anchors ignored), walked over both trees at once. Building `PlainNode`
/// copies of two whole documents allocated a node per node and was most of `fix`'s verification.
enum PlainEquality {
    /// Equal once the mappings starting at `oldAside` / `newAside` (pod specs) have their
    /// `affinity.nodeAffinity` set aside, and then `affinity` itself if nothing else is left in it.
    static func equal(_ old: YAMLNode, settingAside oldAside: Set<Int>, _ new: YAMLNode, settingAside newAside: Set<Int>) -> Bool {
        // Records and value bytes are compared in place: going through `content` made a String of
        // every scalar of both documents, about a fifth of a fix's verification.
        let (oldRecord, newRecord) = (old.record, new.record)
        guard oldRecord.kind == newRecord.kind else { return false }
        switch oldRecord.kind {
        case .scalar:
            return oldRecord.style == newRecord.style && sameValue(oldRecord, in: old.tree, newRecord, in: new.tree)
                && (oldRecord.decoration < 0 && newRecord.decoration < 0 || old.tag == new.tag)
        case .alias:
            return old.tree.aliasNames[Int(oldRecord.count)] == new.tree.aliasNames[Int(newRecord.count)]
        case .sequence:
            guard oldRecord.count == newRecord.count else { return false }
            for offset in 0..<Int(oldRecord.count) {
                let oldItem = YAMLNode(tree: old.tree, index: old.tree.children[Int(oldRecord.payload) + offset])
                let newItem = YAMLNode(tree: new.tree, index: new.tree.children[Int(newRecord.payload) + offset])
                guard equal(oldItem, settingAside: oldAside, newItem, settingAside: newAside) else { return false }
            }
            return true
        case .mapping:
            let oldPodSpec = oldAside.contains(Int(oldRecord.startOffset))
            let newPodSpec = newAside.contains(Int(newRecord.startOffset))
            guard !oldPodSpec && !newPodSpec else {
                let oldPairs = YAMLNode.Pairs(tree: old.tree, start: Int(oldRecord.payload), count: Int(oldRecord.count) / 2)
                let newPairs = YAMLNode.Pairs(tree: new.tree, start: Int(newRecord.payload), count: Int(newRecord.count) / 2)
                let oldEntries = oldPodSpec ? settingAsideNodeAffinity(oldPairs) : oldPairs.map(Entry.init)
                let newEntries = newPodSpec ? settingAsideNodeAffinity(newPairs) : newPairs.map(Entry.init)
                return equal(oldEntries, settingAside: oldAside, newEntries, settingAside: newAside)
            }
            // Keys and values alternate in the children; keys are never pod specs.
            guard oldRecord.count == newRecord.count else { return false }
            for offset in 0..<Int(oldRecord.count) {
                let oldChild = YAMLNode(tree: old.tree, index: old.tree.children[Int(oldRecord.payload) + offset])
                let newChild = YAMLNode(tree: new.tree, index: new.tree.children[Int(newRecord.payload) + offset])
                let isKey = offset % 2 == 0
                guard equal(oldChild, settingAside: isKey ? [] : oldAside, newChild, settingAside: isKey ? [] : newAside) else { return false }
            }
            return true
        }
    }

    /// Whether two scalar records, of two trees, hold the same value byte for byte.
    private static func sameValue(_ old: YAMLTree.Record, in oldTree: YAMLTree, _ new: YAMLTree.Record, in newTree: YAMLTree) -> Bool {
        guard old.count == new.count else { return false }
        return newTree.values.withUnsafeBufferPointer { newValues in
            oldTree.value(of: old, equals: UnsafeBufferPointer(rebasing: newValues[Int(new.payload)..<Int(new.payload + new.count)]))
        }
    }

    /// A mapping entry; `remainingPairs` is set when its value is an `affinity` mapping whose
    /// `nodeAffinity` was set aside, and holds what is left of it.
    struct Entry {
        var key: YAMLNode
        var value: YAMLNode
        var remainingPairs: [YAMLPair]?

        init(_ pair: YAMLPair) {
            key = pair.key
            value = pair.value
        }
    }

    static func equal(_ old: [Entry], settingAside oldAside: Set<Int>, _ new: [Entry], settingAside newAside: Set<Int>) -> Bool {
        guard old.count == new.count else { return false }
        for (oldEntry, newEntry) in zip(old, new) {
            // Keys are never pod specs: nothing is set aside inside them.
            guard equal(oldEntry.key, settingAside: [], newEntry.key, settingAside: []) else { return false }
            if oldEntry.remainingPairs == nil && newEntry.remainingPairs == nil {
                guard equal(oldEntry.value, settingAside: oldAside, newEntry.value, settingAside: newAside) else { return false }
                continue
            }
            guard let oldPairs = oldEntry.remainingPairs ?? writtenPairs(oldEntry.value),
                  let newPairs = newEntry.remainingPairs ?? writtenPairs(newEntry.value),
                  equal(oldPairs.map(Entry.init), settingAside: oldAside, newPairs.map(Entry.init), settingAside: newAside)
            else { return false }
        }
        return true
    }

    /// The pairs of a mapping written in place (not through an alias, which never equals one).
    private static func writtenPairs(_ node: YAMLNode) -> [YAMLPair]? {
        if case .mapping(let pairs, _) = node.content { Array(pairs) } else { nil }
    }

    /// A pod spec's entries once `affinity.nodeAffinity` is set aside.
    static func settingAsideNodeAffinity(_ pairs: YAMLNode.Pairs) -> [Entry] {
        pairs.compactMap(entry(settingAsideNodeAffinity:))
    }

    /// A pod spec's pair as an entry, nil for an `affinity` that holds nothing once its
    /// `nodeAffinity` is set aside (no `affinity` at all is the same).
    static func entry(settingAsideNodeAffinity pair: YAMLPair) -> Entry? {
        var entry = Entry(pair)
        guard case .scalar("affinity", _) = pair.key.content else { return entry }
        switch pair.value.content {
        case .mapping(let children, _):
            let rest = children.filter { if case .scalar("nodeAffinity", _) = $0.key.content { false } else { true } }
            guard !rest.isEmpty else { return nil }
            entry.remainingPairs = rest
            return entry
        case .scalar(let text, .plain) where pair.value.tag == nil && ["", "~", "null", "Null", "NULL"].contains(text):
            return nil
        default:
            return entry
        }
    }
}
