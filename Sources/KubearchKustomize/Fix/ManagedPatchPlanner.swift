import KubearchCore

/// `fix` for a root whose workloads cannot be fixed in their source documents (SPEC §11): the roots
/// rendering a base want different constraints, or an overlay owns the affinity. The constraint
/// then goes into patches kubearch manages beside the root's kustomization:
/// - `kubearch-patches.yaml`, one strategic-merge document per workload that only gains keys (no
///   required node selector terms yet);
/// - `kubearch-patch-KIND-NAME.yaml`, JSON 6902 operations for a workload whose terms each gain the
///   managed expression (a strategic merge would replace the user's terms);
/// both listed at the end of the root's `patches:`.
///
/// The patches are derived, not edited: the root is rendered without kubearch's own patches, the
/// core's `Fixer` fixes that rendering as it fixes any file, and each fixed object's difference
/// from the rendering is what its patch says. So a second run, or a run after the images changed,
/// writes the same files from scratch, and the affinity semantics live in one place.
public enum ManagedPatchPlanner {
    public struct Write: Sendable {
        /// Absolute and display path.
        public var location: String
        public var file: String
        /// nil for a new file.
        public var old: [UInt8]?
        public var new: [UInt8]
    }

    public struct Plan: Sendable {
        public var root: String
        public var writes: [Write]
        /// The source documents of the workloads the patches fix.
        public var fixed: [SourceDocument]
    }

    static let header = """
        # Written by `kubearch fix`: the CPU architectures this root's workloads can run on, as their
        # images say. kubearch rewrites this file; change images or .kubearch.yaml, not this file.

        """

    /// What kubearch's patches must change in each workload of `root`, and what every object of the
    /// root must render as afterwards: the root rendered without kubearch's patches, fixed by the
    /// core's `Fixer`, compared object by object. nil when nothing needs to change.
    struct Derivation {
        struct Change {
            var resource: Resource
            var change: ManagedChange
            var kind: String
            /// The name and namespace a patch targets (before the root's affixes and namespace).
            var name: String
            var namespace: String?
        }

        var changes: [Change]
        /// The rendering with exactly the core's edit: planned objects fixed, others as they render now.
        var expected: [ResourceNode]
        var fixed: Set<SourceDocument> { Set(changes.map(\.resource.document)) }
    }

    static func derive(
        _ root: RenderedRoot, current: [WorkloadEvaluation], files: SourceFiles, judge: (RenderedRoot) -> [WorkloadEvaluation]
    ) throws(FixError) -> Derivation? {
        let baselineResources: [Resource]
        switch KustomizeRenderer(files: files, skipsManagedPatches: true).render(root) {
        case .success(let resources): baselineResources = resources
        case .failure(let problem): throw .verificationFailed("root \(root.name) does not render without kubearch's patches: \(problem.message)")
        }
        let baseline = root.rendering(baselineResources)
        var planned = judge(baseline).compactMap { evaluation in evaluation.fixPlan.map { (evaluation.workload, $0) } }
        // A managed patch that is out of date (KA007) leaves a baseline that may need nothing at
        // all; as for a managed expression in a file, the constraint is rewritten to what the
        // policy now wants, not dropped.
        for evaluation in current {
            guard let plan = evaluation.fixPlan, !planned.contains(where: { $0.0.documentIndex == evaluation.workload.documentIndex }),
                  let workload = baseline.file.workloads.first(where: { $0.documentIndex == evaluation.workload.documentIndex && $0.itemPath == evaluation.workload.itemPath })
            else { continue }
            planned.append((workload, plan))
        }
        planned.sort { $0.0.documentIndex < $1.0.documentIndex }
        guard !planned.isEmpty, let fixedText = try Fixer.fix(file: baseline.file, plans: planned) else { return nil }
        let fixedStream = YAMLParser.parse(fixedText)
        let fixedTrees = fixedStream.documents.map { ResourceNode($0.root, file: root.name, source: fixedText) }
        guard fixedStream.error == nil, fixedTrees.count == baselineResources.count, root.resources.count == baselineResources.count else {
            throw .verificationFailed("root \(root.name): the fixed rendering does not read back")
        }
        let plannedIndexes = Set(planned.map(\.0.documentIndex))
        let expected = fixedTrees.indices.map { plannedIndexes.contains($0) ? fixedTrees[$0] : root.resources[$0].tree }

        var changes: [Derivation.Change] = []
        for (workload, _) in planned {
            let resource = baselineResources[workload.documentIndex]
            guard let change = ManagedChange(from: resource.tree, to: fixedTrees[workload.documentIndex]) else {
                throw .verificationFailed("root \(root.name): the fix of \(resource.kind ?? "object") \(resource.name ?? "") removes something")
            }
            guard !change.isEmpty else { continue }
            let identity = resource.patchIdentity ?? (resource.name, resource.namespace)
            guard let name = identity.name, let kind = resource.kind else {
                throw .verificationFailed("root \(root.name): a workload without kind or name cannot be patched")
            }
            changes.append(.init(resource: resource, change: change, kind: kind, name: name, namespace: identity.namespace))
        }
        return changes.isEmpty ? nil : Derivation(changes: changes, expected: expected)
    }

