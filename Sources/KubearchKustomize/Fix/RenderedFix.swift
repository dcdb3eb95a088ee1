import KubearchCore

/// Everything `fix` would write for the rendered roots of a run (SPEC §11), without writing it:
/// first the source-document edits that are safe for every root (`RenderedFixPlanner`), then, over
/// the files as those edits leave them, the managed patches of each root that still needs a
/// constraint (`ManagedPatchPlanner`). `fix` writes the result; `explain` shows a workload's part.
public enum RenderedFix {
    public struct Write: Sendable {
        /// Absolute and display path.
        public var location: String
        public var file: String
        /// nil for a new file.
        public var old: [UInt8]?
        public var new: [UInt8]
        /// Root names and source documents of the workloads this write fixes (with others).
        public var fixes: [(root: String, document: SourceDocument)]
        /// Whether it is one of the patches kubearch manages for a root (or that root's kustomization).
        public var isManagedPatch: Bool
        /// The workloads counted for it (each once, with its root's first write).
        public var workloads: Int
    }

    public struct Plan: Sendable {
        public var writes: [Write] = []
        /// Why workloads that need a constraint are left alone.
        public var notFixed: [String] = []

        /// Per root, the source documents whose rendered workloads the writes fix.
        public var fixedDocuments: [String: Set<SourceDocument>] {
            var result: [String: Set<SourceDocument>] = [:]
            for write in writes { for (root, document) in write.fixes { result[root, default: []].insert(document) } }
            return result
        }
    }

    public static func plan(
        _ judged: [RenderedFixPlanner.Judged], files: SourceFiles, judge: (RenderedRoot) -> [WorkloadEvaluation]
    ) -> Plan {
        var plan = Plan()
        let sourceEdits = RenderedFixPlanner.plan(judged, files: files, judge: judge)
        plan.notFixed = sourceEdits.notFixed
        for edit in sourceEdits.edits {
            plan.writes.append(Write(
                location: edit.location, file: edit.file, old: edit.old, new: edit.new, fixes: edit.fixed, isManagedPatch: false, workloads: edit.fixed.count))
        }
        let done = plan.fixedDocuments
        let edited = files.replacing(Dictionary(sourceEdits.edits.map { ($0.location, $0.new) }, uniquingKeysWith: { $1 }))
        for entry in judged {
            let remaining = entry.evaluations.contains { evaluation in
                guard evaluation.fixPlan != nil, let resource = entry.root.resource(of: evaluation.workload) else { return false }
                return !(done[entry.root.name]?.contains(resource.document) ?? false)
            }
            guard remaining else { continue }
            do throws(FixError) {
                // A GitOps object's constraint may belong in the object itself (GitOpsPatchPlanner).
                let planned = GitOpsPatchPlanner.patchesObject(entry.root, current: entry.evaluations, files: edited, judge: judge)
                    ? try GitOpsPatchPlanner.plan(entry.root, current: entry.evaluations, files: edited, judge: judge)
                    : try ManagedPatchPlanner.plan(entry.root, current: entry.evaluations, files: edited, judge: judge)
                guard let patches = planned else { continue }
                for (index, write) in patches.writes.enumerated() {
                    plan.writes.append(Write(
                        location: write.location, file: write.file, old: write.old, new: write.new,
                        fixes: patches.fixed.map { (entry.root.name, $0) }, isManagedPatch: true, workloads: index == 0 ? patches.fixed.count : 0))
                }
            } catch {
                plan.notFixed.append("root \(entry.root.name): not fixed: \(error)")
            }
        }
        return plan
    }
}
