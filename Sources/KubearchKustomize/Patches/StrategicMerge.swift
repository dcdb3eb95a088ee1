/// Strategic merge patch as kustomize applies it (SPEC §11): mappings merge key by key, a `null`
/// deletes, lists with a merge key (containers by `name`, …) merge item by item, every other list —
/// `nodeSelectorTerms`, `matchExpressions`, `tolerations`, preferred terms — is replaced whole.
/// Directives: `$patch: delete` and `$patch: replace` on mappings and list items; the bookkeeping
/// directives (`$setElementOrder/…`, `$retainKeys`, `$deleteFromPrimitiveList/…`) are dropped.
enum StrategicMerge {
    /// Merge keys of the Kubernetes schema for the lists of a pod spec and its containers.
    static let schemaMergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "volumes": "name",
        "imagePullSecrets": "name", "env": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
        "ports": "containerPort", "hostAliases": "ip", "topologySpreadConstraints": "topologyKey",
        "resourceClaims": "name",
    ]
    /// Lists the schema says are replaced whole, whatever their items look like.
    static let atomicLists: Set<String> = [
        "nodeSelectorTerms", "matchExpressions", "matchFields", "tolerations",
        "preferredDuringSchedulingIgnoredDuringExecution", "requiredDuringSchedulingIgnoredDuringExecution",
        "args", "command", "values",
    ]
    /// kyaml's keys for lists the schema does not describe (custom resources): a list whose items all
    /// carry one of them is merged by it.
    static let associativeKeys = ["mountPath", "devicePath", "ip", "type", "topologyKey", "name", "containerPort"]

    /// The patched value; nil when the patch deletes it.
    static func apply(_ patch: ResourceNode, to target: ResourceNode?, key: String? = nil) -> ResourceNode? {
        switch patch.value {
        case .mapping(let pairs):
            if let directive = patch["$patch"]?.scalar {
                if directive == "delete" { return nil }
                if directive == "replace" { return cleaned(patch) }
            }
            guard var result = target, result.pairs != nil else { return cleaned(patch) }
            for (patchKey, value) in pairs where !patchKey.hasPrefix("$") {
                if value.isNull {
                    result[patchKey] = nil
                } else {
                    result[patchKey] = apply(value, to: result[patchKey], key: patchKey)
                }
            }
            return result
        case .sequence(let items):
            guard let key, let existing = target?.items, let mergeKey = mergeKey(for: key, patchItems: items, targetItems: existing) else {
                return cleaned(patch)
            }
            if items.contains(where: { $0["$patch"]?.scalar == "replace" }) {
                return cleaned(ResourceNode(.sequence(items.filter { $0["$patch"]?.scalar != "replace" }), origin: patch.origin))
            }
            var merged = existing
            for item in items {
                let identity = item[mergeKey]?.scalar
                let index = merged.firstIndex { $0[mergeKey]?.scalar == identity && identity != nil }
                if item["$patch"]?.scalar == "delete" {
                    if let index { merged.remove(at: index) }
                } else if let index {
                    if let updated = apply(item, to: merged[index]) { merged[index] = updated } else { merged.remove(at: index) }
                } else {
                    merged.append(cleaned(item))
                }
            }
            var result = target ?? patch
            result.value = .sequence(merged)
            return result
        case .scalar:
            return patch
        }
    }

    static func mergeKey(for key: String, patchItems: [ResourceNode], targetItems: [ResourceNode]) -> String? {
        if atomicLists.contains(key) { return nil }
        if let known = schemaMergeKeys[key] { return known }
        guard !patchItems.isEmpty, patchItems.allSatisfy({ $0.pairs != nil }) else { return nil }
        return associativeKeys.first { candidate in patchItems.allSatisfy { $0[candidate]?.scalar != nil || $0["$patch"] != nil } }
    }

    /// A patch value as it lands where nothing was: directives removed, nulls dropped.
    static func cleaned(_ node: ResourceNode) -> ResourceNode {
        var node = node
        switch node.value {
        case .mapping(let pairs):
            node.value = .mapping(pairs.filter { !$0.key.hasPrefix("$") && !$0.value.isNull }.map { ($0.key, cleaned($0.value)) })
        case .sequence(let items):
            node.value = .sequence(items.filter { $0["$patch"]?.scalar != "delete" }.map(cleaned))
        case .scalar:
            break
        }
        return node
    }
}
