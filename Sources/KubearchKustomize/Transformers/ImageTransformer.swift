/// kustomize's `images:` transformer: every `image` of an item in a `containers` or
/// `initContainers` list, anywhere in an object, whose name part is the entry's `name` exactly
/// (`nginx` does not match `docker.io/library/nginx`) gets the entry's newName, newTag and digest.
enum ImageTransformer {
    static func apply(_ override: ImageOverride, to resources: inout [Resource]) {
        for index in resources.indices {
            rewrite(&resources[index].tree, override)
        }
    }

    private static func rewrite(_ node: inout ResourceNode, _ override: ImageOverride) {
        guard case .mapping(var pairs) = node.value else {
            if case .sequence(var items) = node.value {
                for index in items.indices { rewrite(&items[index], override) }
                node.value = .sequence(items)
            }
            return
        }
        for index in pairs.indices {
            if pairs[index].key == "containers" || pairs[index].key == "initContainers", var items = pairs[index].value.items {
                for item in items.indices {
                    guard let image = items[item]["image"], let reference = image.scalar,
                          let updated = updated(reference, override)
                    else { continue }
                    items[item]["image"] = ResourceNode.string(updated, origin: override.origin)
                }
                pairs[index].value.value = .sequence(items)
            }
            rewrite(&pairs[index].value, override)
        }
        node.value = .mapping(pairs)
    }

    /// The new reference, or nil when the entry does not match (kustomize's `IsImageMatched`,
    /// `Split` and `ImageTagUpdater` semantics).
    static func updated(_ reference: String, _ override: ImageOverride) -> String? {
        guard matches(reference, name: override.name) else { return nil }
        var (name, tag, digest) = split(reference)
        if let newName = override.newName { name = newName }
        if let newTag = override.newTag, let newDigest = override.digest {
            tag = newTag
            digest = newDigest
        } else if let newTag = override.newTag {
            tag = newTag
            digest = ""
        } else if let newDigest = override.digest {
            tag = ""
            digest = newDigest
        }
        var result = name
        if !tag.isEmpty { result += ":" + tag }
        if !digest.isEmpty { result += "@" + digest }
        return result
    }

    /// `reference` is `name` followed by nothing, a tag, a digest, or both (compared literally).
    static func matches(_ reference: String, name: String) -> Bool {
        split(reference).name == name
    }

    /// Name, tag and digest as kustomize splits them: a `:` before the first `/` is a registry port.
    static func split(_ reference: String) -> (name: String, tag: String, digest: String) {
        let characters = Array(reference)
        let searchStart = characters.firstIndex(of: "/").map { $0 > 0 ? $0 : 0 } ?? 0
        let at = characters[searchStart...].firstIndex(of: "@")
        let colon = characters[searchStart...].firstIndex(of: ":")
        if let at, colon == nil || at < colon! {
            return (String(characters[..<at]), "", String(characters[(at + 1)...]))
        }
        if let colon, let at {
            return (String(characters[..<colon]), String(characters[(colon + 1)..<at]), String(characters[(at + 1)...]))
        }
        if let colon {
            return (String(characters[..<colon]), String(characters[(colon + 1)...]), "")
        }
        return (reference, "", "")
    }
}
