import FoundationEssentials
import Glibc
import KubearchCore

/// The kustomizations of a scanned tree and what they reference (SPEC §11): every file a
/// kustomization reads is read only through it, and a kustomization no other one references is a root.
public struct KustomizeTree: Sendable {
    /// Absolute folders holding a kustomization file.
    public var kustomizations: [String] = []
    /// Absolute folders rendered on their own, sorted.
    public var roots: [String] = []
    /// Absolute paths of files read through a kustomization (resources, patches, generator inputs…).
    public var referencedFiles: Set<String> = []
    /// Kustomizations too broken to read their references; each is still a root, whose rendering
    /// reports the problem.
    public var unreadable: [String: RenderProblem] = [:]

    public init() {}

    /// `kustomizationFiles` are the kustomization files the walk found; `extraRoots` are folders named
    /// by configuration (`kustomize.roots`), rendered even when another kustomization references them.
    public static func discover(kustomizationFiles: [String], extraRoots: [String] = [], files: SourceFiles) -> KustomizeTree {
        var tree = KustomizeTree()
        let renderer = KustomizeRenderer(files: files)
        var folders = Set(kustomizationFiles.map { PathText.deletingLastComponent($0) })
        folders.formUnion(extraRoots)
        var referencedFolders: Set<String> = []
        var components: Set<String> = []
        // Folders reached through references are read too, even when the walk did not list them
        // (a base outside the scanned paths is still part of what a root renders).
        var pending = Array(folders)
        var seen: Set<String> = []
        while let folder = pending.popLast() {
            guard seen.insert(folder).inserted else { continue }
            let kustomization: Kustomization
            do throws(RenderProblem) {
                kustomization = try renderer.kustomization(in: folder)
            } catch {
                tree.unreadable[folder] = error
                continue
            }
            if case .success(let path?) = files.kustomizationFile(in: folder) { tree.referencedFiles.insert(path) }
            for entry in kustomization.resources + kustomization.components where !KustomizeRenderer.isRemote(entry.value) {
                let path = SourceFiles.resolve(entry.value, in: folder)
                if files.isDirectory(path) {
                    referencedFolders.insert(path)
                    if files.isInsideRepository(path) { pending.append(path) }
                } else {
                    tree.referencedFiles.insert(path)
                }
            }
            var others = kustomization.otherFiles
            for entry in kustomization.strategicMergePatches + kustomization.patches + kustomization.json6902Patches {
                if case .file(let relative) = entry.source { others.append(Located(value: relative, position: entry.position)) }
            }
            for entry in others where !KustomizeRenderer.isRemote(entry.value) {
                tree.referencedFiles.insert(SourceFiles.resolve(entry.value, in: folder))
            }
            tree.kustomizations.append(folder)
            // A component is not deployable on its own: a root only when the configuration names it.
            if kustomization.isComponent { components.insert(folder) }
        }
        tree.kustomizations.sort()
        let walked = Set(kustomizationFiles.map { PathText.deletingLastComponent($0) })
        tree.roots = walked.filter { !referencedFolders.contains($0) && !components.contains($0) }
            .union(extraRoots).sorted()
        return tree
    }

    /// Whether `file`'s folder or a folder above it (up to `repositoryRoot`) holds a kustomization.
    public static func hasKustomization(above file: String, within repositoryRoot: String, files: SourceFiles) -> Bool {
        var folder = PathText.deletingLastComponent(file)
        while files.isInsideRepository(folder) {
            if case .success(_?) = files.kustomizationFile(in: folder) { return true }
            if case .failure = files.kustomizationFile(in: folder) { return true }
            let parent = PathText.deletingLastComponent(folder)
            if parent == folder || parent.isEmpty { break }
            folder = parent
        }
        return false
    }

    /// Every kustomization file and every `.yaml`/`.yml` manifest under `folder` (hidden folders
    /// and excluded paths left out, as a walk leaves them out), absolute: what a run naming single
    /// files needs to find the kustomizations and GitOps objects that read them.
    public static func repositoryFiles(under folder: String, exclude: [Glob], files: SourceFiles) -> (kustomizations: [String], manifests: [String]) {
        var kustomizations: [String] = []
        var manifests: [String] = []
        var pending = [folder]
        while let current = pending.popLast() {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: current)) ?? [] where !name.hasPrefix(".") {
                let path = current + "/" + name
                if exclude.contains(where: { $0.matches(files.displayPath(path)) }) { continue }
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR {
                    pending.append(path)
                } else if Kustomization.fileNames.contains(name) {
                    kustomizations.append(path)
                } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                    manifests.append(path)
                }
            }
        }
        return (kustomizations.sorted(), manifests.sorted())
    }
}
