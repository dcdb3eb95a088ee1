import FoundationEssentials
import KubearchCore

/// Renders a kustomization root natively and offline with kustomize v5 semantics (SPEC §11): the
/// resources of a folder (inner kustomizations first), then its components, then its transformers
/// in kustomize's order — strategic-merge patches, `patches`, namespace, prefix and suffix,
/// annotations, JSON 6902 patches, replicas, images.
public struct KustomizeRenderer: Sendable {
    public let files: SourceFiles
    /// Leaves out the patch files kubearch manages: `fix` derives those from the rendering without them.
    public let skipsManagedPatches: Bool
    /// kustomize's `LoadRestrictionsNone` (Flux builds so): files may lie outside their
    /// kustomization's folder, though never outside the repository.
    var loadsOutsideFolders = false

    public init(files: SourceFiles, skipsManagedPatches: Bool = false) {
        self.files = files
        self.skipsManagedPatches = skipsManagedPatches
    }

    /// Every object the root renders, in kustomize's order, or the first problem met. `overrides`
    /// are a GitOps object's fields, merged into the root's kustomization as its controller does.
    public func render(root folder: String, overrides: GitOpsOverrides? = nil) -> Result<[Resource], RenderProblem> {
        var renderer = self
        renderer.loadsOutsideFolders = overrides?.loadsOutsideFolders ?? false
        do throws(RenderProblem) {
            return .success(try renderer.build(folder: folder, stack: [], accumulated: [], expectComponent: false, overrides: overrides))
        } catch {
            return .failure(error)
        }
    }

    /// Renders a root again as it was rendered (with its GitOps object's overrides, if any).
    public func render(_ root: RenderedRoot) -> Result<[Resource], RenderProblem> {
        render(root: root.folder, overrides: root.overrides)
    }

    /// Reads the kustomization of `folder` (for discovery and `fix`).
    public func kustomization(in folder: String) throws(RenderProblem) -> Kustomization {
        let display = files.displayPath(folder)
        let file: String
        switch files.kustomizationFile(in: folder) {
        case .success(let found?): file = found
        case .success(nil):
            throw RenderProblem(.invalid, file: display, position: Self.start, "no kustomization.yaml, kustomization.yml or Kustomization in this folder")
        case .failure(let error):
            throw RenderProblem(.invalid, file: display, position: Self.start, Self.describe(error))
        }
        let bytes: [UInt8]
        switch files.read(file) {
        case .success(let read): bytes = read
        case .failure(let error): throw RenderProblem(.invalid, file: files.displayPath(file), position: Self.start, Self.describe(error))
        }
        return try KustomizationParser.parse(file: files.displayPath(file), folder: folder, bytes: bytes)
    }

    static let start = SourcePosition(offset: 0, line: 1, column: 1)

    static func describe(_ error: SourceFiles.RenderFileError) -> String {
        switch error {
        case .missing: "no such file or directory"
        case .unreadable(let reason): reason
        }
    }

    private func build(
        folder: String, stack: [String], accumulated: [Resource], expectComponent: Bool, overrides: GitOpsOverrides? = nil
    ) throws(RenderProblem) -> [Resource] {
        let kustomization = if let overrides { try kustomization(in: folder, overrides: overrides) } else { try kustomization(in: folder) }
        let file = kustomization.file
        if let problem = kustomization.unsupported.first { throw problem }
        // A component may be rendered on its own only as a root (kustomize builds it like a kustomization).
        if expectComponent && !kustomization.isComponent || !expectComponent && kustomization.isComponent && !stack.isEmpty {
            throw RenderProblem(
                .invalid, file: file, position: kustomization.root.pair(forKey: "kind")?.value.start ?? Self.start,
                expectComponent ? "a component must have `kind: Component`" : "a `kind: Component` can only be listed under `components:`")
        }
        let stack = stack + [folder]
        var resources = accumulated
        for entry in kustomization.resources {
            resources += try loadResource(entry, of: kustomization, stack: stack)
        }
        try checkInputs(kustomization)
        resources += generated(by: kustomization, existing: resources)
        for entry in kustomization.components {
            let path = try localPath(entry, of: kustomization, mustStayInFolder: false)
            guard files.isDirectory(path) else {
                throw RenderProblem(.invalid, file: file, position: entry.position, "component `\(entry.value)` is not a folder")
            }
            if stack.contains(path) { throw cycle(entry, file: file) }
            resources = try build(folder: path, stack: stack, accumulated: resources, expectComponent: true)
        }
        // What the root's own patches see: the names before its namespace and affixes apply.
        if stack.count == 1 {
            for index in resources.indices { resources[index].patchIdentity = (resources[index].name, resources[index].namespace) }
        }
        try transform(&resources, with: kustomization)
        try checkSubstitutions(kustomization, resources: resources)
        return resources
    }

