import KubearchCore

/// `fix` for rendered workloads, the safe half of SPEC §11: when every root that renders a source
/// document wants the same constraint and none of them had its affinity or node selector replaced
/// by an overlay, the source document itself is edited (one minimal edit, as for a plain file), and
/// every affected root is rendered again and judged before anything is written. Workloads that need
/// a constraint per root are left to `ManagedPatchPlanner`.
public enum RenderedFixPlanner {
    /// One root with the evaluations of its rendered workloads (in `root.file.workloads` order).
    public struct Judged: Sendable {
        public var root: RenderedRoot
        public var evaluations: [WorkloadEvaluation]

        public init(root: RenderedRoot, evaluations: [WorkloadEvaluation]) {
            self.root = root
            self.evaluations = evaluations
        }
    }

    public struct Edit: Sendable {
        /// Absolute path and display path of the source file.
        public var location: String
        public var file: String
        public var old: [UInt8]
        public var new: [UInt8]
        /// Root names and rendered workloads (by source document) the edit fixes.
        public var fixed: [(root: String, document: SourceDocument)]
    }

    public struct Outcome: Sendable {
        public var edits: [Edit] = []
        /// Why workloads that need a constraint were left alone.
        public var notFixed: [String] = []
    }

    /// `judge` evaluates a rendering again (the verification's second opinion).
    public static func plan(_ judged: [Judged], files: SourceFiles, judge: (RenderedRoot) -> [WorkloadEvaluation]) -> Outcome {
        var outcome = Outcome()
        // Source document → every (root, evaluation) rendering it.
        var renderings: [SourceDocument: [(root: Int, evaluation: WorkloadEvaluation)]] = [:]
        for (index, entry) in judged.enumerated() {
            for evaluation in entry.evaluations {
                guard let resource = entry.root.resource(of: evaluation.workload) else { continue }
                renderings[resource.document, default: []].append((index, evaluation))
            }
        }
        // Source file → the plans for its documents, and the roots they affect.
        var byFile: [String: (documents: [(SourceDocument, FixPlan)], roots: Set<Int>)] = [:]
        for (document, entries) in renderings.sorted(by: { ($0.key.file, $0.key.documentIndex) < ($1.key.file, $1.key.documentIndex) }) {
            guard let first = entries.compactMap(\.evaluation.fixPlan).first else { continue }
            let samePlan = entries.allSatisfy { entry in
                entry.evaluation.fixPlan.map { $0.architectures == first.architectures && $0.preferredArchitecture == first.preferredArchitecture } ?? false
            }
            // Otherwise each root gets its own patch (ManagedPatchPlanner).
            guard samePlan else { continue }
            let owned = entries.allSatisfy { entry in
                owns(document, entry.evaluation.workload, in: judged[entry.root].root)
            }
            guard owned else { continue }
            byFile[document.location, default: ([], [])].documents.append((document, first))
            byFile[document.location, default: ([], [])].roots.formUnion(entries.map(\.root))
        }
        for (location, group) in byFile.sorted(by: { $0.key < $1.key }) {
            let display = group.documents[0].0.file
            do throws(FixError) {
                guard case .success(let bytes) = files.read(location) else { throw FixError.verificationFailed("cannot read \(display)") }
                let scanned = ManifestScanner.scan(path: display, bytes: bytes, detail: .full)
                var plans: [(Workload, FixPlan)] = []
                for (document, plan) in group.documents {
                    guard let workload = scanned.workloads.first(where: { $0.documentIndex == document.documentIndex && $0.itemPath == document.itemPath }) else {
                        throw FixError.verificationFailed("document \(document.documentIndex + 1) of \(display) has no workload")
                    }
                    plans.append((workload, plan))
                }
                guard let fixed = try Fixer.fix(file: scanned, plans: plans) else { continue }
                let documents = Set(group.documents.map(\.0))
                let again = files.replacing([location: fixed])
                for root in group.roots.sorted() {
                    try verify(judged[root].root, documents: documents, files: again, judge: judge)
                }
                outcome.edits.append(Edit(
                    location: location, file: display, old: bytes, new: fixed,
                    fixed: group.roots.sorted().flatMap { root in group.documents.map { (judged[root].root.name, $0.0) } }))
            } catch {
                outcome.notFixed.append("\(display): not fixed: \(error)")
            }
        }
        return outcome
    }

