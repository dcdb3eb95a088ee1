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
        case (.mapping(var oldPairs, _), .mapping(var newPairs, _)):
            if oldAside.contains(old.start.offset) { oldPairs = settingAsideNodeAffinity(oldPairs) }
            if newAside.contains(new.start.offset) { newPairs = settingAsideNodeAffinity(newPairs) }
            guard oldPairs.count == newPairs.count else { return false }
            for (oldPair, newPair) in zip(oldPairs, newPairs) {
                // Keys are never pod specs: nothing is set aside inside them.
                guard equal(oldPair.key, settingAside: [], newPair.key, settingAside: []),
                      equal(oldPair.value, settingAside: oldAside, newPair.value, settingAside: newAside)
                else { return false }
            }
            return true
        default:
            return false
        }
    }

    private static func settingAsideNodeAffinity(_ pairs: [YAMLPair]) -> [YAMLPair] {
        pairs.compactMap { pair in
            guard case .scalar("affinity", _) = pair.key.content else { return pair }
            switch pair.value.content {
            case .mapping(let children, let style):
                let rest = children.filter { if case .scalar("nodeAffinity", _) = $0.key.content { false } else { true } }
                guard !rest.isEmpty else { return nil }
                var value = pair.value
                value.content = .mapping(rest, style)
                return YAMLPair(key: pair.key, value: value)
            case .scalar(let text, .plain) where pair.value.tag == nil && ["", "~", "null", "Null", "NULL"].contains(text):
                return nil
            default:
                return pair
            }
        }
    }
}
