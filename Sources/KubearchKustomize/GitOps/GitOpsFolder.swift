import FoundationEssentials
import KubearchCore

/// The folder a GitOps object names, read as its controller reads it (SPEC §11): its kustomization
/// with the object's fields merged in, or — for a folder of plain manifests — the kustomization the
/// controller would generate for it (Flux: every manifest under it, a subfolder with a
/// kustomization as that folder; Argo CD: the folder's own manifests, subfolders only with
/// `directory.recurse`).
extension KustomizeRenderer {
    func kustomization(in folder: String, overrides: GitOpsOverrides) throws(RenderProblem) -> Kustomization {
        var kustomization: Kustomization
        if case .success(_?) = files.kustomizationFile(in: folder) {
            kustomization = try self.kustomization(in: folder)
        } else {
            guard files.isDirectory(folder) else {
                throw RenderProblem(.invalid, file: overrides.file, position: overrides.pathPosition, "path `\(files.displayPath(folder))` is not a folder in this repository")
            }
            // Argo CD picks the tool from the folder: a `Chart.yaml` makes it a Helm chart.
            if overrides.controller == .argoCD, files.exists(folder + "/Chart.yaml") {
                throw RenderProblem(
                    .unsupported, file: overrides.file, position: overrides.pathPosition,
                    "Argo CD renders `\(files.displayPath(folder))` as a Helm chart (it holds a Chart.yaml); kubearch does not render Helm charts")
            }
            if overrides.controller == .argoCD, overrides.changesRendering {
                throw RenderProblem(
                    .unsupported, file: overrides.file, position: overrides.pathPosition,
                    "Argo CD applies `kustomize:` options only to a folder with a kustomization, and `\(files.displayPath(folder))` has none")
            }
            let empty = YAMLNode.emptyMapping(at: Self.start)
            kustomization = Kustomization(file: overrides.file, folder: folder, bytes: [], root: empty, isComponent: false)
            kustomization.resources = GitOpsFolder.manifests(in: folder, controller: overrides.controller, recurse: overrides.recurse)
                .map { Located(value: $0, position: overrides.pathPosition) }
        }
        for component in overrides.components {
            let path = SourceFiles.resolve(component.value, in: folder)
            guard files.isInsideRepository(path), files.isDirectory(path) else {
                throw RenderProblem(.invalid, file: overrides.file, position: component.position, "component `\(component.value)` is not a folder in this repository")
            }
        }
        overrides.merge(into: &kustomization)
        return kustomization
    }
}

public enum GitOpsFolder {
    /// The entries (relative to `folder`) of the kustomization a controller generates for a folder
    /// without one. Hidden folders are skipped, as kubearch's walk skips them.
    public static func manifests(in folder: String, controller: GitOpsOverrides.Controller, recurse: Bool) -> [String] {
        let extensions = controller == .flux ? [".yaml", ".yml"] : [".yaml", ".yml", ".json"]
        var result: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let path = relative.isEmpty ? folder : folder + "/" + relative
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
            for name in names where !name.hasPrefix(".") {
                let entry = relative.isEmpty ? name : relative + "/" + name
                var isDirectory = false
                guard FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDirectory) else { continue }
                if isDirectory {
                    if controller == .flux {
                        let hasKustomization = Kustomization.fileNames.contains { FileManager.default.fileExists(atPath: path + "/" + name + "/" + $0) }
                        if hasKustomization { result.append(entry) } else { pending.append(entry) }
                    } else if recurse {
                        pending.append(entry)
                    }
                } else if extensions.contains(where: name.hasSuffix), !Kustomization.fileNames.contains(name) {
                    result.append(entry)
                }
            }
        }
        return result.sorted()
    }
}
