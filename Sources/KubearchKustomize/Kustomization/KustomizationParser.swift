import KubearchCore

/// Reads a kustomization file into `Kustomization`, rejecting what kustomize rejects (unknown
/// fields, wrong types) with the file, line and column, and noting what kubearch cannot render.
enum KustomizationParser {
    /// Every field of kustomize v5's `Kustomization` type.
    static let knownFields: Set<String> = [
        "apiVersion", "kind", "metadata", "openapi", "namePrefix", "nameSuffix", "namespace", "commonLabels",
        "labels", "commonAnnotations", "patchesStrategicMerge", "patchesJson6902", "patches", "images",
        "imageTags", "replacements", "replicas", "vars", "sortOptions", "resources", "components", "crds",
        "bases", "configMapGenerator", "secretGenerator", "helmGlobals", "helmCharts",
        "helmChartInflationGenerator", "generatorOptions", "configurations", "generators", "transformers",
        "validators", "buildMetadata",
    ]

    /// Fields whose presence alone means the rendering needs more than kubearch has offline.
    static let unsupportedFields: [String: String] = [
        "helmCharts": "Helm charts need `kustomize build --enable-helm` and helm",
        "helmChartInflationGenerator": "Helm charts need `kustomize build --enable-helm` and helm",
        "helmGlobals": "Helm charts need `kustomize build --enable-helm` and helm",
        "generators": "generator plugins run code kubearch does not run",
        "transformers": "transformer plugins run code kubearch does not run",
        "validators": "validator plugins run code kubearch does not run",
    ]

    static func parse(file: String, folder: String, bytes: [UInt8]) throws(RenderProblem) -> Kustomization {
        let stream = YAMLParser.parse(bytes)
        if let error = stream.error {
            throw RenderProblem(.invalid, file: file, position: error.position, "invalid YAML: \(error.message)")
        }
        guard let document = stream.documents.first else {
            throw RenderProblem(.invalid, file: file, position: SourcePosition(offset: 0, line: 1, column: 1), "empty kustomization")
        }
        let root = document.root.resolved
        guard let pairs = root.pairs else {
            throw RenderProblem(.invalid, file: file, position: root.start, "a kustomization must be a mapping")
        }
        let reader = FieldReader(file: file)
        let kind = root["kind"]?.scalar
        var result = Kustomization(file: file, folder: folder, bytes: bytes, root: root, isComponent: kind == "Component")
        for pair in pairs {
            guard let key = pair.key.scalar else { continue }
            guard knownFields.contains(key) else {
                throw RenderProblem(.invalid, file: file, position: pair.key.start, "unknown field `\(key)` in kustomization (kustomize rejects it)")
            }
            let value = pair.value.resolved
            if value.isNull { continue }
            if let reason = unsupportedFields[key] {
                result.unsupported.append(RenderProblem(.unsupported, file: file, position: pair.key.start, "`\(key)`: \(reason)"))
                continue
            }
            switch key {
            case "resources", "bases": result.resources += try reader.strings(value, field: key)
            case "components": result.components += try reader.strings(value, field: key)
            case "namespace": result.namespace = try reader.string(value, field: key)
            case "namePrefix": result.namePrefix = try reader.string(value, field: key)
            case "nameSuffix": result.nameSuffix = try reader.string(value, field: key)
            case "images", "imageTags": result.images += try reader.images(value, field: key)
            case "patchesStrategicMerge":
                result.strategicMergePatches += try reader.strings(value, field: key).map { entry in
                    // An entry is a path, or a patch written inline (it then spans lines or starts a mapping).
                    let isInline = entry.value.contains("\n") || entry.value.contains(": ")
                    return PatchEntry(source: isInline ? .inline(entry.value) : .file(entry.value), target: nil, position: entry.position)
                }
            case "patches": result.patches += try reader.patches(value, field: key)
            case "patchesJson6902": result.json6902Patches += try reader.patches(value, field: key)
            case "replicas": result.replicas += try reader.replicas(value, field: key)
            case "commonAnnotations":
                guard let entries = value.pairs else { throw reader.wrongType(value, field: key, expected: "a mapping") }
                result.commonAnnotations += entries.map {
                    ($0.key.scalar ?? "", ResourceNode.string($0.value.scalar ?? "", origin: Origin(file: file, position: $0.value.start)))
                }
            case "replacements", "vars":
                // Judged when the rendering is done: they matter only if they reach what kubearch reads.
                result.substitutions.append(Located(value: key, position: pair.key.start))
                if key == "replacements" { result.otherFiles += value.sequence?.compactMap { item in item["path"].flatMap { p in p.scalar.map { Located(value: $0, position: p.start) } } } ?? [] }
            case "configurations", "crds":
                result.otherFiles += try reader.strings(value, field: key)
            case "configMapGenerator", "secretGenerator":
                for generator in value.sequence ?? [] {
                    for field in ["files", "envs"] {
                        for item in generator[field]?.sequence ?? [] {
                            guard let text = item.scalar else { continue }
                            // `files` entries may be `key=path`.
                            let path = text.split(separator: "=", maxSplits: 1).last.map(String.init) ?? text
                            result.otherFiles.append(Located(value: path, position: item.start))
                        }
                    }
                    if let env = generator["env"], let text = env.scalar { result.otherFiles.append(Located(value: text, position: env.start)) }
                }
            default:
                continue  // labels, commonLabels, generatorOptions, sortOptions, …: no effect on what kubearch judges
            }
        }
        return result
    }
}