    private func cycle(_ entry: Located<String>, file: String) -> RenderProblem {
        RenderProblem(.invalid, file: file, position: entry.position, "`\(entry.value)` makes a cycle of kustomizations")
    }

    /// Remote references kubearch never fetches.
    static func isRemote(_ text: String) -> Bool {
        text.contains("://") || text.hasPrefix("github.com/") || text.hasPrefix("gitlab.com/") || text.hasPrefix("bitbucket.org/")
            || text.hasPrefix("git@") || text.contains("?ref=") || text.contains("//") && !text.hasPrefix("/")
    }

    /// The absolute path an entry names, refused when remote or outside the repository — and, for
    /// files, outside the kustomization's folder (kustomize's default load restrictor).
    private func localPath(_ entry: Located<String>, of kustomization: Kustomization, mustStayInFolder: Bool) throws(RenderProblem) -> String {
        if Self.isRemote(entry.value) {
            throw RenderProblem(.unsupported, file: kustomization.file, position: entry.position, "remote resource `\(entry.value)` is not fetched")
        }
        let path = SourceFiles.resolve(entry.value, in: kustomization.folder)
        guard files.isInsideRepository(path) else {
            throw RenderProblem(.unsupported, file: kustomization.file, position: entry.position, "`\(entry.value)` is outside the repository")
        }
        if mustStayInFolder, !loadsOutsideFolders, path != kustomization.folder, !path.hasPrefix(kustomization.folder + "/") {
            throw RenderProblem(
                .unsupported, file: kustomization.file, position: entry.position,
                "file `\(entry.value)` is outside the kustomization's folder (kustomize's default load restrictor refuses it)")
        }
        return path
    }

    private func loadResource(_ entry: Located<String>, of kustomization: Kustomization, stack: [String]) throws(RenderProblem) -> [Resource] {
        let path = try localPath(entry, of: kustomization, mustStayInFolder: false)
        if files.isDirectory(path) {
            if stack.contains(path) { throw cycle(entry, file: kustomization.file) }
            return try build(folder: path, stack: stack, accumulated: [], expectComponent: false)
        }
        _ = try localPath(entry, of: kustomization, mustStayInFolder: true)
        switch files.read(path) {
        case .success(let bytes):
            return try ResourceLoader.load(file: files.displayPath(path), location: path, bytes: bytes, position: entry.position)
        case .failure(let error):
            throw RenderProblem(.invalid, file: kustomization.file, position: entry.position, "resource `\(entry.value)`: \(Self.describe(error))")
        }
    }

    /// Generator inputs, configurations and CRD files must exist locally, as kustomize needs them.
    private func checkInputs(_ kustomization: Kustomization) throws(RenderProblem) {
        for entry in kustomization.otherFiles {
            if Self.isRemote(entry.value) {
                throw RenderProblem(.unsupported, file: kustomization.file, position: entry.position, "remote file `\(entry.value)` is not fetched")
            }
            let path = try localPath(entry, of: kustomization, mustStayInFolder: true)
            guard files.exists(path) else {
                throw RenderProblem(.invalid, file: kustomization.file, position: entry.position, "`\(entry.value)`: no such file or directory")
            }
        }
    }

    /// Stand-ins for the ConfigMaps and Secrets that generators make: kubearch judges no generated
    /// object, but patches and selectors may name them, so they must exist. Their names lack
    /// kustomize's content hash, which nothing judged depends on.
    private func generated(by kustomization: Kustomization, existing: [Resource]) -> [Resource] {
        var result: [Resource] = []
        for (field, kind) in [("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")] {
            for generator in kustomization.root[field]?.sequence ?? [] {
                guard let name = generator["name"]?.scalar else { continue }
                let namespace = generator["namespace"]?.scalar
                if existing.contains(where: { $0.isNamed(kind: kind, name: name, namespace: namespace) }) { continue }
                let origin = Origin(file: kustomization.file, position: generator.start)
                var metadata: [(key: String, value: ResourceNode)] = [("name", .string(name, origin: origin))]
                if let namespace { metadata.append(("namespace", .string(namespace, origin: origin))) }
                let tree = ResourceNode.mapping(
                    [("apiVersion", .string("v1", origin: origin)), ("kind", .string(kind, origin: origin)), ("metadata", .mapping(metadata, origin: origin))],
                    origin: origin)
                let document = SourceDocument(
                    file: kustomization.file, location: kustomization.folder, documentIndex: 0, itemPath: [], kindPosition: generator.start)
                result.append(Resource(tree: tree, document: document))
            }
        }
        return result
    }

