import FoundationEssentials
import Glibc
import KubearchCore

/// A GitOps object of the scanned tree, as a root (SPEC §11): the folder it names in this
/// repository with its overrides, or why kubearch cannot render what it deploys.
public struct GitOpsRoot: Sendable {
    /// `FILE#NAME`: what its findings carry as `kustomization`.
    public var name: String
    /// Absolute folder the object names (nil when its source is not this repository).
    public var folder: String?
    public var overrides: GitOpsOverrides?
    /// KA011 (another repository, an OCI source, a Helm chart, …) or KA008, at the object.
    public var problem: RenderProblem?
}

/// Finds the Flux `Kustomization`s, Argo CD `Application`s and list-generated `ApplicationSet`
/// templates among the scanned files, and decides which of them deploy this repository.
public enum GitOpsRoots {
    /// Words every GitOps object's `apiVersion` holds: files without them are not parsed again.
    static let markers: [[UInt8]] = [Array("fluxcd.io/".utf8), Array("argoproj.io/".utf8)]

    /// `paths` are absolute files; `repository` is this repository's address, nil when unknown.
    /// `trustingSource` reads objects already known to deploy this repository (`fix` reading its edit back).
    public static func discover(in paths: [String], files: SourceFiles, repository: GitRepositoryURL?, trustingSource: Bool = false) -> [GitOpsRoot] {
        var objects: [(file: String, root: YAMLNode)] = []
        for path in paths {
            guard case .success(let bytes) = files.read(path), mayHoldObjects(bytes) else { continue }
            let stream = YAMLParser.parse(bytes)
            // A broken file is the plain scan's KA008; its whole documents still count.
            for document in stream.documents where document.root.isMapping {
                objects.append((files.displayPath(path), document.root.resolved))
            }
        }
        let gitRepositories = objects.compactMap { object -> (name: String, namespace: String?, url: String?)? in
            guard object.root["apiVersion"]?.scalar?.hasPrefix("source.toolkit.fluxcd.io/") == true,
                  object.root["kind"]?.scalar == "GitRepository", let name = object.root.value(at: ["metadata", "name"])?.scalar else { return nil }
            return (name, object.root.value(at: ["metadata", "namespace"])?.scalar, object.root.value(at: ["spec", "url"])?.scalar)
        }
        let reader = GitOpsObjectReader(files: files, repository: repository, gitRepositories: gitRepositories, trustingSource: trustingSource)
        var roots = objects.flatMap { reader.roots(of: $0.root, file: $0.file) }
        // A folder several objects render, or that a kustomization also reads, is not one object's to patch.
        var counts: [String: Int] = [:]
        for root in roots { if let folder = root.folder { counts[folder, default: 0] += 1 } }
        for index in roots.indices {
            if let folder = roots[index].folder, counts[folder, default: 0] > 1 { roots[index].overrides?.folderIsShared = true }
        }
        return roots.sorted { $0.name < $1.name }
    }

    /// Whether a file's text may hold a GitOps object (its `apiVersion` would name one of the
    /// markers); asked of every scanned file on the scan's workers, so it must cost little.
    public static func mayHoldObjects(_ bytes: [UInt8]) -> Bool {
        markers.contains { contains(bytes, $0) }
    }

    static func contains(_ bytes: [UInt8], _ word: [UInt8]) -> Bool {
        guard !word.isEmpty, bytes.count >= word.count else { return false }
        // memchr finds candidates at C speed (Glibc's memmem is not exported to Swift). It looks
        // for the word's rarest letter in YAML (`j` of argoproj, `x` of fluxcd): a common first
        // byte such as `a` would stop it every few bytes of every file.
        let anchor = word.firstIndex { rareLetters.contains($0) } ?? 0
        return bytes.withUnsafeBytes { haystack in
            word.withUnsafeBytes { needle in
                guard let base = haystack.baseAddress, let pattern = needle.baseAddress else { return false }
                let last = haystack.count - needle.count
                var start = 0
                while start <= last {
                    guard let hit = memchr(base + start + anchor, Int32(word[anchor]), last - start + 1) else { return false }
                    let position = base.distance(to: UnsafeRawPointer(hit)) - anchor
                    if memcmp(base + position, pattern, needle.count) == 0 { return true }
                    start = position + 1
                }
                return false
            }
        }
    }

    private static let rareLetters: Set<UInt8> = Set("jqxzk".utf8)
}

/// Reads one object's source, path and overrides.
struct GitOpsObjectReader {
    let files: SourceFiles
    let repository: GitRepositoryURL?
    let gitRepositories: [(name: String, namespace: String?, url: String?)]
    var trustingSource = false

