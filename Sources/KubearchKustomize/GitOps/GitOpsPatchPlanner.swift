import KubearchCore

/// `fix` for a GitOps object's root whose constraint belongs to the object rather than to the
/// folder it names (SPEC §11): the folder has no kustomization, other objects or kustomizations
/// render it too, or the object's own image overrides decide the constraint. The managed patches
/// then go into the object's own `spec.patches` (Flux) or `spec.source.kustomize.patches`
/// (Argo CD), inline, each starting with `# managed by kubearch fix`, added by a text edit that
/// keeps the object's file as it was around them. Derived and verified as `ManagedPatchPlanner`
/// derives and verifies a root's patch files.
public enum GitOpsPatchPlanner {
    /// Whether the patches of `root` belong in its object (else in the named kustomization).
    public static func patchesObject(_ root: RenderedRoot, current: [WorkloadEvaluation], files: SourceFiles, judge: (RenderedRoot) -> [WorkloadEvaluation]) -> Bool {
        guard let overrides = root.overrides else { return false }
        guard case .success(_?) = files.kustomizationFile(in: root.folder), !overrides.folderIsShared else { return true }
        guard !overrides.images.isEmpty else { return false }
        // Would the constraints differ without the object's images?
        guard case .success(let resources) = KustomizeRenderer(files: files).render(root: root.folder, overrides: overrides.withoutImages) else { return true }
        let without = judge(root.rendering(resources))
        let architectures = { (evaluations: [WorkloadEvaluation]) in
            Dictionary(evaluations.map { ($0.workload.documentIndex, $0.fixPlan?.architectures) }, uniquingKeysWith: { first, _ in first })
        }
        return architectures(without) != architectures(current)
    }

    public static func plan(
        _ root: RenderedRoot, current: [WorkloadEvaluation], files: SourceFiles, judge: (RenderedRoot) -> [WorkloadEvaluation]
    ) throws(FixError) -> ManagedPatchPlanner.Plan? {
        guard let overrides = root.overrides else { return nil }
        guard let derivation = try ManagedPatchPlanner.derive(root, current: current, files: files, judge: judge) else { return nil }
        let entries = derivation.changes.map { item in
            let patch = item.change.isStrategicMerge
                ? item.change.strategicMergePatch(apiVersion: item.resource.apiVersion, kind: item.kind, name: item.name, namespace: item.namespace)
                : item.change.jsonPatch
            return ObjectPatchesEdit.entry(patch: patch, kind: item.kind, name: item.name, namespace: item.namespace)
        }

        let location = SourceFiles.resolve(overrides.file, in: files.currentDirectory)
        guard case .success(let bytes) = files.read(location) else { throw .verificationFailed("cannot read \(overrides.file)") }
        let text: [UInt8]
        do throws(ObjectPatchesEdit.Failure) {
            text = try ObjectPatchesEdit.apply(entries, toObjectAt: overrides.pathPosition, controller: overrides.controller, in: bytes, file: overrides.file)
        } catch {
            throw .verificationFailed(error.description)
        }
        guard text != bytes else { return nil }
        // The object's file read again: its patches are what the root renders with now.
        guard let reread = GitOpsRoots.discover(in: [location], files: files.replacing([location: text]), repository: nil, trustingSource: true)
            .first(where: { $0.name == root.name && $0.folder == root.folder }), var newOverrides = reread.overrides else {
            throw .verificationFailed("\(overrides.file): the object does not read back after the edit")
        }
        newOverrides.folderIsShared = overrides.folderIsShared
        var again = root
        again.overrides = newOverrides
        try ManagedPatchPlanner.verify(again, expected: derivation.expected, fixed: derivation.fixed, files: files.replacing([location: text]), judge: judge)
        return ManagedPatchPlanner.Plan(root: root.name, writes: [.init(location: location, file: overrides.file, old: bytes, new: text)], fixed: derivation.changes.map(\.resource.document))
    }
}
