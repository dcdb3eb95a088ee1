/// Whole-document equality as `PlainNode` defines it (scalars with style and tag, aliases by name,
/// collection style, tags and anchors ignored), walked over both trees at once. Building `PlainNode`
/// copies of two whole documents allocated a node per node and was most of `fix`'s verification.
enum PlainEquality {
    /// Equal once the mappings starting at `oldAside` / `newAside` (pod specs) have their
    /// `affinity.nodeAffinity` set aside, and then `affinity` itself if nothing else is left in it.
    static func equal(_ old: YAMLNode, settingAside oldAside: Set<Int>, _ new: YAMLNode, settingAside newAside: Set<Int>) -> Bool {
        switch (old.content, new.content) {
        case (.scalar(let oldText, let oldStyle), .scalar(let newText, let newStyle)):
            return oldText == newText && oldStyle == newStyle && old.tag == new.tag
        case (.alias(let oldName, _), .alias(let newName, _)):
            return oldName == newName
        case (.sequence(let oldItems, _), .sequence(let newItems, _)):
            guard oldItems.count == newItems.count else { return false }
            for (oldItem, newItem) in zip(oldItems, newItems)
            where !equal(oldItem, settingAside: oldAside, newItem, settingAside: newAside) {
                return false
            }
            return true
        case (.mapping(let oldPairs, _), .mapping(let newPairs, _)):
            let oldEntries = oldAside.contains(old.start.offset) ? settingAsideNodeAffinity(oldPairs) : oldPairs.map(Entry.init)
            let newEntries = newAside.contains(new.start.offset) ? settingAsideNodeAffinity(newPairs) : newPairs.map(Entry.init)
            return equal(oldEntries, settingAside: oldAside, newEntries, settingAside: newAside)
        default:
            return false
        }
    }

    /// A mapping entry; `remainingPairs` is set when its value is an `affinity` mapping whose
    /// `nodeAffinity` was set aside, and holds what is left of it.
    private struct Entry {
        var key: YAMLNode
        var value: YAMLNode
        var remainingPairs: [YAMLPair]?

        init(_ pair: YAMLPair) {
            key = pair.key
            value = pair.value
        }
    }

    private static func equal(_ old: [Entry], settingAside oldAside: Set<Int>, _ new: [Entry], settingAside newAside: Set<Int>) -> Bool {
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

    private static func settingAsideNodeAffinity(_ pairs: YAMLNode.Pairs) -> [Entry] {
        pairs.compactMap { pair in
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
}
