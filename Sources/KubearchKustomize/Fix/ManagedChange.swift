/// The change `fix` makes to one rendered object, read off the object before and after the core's
/// own edit of the rendering: the affinity semantics stay in one place (the core's AffinityEditor),
/// and a kustomize patch only has to carry the difference.
struct ManagedChange: Sendable {
    enum Operation: Sendable {
        /// A key that was not there, or (`path` ending in `-`) an item after a list's last one.
        case add(path: [String], value: ResourceNode)
        case replace(path: [String], value: ResourceNode)
    }

    var operations: [Operation]
    /// Whether every operation adds a key to a mapping reached through mappings only: then one
    /// strategic-merge document says it (SPEC §11: a workload without required terms). Appending to a
    /// list, or anything under a list, needs JSON 6902: a strategic merge replaces those lists whole.
    var isStrategicMerge: Bool

    /// nil when `new` is not `old` plus additions and replacements (something was removed).
    init?(from old: ResourceNode, to new: ResourceNode) {
        var operations: [Operation] = []
        var throughList = false
        guard Self.diff(old, new, path: [], throughList: false, into: &operations, sawList: &throughList) else { return nil }
        self.operations = operations
        isStrategicMerge = !throughList && operations.allSatisfy { operation in
            if case .add(let path, _) = operation { return path.last != "-" }
            return false
        }
    }

    var isEmpty: Bool { operations.isEmpty }

    private static func diff(
        _ old: ResourceNode, _ new: ResourceNode, path: [String], throughList: Bool,
        into operations: inout [Operation], sawList: inout Bool
    ) -> Bool {
        switch (old.value, new.value) {
        case (.mapping(let oldPairs), .mapping(let newPairs)):
            guard oldPairs.allSatisfy({ pair in newPairs.contains { $0.key == pair.key } }) else { return false }
            for pair in newPairs {
                if let before = old[pair.key] {
                    guard diff(before, pair.value, path: path + [pair.key], throughList: throughList, into: &operations, sawList: &sawList) else { return false }
                } else {
                    operations.append(.add(path: path + [pair.key], value: pair.value))
                    if throughList { sawList = true }
                }
            }
            return true
        case (.sequence(let oldItems), .sequence(let newItems)):
            guard newItems.count >= oldItems.count else { return false }
            for (index, item) in oldItems.enumerated() {
                guard diff(item, newItems[index], path: path + [String(index)], throughList: true, into: &operations, sawList: &sawList) else { return false }
            }
            for item in newItems.dropFirst(oldItems.count) {
                operations.append(.add(path: path + ["-"], value: item))
                sawList = true
            }
            return true
        default:
            if !old.sameValue(as: new) {
                operations.append(.replace(path: path, value: new))
                sawList = true  // not a pure addition: JSON 6902 says it exactly
            }
            return true
        }
    }

    /// An RFC 6901 pointer.
    static func pointer(_ path: [String]) -> String {
        path.map { "/" + $0.replacing("~", with: "~0").replacing("/", with: "~1") }.joined()
    }

    /// The patch as JSON 6902 operations (a list of `{op, path, value}`).
    var jsonPatch: ResourceNode {
        ResourceNode(.sequence(operations.map { operation in
            let (op, path, value): (String, [String], ResourceNode)
            switch operation {
            case .add(let at, let added): (op, path, value) = ("add", at, added)
            case .replace(let at, let replaced): (op, path, value) = ("replace", at, replaced)
            }
            return .mapping([("op", .string(op)), ("path", .string(Self.pointer(path))), ("value", value)])
        }))
    }

    /// The patch as one strategic-merge document naming the object (valid when `isStrategicMerge`).
    func strategicMergePatch(apiVersion: String?, kind: String?, name: String?, namespace: String?) -> ResourceNode {
        var metadata: [(key: String, value: ResourceNode)] = []
        if let name { metadata.append(("name", .string(name))) }
        if let namespace { metadata.append(("namespace", .string(namespace))) }
        var document = ResourceNode.mapping([
            ("apiVersion", .string(apiVersion ?? "v1")), ("kind", .string(kind ?? "")), ("metadata", .mapping(metadata)),
        ])
        for case .add(let path, let value) in operations { document.set(value, at: path) }
        return document
    }
}