    /// The patches that fix `root` over `files` (which may already hold other pending edits), verified
    /// by rendering the root again; nil when nothing needs to change. `current` are the root's
    /// evaluations as it renders now, with kubearch's patches.
    public static func plan(
        _ root: RenderedRoot, current: [WorkloadEvaluation], files: SourceFiles, judge: (RenderedRoot) -> [WorkloadEvaluation]
    ) throws(FixError) -> Plan? {
        guard let derivation = try derive(root, current: current, files: files, judge: judge) else { return nil }
        var strategicMerge: [ResourceNode] = []
        var jsonFiles: [(name: String, text: [UInt8], entry: PatchesListEdit.Entry)] = []
        for item in derivation.changes {
            if item.change.isStrategicMerge {
                strategicMerge.append(item.change.strategicMergePatch(apiVersion: item.resource.apiVersion, kind: item.kind, name: item.name, namespace: item.namespace))
            } else {
                let fileName = ManagedPatches.jsonPatchFileName(kind: item.kind, name: item.name)
                guard !jsonFiles.contains(where: { $0.name == fileName }) else {
                    throw .verificationFailed("root \(root.name): two workloads would share the patch file \(fileName)")
                }
                jsonFiles.append((fileName, PatchFileText.documents([item.change.jsonPatch], header: header),
                                  PatchesListEdit.Entry(path: fileName, target: (item.kind, item.name, item.namespace))))
            }
        }

        let renderer = KustomizeRenderer(files: files)
        let kustomization: Kustomization
        do throws(RenderProblem) {
            kustomization = try renderer.kustomization(in: root.folder)
        } catch {
            throw .verificationFailed("root \(root.name): \(error.message)")
        }
        var texts: [(name: String, text: [UInt8])] = jsonFiles.map { ($0.name, $0.text) }
        var entries = jsonFiles.map(\.entry)
        if !strategicMerge.isEmpty {
            texts.insert((ManagedPatches.strategicMergeFileName, PatchFileText.documents(strategicMerge, header: header)), at: 0)
            entries.insert(PatchesListEdit.Entry(path: ManagedPatches.strategicMergeFileName, target: nil), at: 0)
        }
        // Files already listed keep their entries; a JSON patch listed with another target is not
        // kubearch's to change.
        let listed = kustomization.patches.compactMap { entry -> (String, PatchTarget?)? in
            guard case .file(let path) = entry.source else { return nil }
            return (SourceFiles.resolve(path, in: root.folder), entry.target)
        }
        entries.removeAll { entry in listed.contains { $0.0 == SourceFiles.resolve(entry.path, in: root.folder) } }
        let kustomizationText: [UInt8]
        do throws(PatchesListEdit.Failure) {
            kustomizationText = try PatchesListEdit.apply(entries, to: kustomization)
        } catch {
            throw .verificationFailed(error.description)
        }

        var pending: [String: [UInt8]] = [:]
        guard case .success(let kustomizationFile?) = files.kustomizationFile(in: root.folder) else {
            throw .verificationFailed("root \(root.name): its kustomization file is gone")
        }
        pending[kustomizationFile] = kustomizationText
        for (name, text) in texts { pending[root.folder + "/" + name] = text }
        try verify(root, expected: derivation.expected, fixed: derivation.fixed, files: files.replacing(pending), judge: judge)

        var writes: [Write] = []
        for (location, text) in pending.sorted(by: { $0.key < $1.key }) {
            let old: [UInt8]? = if case .success(let bytes) = files.read(location) { bytes } else { nil }
            guard old != text else { continue }
            writes.append(Write(location: location, file: files.displayPath(location), old: old, new: text))
        }
        return writes.isEmpty ? nil : Plan(root: root.name, writes: writes, fixed: derivation.changes.map(\.resource.document))
    }

    /// Renders the root over the new files: every object must render as `expected` (the old rendering
    /// plus exactly the intended affinity), and no fixed workload may need a fix still. A managed
    /// file the workloads no longer need stays as it is, and fails this check if it is in the way.
    static func verify(
        _ root: RenderedRoot, expected: [ResourceNode], fixed: Set<SourceDocument>, files: SourceFiles,
        judge: (RenderedRoot) -> [WorkloadEvaluation]
    ) throws(FixError) {
        let resources: [Resource]
        switch KustomizeRenderer(files: files).render(root) {
        case .success(let rendered): resources = rendered
        case .failure(let problem): throw .verificationFailed("root \(root.name) does not render with kubearch's patches: \(problem.message)")
        }
        guard resources.count == expected.count else {
            throw .verificationFailed("root \(root.name) renders a different number of objects with kubearch's patches")
        }
        for (index, resource) in resources.enumerated() where !resource.tree.sameValue(as: expected[index]) {
            throw .verificationFailed("root \(root.name): \(resource.kind ?? "object") \(resource.name ?? "") does not render as intended with kubearch's patches")
        }
        let rendered = root.rendering(resources)
        try RenderedFixPlanner.requireNothingLeft(in: rendered, documents: fixed, judge: judge)
    }
}