    /// Whether everything the rendered pod spec says about placement comes from `document`'s file.
    static func owns(_ document: SourceDocument, _ workload: Workload, in root: RenderedRoot) -> Bool {
        guard let resource = root.resource(of: workload) else { return false }
        let podSpec = resource.tree.value(at: workload.podSpecPath)
        let placement = ["affinity", "nodeSelector"].compactMap { podSpec?[$0] }
        return placement.allSatisfy { $0.origins.allSatisfy { $0.file == document.file } }
    }

    /// Renders the root again over the edited files: every object must be as before except the
    /// fixed workloads' node affinity, and those must now need no fix.
    static func verify(_ root: RenderedRoot, documents: Set<SourceDocument>, files: SourceFiles, judge: (RenderedRoot) -> [WorkloadEvaluation]) throws(FixError) {
        guard case .success(let resources) = KustomizeRenderer(files: files).render(root) else {
            throw .verificationFailed("root \(root.name) no longer renders after the edit")
        }
        guard resources.count == root.resources.count else {
            throw .verificationFailed("root \(root.name) renders a different number of objects after the edit")
        }
        for (old, new) in zip(root.resources, resources) {
            let fixed = documents.contains(old.document)
            guard withoutNodeAffinity(old.tree, fixed: fixed).sameValue(as: withoutNodeAffinity(new.tree, fixed: fixed)) else {
                throw .verificationFailed("root \(root.name): \(old.kind ?? "object") \(old.name ?? "") would change beyond its node affinity")
            }
        }
        let rendered = root.rendering(resources)
        try requireNothingLeft(in: rendered, documents: documents, judge: judge)
    }

    /// A second `fix` of the fixed workloads must change nothing. (A plan alone is no proof of work
    /// left: under `prefer` every workload has one, which the editor meets by doing nothing.)
    static func requireNothingLeft(in rendered: RenderedRoot, documents: Set<SourceDocument>, judge: (RenderedRoot) -> [WorkloadEvaluation]) throws(FixError) {
        let plans = judge(rendered).compactMap { evaluation -> (Workload, FixPlan)? in
            guard let plan = evaluation.fixPlan, let resource = rendered.resource(of: evaluation.workload), documents.contains(resource.document) else { return nil }
            return (evaluation.workload, plan)
        }
        guard !plans.isEmpty else { return }
        if try Fixer.fix(file: rendered.file, plans: plans) != nil {
            let resource = rendered.resource(of: plans[0].0)
            throw .verificationFailed("root \(rendered.name): \(resource?.kind ?? "object") \(resource?.name ?? "") still needs a fix after the edit")
        }
    }

    /// The object with every pod template's `affinity.nodeAffinity` removed (and `affinity` when that
    /// leaves it empty), for comparing everything else.
    static func withoutNodeAffinity(_ node: ResourceNode, fixed: Bool) -> ResourceNode {
        guard fixed else { return node }
        var node = node
        switch node.value {
        case .mapping(var pairs):
            pairs = pairs.compactMap { pair in
                guard pair.key == "affinity", var affinity = pair.value.pairs else { return (pair.key, withoutNodeAffinity(pair.value, fixed: true)) }
                affinity.removeAll { $0.key == "nodeAffinity" }
                return affinity.isEmpty ? nil : (pair.key, ResourceNode(.mapping(affinity)))
            }
            node.value = .mapping(pairs)
        case .sequence(let items):
            node.value = .sequence(items.map { withoutNodeAffinity($0, fixed: true) })
        case .scalar:
            break
        }
        return node
    }
}