    // MARK: Transformers

    private func transform(_ resources: inout [Resource], with kustomization: Kustomization) throws(RenderProblem) {
        let file = kustomization.file
        for entry in kustomization.strategicMergePatches {
            for patch in try patchDocuments(entry, of: kustomization) {
                try applyStrategicMerge(patch, target: nil, entry: entry, file: file, to: &resources)
            }
        }
        for entry in kustomization.patches where !(skipsManagedPatches && entry.isManaged) {
            let documents = try patchDocuments(entry, of: kustomization)
            let written = entry.file ?? file
            if documents.count == 1, documents[0].items != nil {
                try applyJSONPatch(documents[0], entry: entry, file: written, to: &resources)
            } else {
                for patch in documents {
                    try applyStrategicMerge(patch, target: entry.target, entry: entry, file: written, to: &resources)
                }
            }
        }
        if let namespace = kustomization.namespace {
            ObjectTransformers.setNamespace(namespace, file: file, in: &resources)
        }
        if kustomization.namePrefix != nil || kustomization.nameSuffix != nil {
            ObjectTransformers.affixNames(prefix: kustomization.namePrefix?.value ?? "", suffix: kustomization.nameSuffix?.value ?? "", in: &resources)
        }
        if !kustomization.commonAnnotations.isEmpty {
            ObjectTransformers.annotate(kustomization.commonAnnotations, in: &resources)
        }
        for entry in kustomization.json6902Patches {
            let documents = try patchDocuments(entry, of: kustomization)
            guard documents.count == 1 else {
                throw RenderProblem(.invalid, file: file, position: entry.position, "a JSON 6902 patch must be one document")
            }
            try applyJSONPatch(documents[0], entry: entry, file: file, to: &resources)
        }
        for replica in kustomization.replicas {
            ObjectTransformers.setReplicas(name: replica.name, count: replica.count, in: &resources)
        }
        for override in kustomization.images {
            ImageTransformer.apply(override, to: &resources)
        }
    }

    /// The documents of a patch entry; an inline patch's nodes take the entry's position as origin.
    private func patchDocuments(_ entry: PatchEntry, of kustomization: Kustomization) throws(RenderProblem) -> [ResourceNode] {
        switch entry.source {
        case .inline(let text):
            let file = entry.file ?? kustomization.file
            let origin = Origin(file: file, position: entry.position)
            let stream = YAMLParser.parse(text)
            if let error = stream.error {
                throw RenderProblem(.invalid, file: file, position: entry.position, "inline patch: invalid YAML at \(error.position): \(error.message)")
            }
            return stream.documents.filter { !$0.root.isNull }.map {
                ResourceNode($0.root, file: file, source: Array(text.utf8), managedFile: entry.isManaged).relocated(to: origin)
            }
        case .file(let relative):
            let path = try localPath(Located(value: relative, position: entry.position), of: kustomization, mustStayInFolder: true)
            let bytes: [UInt8]
            switch files.read(path) {
            case .success(let read): bytes = read
            case .failure(let error):
                throw RenderProblem(.invalid, file: kustomization.file, position: entry.position, "patch `\(relative)`: \(Self.describe(error))")
            }
            let display = files.displayPath(path)
            let stream = YAMLParser.parse(bytes)
            if let error = stream.error {
                throw RenderProblem(.invalid, file: display, position: error.position, "invalid YAML: \(error.message)")
            }
            let managed = ManagedPatches.isManagedFile(path)
            return stream.documents.filter { !$0.root.isNull }.map { ResourceNode($0.root, file: display, source: bytes, managedFile: managed) }
        }
    }