/// Typed reads of kustomization values (and of the same fields in GitOps objects), each failure located.
struct FieldReader {
    let file: String

    func wrongType(_ node: YAMLNode, field: String, expected: String) -> RenderProblem {
        RenderProblem(.invalid, file: file, position: node.start, "`\(field)` must be \(expected)")
    }

    func string(_ node: YAMLNode, field: String) throws(RenderProblem) -> Located<String> {
        guard let text = node.scalar else { throw wrongType(node, field: field, expected: "a string") }
        return Located(value: text, position: node.start)
    }

    func strings(_ node: YAMLNode, field: String) throws(RenderProblem) -> [Located<String>] {
        guard let items = node.sequence else { throw wrongType(node, field: field, expected: "a list of strings") }
        var result: [Located<String>] = []
        for item in items {
            guard let text = item.scalar else { throw wrongType(item, field: field, expected: "a list of strings") }
            result.append(Located(value: text, position: item.start))
        }
        return result
    }

    func images(_ node: YAMLNode, field: String) throws(RenderProblem) -> [ImageOverride] {
        guard let items = node.sequence else { throw wrongType(node, field: field, expected: "a list of images") }
        var result: [ImageOverride] = []
        for item in items {
            guard item.isMapping, let name = item["name"]?.scalar else {
                throw wrongType(item, field: field, expected: "a list of mappings with a `name`")
            }
            result.append(ImageOverride(
                name: name, newName: nonEmpty(item["newName"]?.scalar), newTag: nonEmpty(item["newTag"]?.scalar),
                digest: nonEmpty(item["digest"]?.scalar), origin: Origin(file: file, position: item.start)))
        }
        return result
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    func patches(_ node: YAMLNode, field: String) throws(RenderProblem) -> [PatchEntry] {
        guard let items = node.sequence else { throw wrongType(node, field: field, expected: "a list of patches") }
        var result: [PatchEntry] = []
        for item in items {
            guard item.isMapping else { throw wrongType(item, field: field, expected: "a list of mappings with `path` or `patch`") }
            var target: PatchTarget?
            if let selector = item["target"], !selector.isNull {
                guard selector.isMapping else { throw wrongType(selector, field: "\(field)[].target", expected: "a mapping") }
                target = PatchTarget(
                    group: selector["group"]?.scalar, version: selector["version"]?.scalar, kind: selector["kind"]?.scalar,
                    name: selector["name"]?.scalar, namespace: selector["namespace"]?.scalar,
                    labelSelector: selector["labelSelector"]?.scalar, annotationSelector: selector["annotationSelector"]?.scalar)
            }
            if let path = item["path"]?.scalar {
                result.append(PatchEntry(source: .file(path), target: target, position: item.start))
            } else if let patch = item["patch"]?.scalar {
                result.append(PatchEntry(source: .inline(patch), target: target, position: item["patch"]?.start ?? item.start))
            } else {
                throw wrongType(item, field: field, expected: "a list of mappings with `path` or `patch`")
            }
        }
        return result
    }

    func replicas(_ node: YAMLNode, field: String) throws(RenderProblem) -> [(name: String, count: ResourceNode, origin: Origin)] {
        guard let items = node.sequence else { throw wrongType(node, field: field, expected: "a list of replica counts") }
        var result: [(name: String, count: ResourceNode, origin: Origin)] = []
        for item in items {
            guard let name = item["name"]?.scalar, let count = item["count"], count.scalar != nil else {
                throw wrongType(item, field: field, expected: "a list of mappings with `name` and `count`")
            }
            let origin = Origin(file: file, position: item.start)
            result.append((name, ResourceNode(count, file: file, source: []), origin))
        }
        return result
    }
}