    func roots(of object: YAMLNode, file: String) -> [GitOpsRoot] {
        guard let apiVersion = object["apiVersion"]?.scalar, let kind = object["kind"]?.scalar else { return [] }
        let name = object.value(at: ["metadata", "name"])?.scalar ?? "?"
        let rootName = "\(file)#\(name)"
        let at = object.pair(forKey: "kind")?.key.start ?? object.start
        func problem(_ kind: RenderProblem.Kind, _ position: SourcePosition, _ message: String) -> [GitOpsRoot] {
            [GitOpsRoot(name: rootName, problem: RenderProblem(kind, file: file, position: position, message))]
        }
        switch (apiVersion.split(separator: "/").first.map(String.init) ?? "", kind) {
        case ("kustomize.toolkit.fluxcd.io", "Kustomization"):
            do throws(RenderProblem) {
                return [try flux(object, file: file, name: rootName, at: at)]
            } catch {
                return [GitOpsRoot(name: rootName, problem: error)]
            }
        case ("helm.toolkit.fluxcd.io", "HelmRelease"):
            return problem(.unsupported, at, "Flux HelmRelease \(name) deploys a Helm chart; kubearch does not render Helm charts")
        case ("argoproj.io", "Application"):
            guard let spec = object["spec"], spec.isMapping else { return problem(.invalid, at, "Argo CD Application \(name) has no `spec`") }
            return argoCD(spec, file: file, name: rootName, display: "Argo CD Application \(name)", at: at)
        case ("argoproj.io", "ApplicationSet"):
            let display = "Argo CD ApplicationSet \(name)"
            for generator in object.value(at: ["spec", "generators"])?.sequence ?? [] {
                if let kind = generator.pairs?.first?.key.scalar, kind != "list" {
                    return problem(.unsupported, generator.start, "\(display): its `\(kind)` generator makes Applications kubearch cannot list offline (only `list` generators are rendered)")
                }
            }
            guard let spec = object.value(at: ["spec", "template", "spec"]), spec.isMapping else {
                return problem(.invalid, at, "\(display) has no `spec.template.spec`")
            }
            return argoCD(spec, file: file, name: rootName, display: display, at: at, templated: true)
        default:
            return []
        }
    }

    // MARK: Flux

    private func flux(_ object: YAMLNode, file: String, name rootName: String, at: SourcePosition) throws(RenderProblem) -> GitOpsRoot {
        let name = object.value(at: ["metadata", "name"])?.scalar ?? "?"
        let display = "Flux Kustomization \(name)"
        guard let spec = object["spec"], spec.isMapping else { throw RenderProblem(.invalid, file: file, position: at, "\(display) has no `spec`") }
        let source = spec["sourceRef"]
        let sourceKind = source?["kind"]?.scalar ?? "GitRepository"
        let sourceAt = source?.start ?? at
        guard sourceKind == "GitRepository" else {
            throw RenderProblem(.unsupported, file: file, position: sourceAt, "\(display): its source is a \(sourceKind), not a git repository kubearch can read")
        }
        let sourceName = source?["name"]?.scalar ?? "?"
        if !trustingSource {
        let sourceNamespace = source?["namespace"]?.scalar ?? object.value(at: ["metadata", "namespace"])?.scalar
        let candidates = gitRepositories.filter { $0.name == sourceName && ($0.namespace == nil || sourceNamespace == nil || $0.namespace == sourceNamespace) }
        guard let gitRepository = candidates.first else {
            throw RenderProblem(
                .unsupported, file: file, position: sourceAt,
                "\(display): its source GitRepository \(sourceName) is not among the scanned files, so kubearch cannot tell which repository it deploys")
        }
        try requireThisRepository(gitRepository.url ?? "", display: display, file: file, position: sourceAt)
        }

        let pathNode = spec["path"]
        var overrides = GitOpsOverrides(controller: .flux, file: file, pathPosition: pathNode?.start ?? at)
        let reader = FieldReader(file: file)
        for pair in spec.pairs ?? [] {
            guard let key = pair.key.scalar else { continue }
            let value = pair.value.resolved
            if value.isNull { continue }
            switch key {
            case "images": overrides.images = try reader.images(value, field: "spec.images")
            case "patches": overrides.patches = try reader.patches(value, field: "spec.patches").map { var entry = $0; entry.file = file; return entry }
            case "targetNamespace": overrides.namespace = try reader.string(value, field: "spec.targetNamespace")
            case "namePrefix": overrides.namePrefix = try reader.string(value, field: "spec.namePrefix")
            case "nameSuffix": overrides.nameSuffix = try reader.string(value, field: "spec.nameSuffix")
            case "components": overrides.components = try reader.strings(value, field: "spec.components")
            case "postBuild": overrides.postBuild = pair.key.start
            case "patchesStrategicMerge", "patchesJson6902":
                throw RenderProblem(.unsupported, file: file, position: pair.key.start, "\(display): `spec.\(key)` (deprecated since Flux v1) is not rendered by kubearch")
            default: continue
            }
        }
        let path = pathNode?.scalar ?? "./"
        return GitOpsRoot(name: rootName, folder: try folder(path, file: file, position: overrides.pathPosition), overrides: overrides)
    }