    private func applyStrategicMerge(_ patch: ResourceNode, target: PatchTarget?, entry: PatchEntry, file: String, to resources: inout [Resource]) throws(RenderProblem) {
        guard patch.pairs != nil else {
            throw RenderProblem(.invalid, file: file, position: entry.position, "a strategic-merge patch must be a mapping")
        }
        var matched = 0
        var deleted: Set<Int> = []
        for index in resources.indices {
            let selected: Bool
            if let target {
                selected = target.selects(resources[index])
            } else {
                selected = resources[index].isNamed(
                    kind: patch["kind"]?.scalar, name: patch.value(at: ["metadata", "name"])?.scalar,
                    namespace: patch.value(at: ["metadata", "namespace"])?.scalar)
            }
            guard selected else { continue }
            matched += 1
            // The object keeps its identity: the patch's own name only selects (kustomize copies
            // the target's name, namespace and kind into the patch before merging).
            var body = patch
            body["apiVersion"] = nil
            body["kind"] = nil
            if var metadata = body["metadata"] {
                metadata["name"] = nil
                metadata["namespace"] = nil
                body["metadata"] = metadata
            }
            if let merged = StrategicMerge.apply(body, to: resources[index].tree) {
                resources[index].tree = merged
            } else {
                deleted.insert(index)  // `$patch: delete` on the whole object
            }
        }
        resources = resources.indices.filter { !deleted.contains($0) }.map { resources[$0] }
        if matched == 0, target == nil {
            let name = patch.value(at: ["metadata", "name"])?.scalar ?? "?"
            throw RenderProblem(
                .invalid, file: file, position: entry.position,
                "no resource matches strategic-merge patch \(patch["kind"]?.scalar ?? "?")/\(name) (kustomize fails on it)")
        }
    }

    private func applyJSONPatch(_ document: ResourceNode, entry: PatchEntry, file: String, to resources: inout [Resource]) throws(RenderProblem) {
        guard let target = entry.target else {
            throw RenderProblem(.invalid, file: file, position: entry.position, "a JSON 6902 patch needs a `target`")
        }
        do throws(JSONPatchOperation.Failure) {
            let operations = try JSONPatchOperation.operations(from: document)
            for index in resources.indices where target.selects(resources[index]) {
                for operation in operations { try operation.apply(to: &resources[index].tree) }
            }
        } catch {
            throw RenderProblem(.invalid, file: file, position: entry.position, "JSON 6902 patch: \(error)")
        }
    }

    // MARK: replacements and vars

    /// Field paths that reach what kubearch reads: a substitution there makes the root unsupported.
    /// (`$(VAR)` in a container's args or env is Kubernetes' own expansion, not a kustomize var.)
    static let judgedFieldWords = ["image", "affinity", "nodeSelector", "nodeName", "kubearch.dev"]

    private func checkSubstitutions(_ kustomization: Kustomization, resources: [Resource]) throws(RenderProblem) {
        for substitution in kustomization.substitutions {
            var reaches = false
            if substitution.value == "vars" {
                reaches = resources.contains { Self.judgedText(of: $0).contains("$(") }
            } else {
                var paths: [String] = []
                for item in kustomization.root["replacements"]?.sequence ?? [] {
                    var replacement = item
                    if let relative = item["path"]?.scalar {
                        let path = SourceFiles.resolve(relative, in: kustomization.folder)
                        // A replacements file that cannot be read: assume the worst rather than guess.
                        guard case .success(let bytes) = files.read(path), let root = YAMLParser.parse(bytes).documents.first?.root else {
                            paths.append("image")
                            continue
                        }
                        replacement = root
                    }
                    for target in replacement["targets"]?.sequence ?? [] {
                        paths += (target["fieldPaths"]?.sequence ?? []).compactMap(\.scalar)
                    }
                }
                reaches = reaches || paths.contains { path in Self.judgedFieldWords.contains { path.contains($0) } }
            }
            if reaches {
                throw RenderProblem(
                    .unsupported, file: kustomization.file, position: substitution.position,
                    "`\(substitution.value)` reach images or scheduling fields; kubearch does not evaluate them")
            }
        }
    }

    /// The text of the fields kubearch judges, for spotting `$(VAR)` references.
    static func judgedText(of resource: Resource) -> String {
        var texts: [String] = []
        var pending = [(resource.tree, "")]
        while let (node, key) = pending.popLast() {
            switch node.value {
            case .scalar(let text, _):
                if judgedFieldWords.contains(where: key.contains) { texts.append(text) }
            case .mapping(let pairs): pending += pairs.map { ($0.value, judgedFieldWords.contains(where: key.contains) ? key : $0.key) }
            case .sequence(let items): pending += items.map { ($0, key) }
            }
        }
        return texts.joined(separator: "\n")
    }
}

extension ResourceNode {
    /// The same value with every origin set to `origin` (text inside a block scalar has no useful
    /// position of its own).
    func relocated(to origin: Origin) -> ResourceNode {
        var node = self
        node.origin = origin
        switch node.value {
        case .scalar: break
        case .mapping(let pairs): node.value = .mapping(pairs.map { ($0.key, $0.value.relocated(to: origin)) })
        case .sequence(let items): node.value = .sequence(items.map { $0.relocated(to: origin) })
        }
        return node
    }
}
