import FoundationEssentials

extension PatchTarget {
    /// Whether `resource` is selected: kind, group and version exactly; name and namespace as anchored
    /// regular expressions against any name or namespace the object has had; label and annotation
    /// selectors with `=`, `==`, `!=`, `key` and `!key` terms.
    func selects(_ resource: Resource) -> Bool {
        if let kind, !kind.isEmpty, kind != resource.kind { return false }
        let (resourceGroup, resourceVersion) = resource.groupVersion
        if let group, !group.isEmpty, group != resourceGroup { return false }
        if let version, !version.isEmpty, version != resourceVersion { return false }
        if let name, !name.isEmpty, !resource.identities.contains(where: { Self.fullMatch(name, $0.name ?? "") }) { return false }
        if let namespace, !namespace.isEmpty,
           !resource.identities.contains(where: { Self.fullMatch(namespace, Resource.effectiveNamespace($0.namespace)) }) {
            return false
        }
        if let labelSelector, !Self.matches(selector: labelSelector, resource.tree.value(at: ["metadata", "labels"])) { return false }
        if let annotationSelector, !Self.matches(selector: annotationSelector, resource.tree.value(at: ["metadata", "annotations"])) {
            return false
        }
        return true
    }

    static func fullMatch(_ pattern: String, _ text: String) -> Bool {
        guard let expression = try? Regex("^(?:" + pattern + ")$") else { return pattern == text }
        return (try? expression.wholeMatch(in: text)) != nil
    }

    static func matches(selector: String, _ labels: ResourceNode?) -> Bool {
        let values = Dictionary((labels?.pairs ?? []).map { ($0.key, $0.value.scalar ?? "") }, uniquingKeysWith: { first, _ in first })
        for term in selector.split(separator: ",").map({ $0.trimmingSpaces() }) where !term.isEmpty {
            if let range = term.firstRange(of: "!=") {
                let key = term[..<range.lowerBound].trimmingSpaces()
                if values[key] == term[range.upperBound...].trimmingSpaces() { return false }
            } else if let range = term.firstRange(of: "==") ?? term.firstRange(of: "=") {
                let key = term[..<range.lowerBound].trimmingSpaces()
                if values[key] != term[range.upperBound...].trimmingSpaces() { return false }
            } else if term.hasPrefix("!") {
                if values[String(term.dropFirst())] != nil { return false }
            } else if values[term] == nil {
                return false
            }
        }
        return true
    }
}