    // MARK: Argo CD

    private func argoCD(_ spec: YAMLNode, file: String, name rootName: String, display: String, at: SourcePosition, templated: Bool = false) -> [GitOpsRoot] {
        var sources: [YAMLNode] = []
        if let source = spec["source"], source.isMapping { sources.append(source) }
        sources += spec["sources"]?.sequence?.filter(\.isMapping) ?? []
        if sources.isEmpty {
            return [GitOpsRoot(name: rootName, problem: RenderProblem(.invalid, file: file, position: at, "\(display) has no `source` or `sources`"))]
        }
        var roots: [GitOpsRoot] = []
        for source in sources {
            // A source with only `ref` lends its files (Helm values) to the others: nothing to render.
            if source["path"] == nil, source["chart"] == nil, source["ref"] != nil { continue }
            do throws(RenderProblem) {
                roots.append(try argoCDSource(source, file: file, name: rootName, display: display, templated: templated))
            } catch {
                roots.append(GitOpsRoot(name: rootName, problem: error))
            }
        }
        return roots
    }

    private func argoCDSource(_ source: YAMLNode, file: String, name rootName: String, display: String, templated: Bool) throws(RenderProblem) -> GitOpsRoot {
        if let chart = source.pair(forKey: "chart") {
            throw RenderProblem(.unsupported, file: file, position: chart.key.start, "\(display) deploys Helm chart `\(chart.value.scalar ?? "?")`; kubearch does not render Helm charts")
        }
        if templated, let marker = Self.firstTemplate(in: source) {
            throw RenderProblem(.unsupported, file: file, position: marker, "\(display): its template's source uses generator parameters; kubearch renders only literal paths")
        }
        try requireThisRepository(source["repoURL"]?.scalar ?? "", display: display, file: file, position: source["repoURL"]?.start ?? source.start)
        for key in ["helm", "plugin"] {
            if let pair = source.pair(forKey: key) {
                throw RenderProblem(.unsupported, file: file, position: pair.key.start, "\(display): `\(key)` sources are not rendered by kubearch")
            }
        }
        let pathNode = source["path"]
        var overrides = GitOpsOverrides(controller: .argoCD, file: file, pathPosition: pathNode?.start ?? source.start)
        if let directory = source["directory"] {
            overrides.recurse = directory["recurse"]?.scalar == "true"
            for key in ["include", "exclude", "jsonnet"] {
                if let pair = directory.pair(forKey: key) {
                    throw RenderProblem(.unsupported, file: file, position: pair.key.start, "\(display): `directory.\(key)` is not rendered by kubearch")
                }
            }
        }
        let reader = FieldReader(file: file)
        for pair in source["kustomize"]?.pairs ?? [] {
            guard let key = pair.key.scalar else { continue }
            let value = pair.value.resolved
            if value.isNull { continue }
            let field = "spec.source.kustomize.\(key)"
            switch key {
            case "images": overrides.images = try Self.argoCDImages(value, file: file, reader: reader, field: field)
            case "patches": overrides.patches = try reader.patches(value, field: field).map { var entry = $0; entry.file = file; return entry }
            case "namespace": overrides.namespace = try reader.string(value, field: field)
            case "namePrefix": overrides.namePrefix = try reader.string(value, field: field)
            case "nameSuffix": overrides.nameSuffix = try reader.string(value, field: field)
            case "components": overrides.components = try reader.strings(value, field: field)
            case "commonAnnotations", "replicas":
                throw RenderProblem(.unsupported, file: file, position: pair.key.start, "\(display): `kustomize.\(key)` is not rendered by kubearch")
            default: continue  // labels and the kustomize version change nothing kubearch judges
            }
        }
        let path = pathNode?.scalar ?? "."
        return GitOpsRoot(name: rootName, folder: try folder(path, file: file, position: overrides.pathPosition), overrides: overrides)
    }

    /// Argo CD writes images as `kustomize edit set image` arguments: `[NAME=]NEWNAME[:TAG][@DIGEST]`
    /// (without `=`, the name is NEWNAME and only the tag or digest changes).
    static func argoCDImages(_ node: YAMLNode, file: String, reader: FieldReader, field: String) throws(RenderProblem) -> [ImageOverride] {
        guard let items = node.sequence else { throw reader.wrongType(node, field: field, expected: "a list of image strings") }
        var result: [ImageOverride] = []
        for item in items {
            guard let text = item.scalar, !text.isEmpty else { throw reader.wrongType(item, field: field, expected: "a list of image strings") }
            var name: String?
            var reference = Substring(text)
            if let equals = text.firstIndex(of: "=") {
                name = String(text[..<equals])
                reference = text[text.index(after: equals)...]
            }
            var digest: String?
            if let at = reference.firstIndex(of: "@") {
                digest = String(reference[reference.index(after: at)...])
                reference = reference[..<at]
            }
            var tag: String?
            let lastSlash = reference.lastIndex(of: "/") ?? reference.startIndex
            if let colon = reference[lastSlash...].lastIndex(of: ":") {
                tag = String(reference[reference.index(after: colon)...])
                reference = reference[..<colon]
            }
            let newName = name == nil || name == String(reference) ? nil : String(reference)
            result.append(ImageOverride(name: name ?? String(reference), newName: newName, newTag: tag, digest: digest, origin: Origin(file: file, position: item.start)))
        }
        return result
    }

    /// Where an ApplicationSet template's source uses a generator parameter.
    static func firstTemplate(in node: YAMLNode) -> SourcePosition? {
        switch node.content {
        case .scalar(let text, _): return text.contains("{{") ? node.start : nil
        case .sequence(let items, _): return items.lazy.compactMap(firstTemplate).first
        case .mapping(let pairs, _): return pairs.lazy.compactMap { firstTemplate(in: $0.value) }.first
        case .alias(_, let target): return firstTemplate(in: target)
        }
    }

    // MARK: Shared

    private func requireThisRepository(_ url: String, display: String, file: String, position: SourcePosition) throws(RenderProblem) {
        if trustingSource { return }
        guard let repository else {
            throw RenderProblem(
                .unsupported, file: file, position: position,
                "\(display): cannot tell whether `\(url)` is this repository (no git remote `origin`, no `gitops.repository` in the configuration)")
        }
        guard GitRepositoryURL(url) == repository else {
            throw RenderProblem(.unsupported, file: file, position: position, "\(display) deploys another repository (`\(url)`, this one is `\(repository)`); not rendered")
        }
    }

    /// A path in the repository (Flux and Argo CD both read it from the repository's top).
    private func folder(_ path: String, file: String, position: SourcePosition) throws(RenderProblem) -> String {
        let folder = SourceFiles.resolve(path, in: files.repositoryRoot)
        guard files.isInsideRepository(folder) else {
            throw RenderProblem(.invalid, file: file, position: position, "path `\(path)` leaves the repository")
        }
        guard files.isDirectory(folder) else {
            throw RenderProblem(.invalid, file: file, position: position, "path `\(path)` is not a folder in this repository")
        }
        return folder
    }
}

extension GitOpsRoots {
    /// Makes the folders GitOps objects name theirs alone (SPEC §11: judged through the object, not
    /// again on their own): a named kustomization stops being a root, and the manifests of a named
    /// plain folder (and the kustomizations a Flux folder lists) count as read through a kustomization.
    /// Returns the roots, each marked when a kustomization of the tree also reads its folder.
    public static func claim(_ roots: [GitOpsRoot], in tree: inout KustomizeTree, files: SourceFiles) -> [GitOpsRoot] {
        var roots = roots
        var named: Set<String> = []
        for index in roots.indices {
            guard let folder = roots[index].folder, let overrides = roots[index].overrides else { continue }
            if tree.kustomizations.contains(folder), !tree.roots.contains(folder) { roots[index].overrides?.folderIsShared = true }
            named.insert(folder)
            guard case .success(nil) = files.kustomizationFile(in: folder) else { continue }
            for entry in GitOpsFolder.manifests(in: folder, controller: overrides.controller, recurse: overrides.recurse) {
                let path = SourceFiles.resolve(entry, in: folder)
                if files.isDirectory(path) { named.insert(path) } else { tree.referencedFiles.insert(path) }
            }
        }
        tree.roots.removeAll { named.contains($0) }
        return roots
    }
}
