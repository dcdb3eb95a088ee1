import ArgumentParser
import FoundationEssentials
import KubearchCore
import KubearchKustomize
import KubearchReporters

struct FixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Add or narrow nodeAffinity in place so workloads land only where their images run.",
        discussion: """
            Only the affinity changes: comments, key order, quoting, indentation and every other byte stay \
            as they were. Each new file is checked before it replaces the old one (what changed is parsed \
            again, the rest compared byte for byte), \
            atomically; a file that changed since it was read is left alone. With '-' the fixed stream \
            is printed instead.
            """)

    @OptionGroup var input: PathArguments
    @OptionGroup var options: CommonOptions
    @Flag(name: .customLong("dry-run"), help: "Print a unified diff of the changes instead of writing them.")
    var dryRun = false

    /// What fixing one file came to.
    struct Outcome: FileOutcome {
        var examination: Examination
        var fixedWorkloads = 0
        var changed = false
        /// Diff (`--dry-run`) or the fixed stream (`-`), printed in file order at the end.
        var printed = ""
        var failure: String?
        /// A rendered kustomize root and its evaluations, fixed after every root is judged.
        var rendered: RenderedFixPlanner.Judged? {
            get { renderedBox?.value }
            set { renderedBox = newValue.map(RenderedBox.init) }
        }
        /// Held by reference: inline it made every plain file's outcome 640 bytes instead of 176,
        /// and a 20,000-file run copies its list of outcomes several times.
        private var renderedBox: RenderedBox?
        /// Where the file was written, and the findings that remain if that write is lost at commit.
        var written: (location: String, findingsIfNotWritten: [Finding])?
        /// A fixed file inside a kustomization's folder, written only once the kustomize tree shows
        /// that no kustomization reads it (then it is plain).
        var heldBack: (location: String, original: [UInt8], fixed: [UInt8], findingsIfNotWritten: [Finding])?

        var missing: [ImageReference] { examination.missing }

        init(examination: Examination, rendered: RenderedFixPlanner.Judged? = nil) {
            self.examination = examination
            self.rendered = rendered
        }
    }

    final class RenderedBox: Sendable {
        let value: RenderedFixPlanner.Judged
        init(_ value: RenderedFixPlanner.Judged) { self.value = value }
    }

    func run() async throws {
        let dryRun = dryRun
        let writer = AtomicBatchWriter()
        var (outcomes, unreadable) = try await CommandFailure.reporting {
            let session = try Session.load(options)
            let evaluator = WorkloadEvaluator(settings: session.settings)
            var pipeline = Pipeline(session: session, progress: Output.standardErrorIsTerminal)
            pipeline.listedFolders = KustomizationAncestry.listedFolders()
            let ancestry = KustomizationAncestry(
                files: SourceFiles(currentDirectory: session.currentDirectory, repositoryRoot: RepositoryRoot.find(startingAt: session.currentDirectory)),
                listed: pipeline.listedFolders)
            // Full trees from the start: edits need every node, and most files of a repository that
            // needs `fix` have something to fix (a lean scan first meant scanning those twice).
            var (outcomes, unreadable) = try await pipeline.run(input.paths, detail: .full, rendered: { root, lookup in
                let (examination, evaluations) = Examination.examine(root, lookup: lookup, evaluator: evaluator, rows: false)
                return Outcome(examination: examination, rendered: RenderedFixPlanner.Judged(root: root, evaluations: evaluations))
            }, afterWalk: writer.commitStaged) { source, file, lookup in
                // A base or a patch must not be edited as a plain file: those inside a kustomization's
                // folder wait until the tree is known.
                Self.fix(source: source, file: file, lookup: lookup, evaluator: evaluator, dryRun: dryRun, writer: writer) {
                    source.location != "-" && ancestry.isInsideKustomization(source.location)
                }
            }
            // What is left of them after the kustomize tree took its files is plain.
            for index in outcomes.indices {
                guard let held = outcomes[index].heldBack else { continue }
                do {
                    try writer.write(held.fixed, to: held.location, expectedOriginal: held.original)
                    outcomes[index].written = (held.location, held.findingsIfNotWritten)
                } catch {
                    outcomes[index].changed = false
                    outcomes[index].fixedWorkloads = 0
                    outcomes[index].examination.findings = held.findingsIfNotWritten
                    outcomes[index].failure = "\(outcomes[index].examination.path): not fixed: \(error)"
                }
            }
            let lookup = pipeline.lookup
            Self.fixRendered(&outcomes, session: session, dryRun: dryRun, writer: writer) { root in
                Examination.examine(root, lookup: lookup, evaluator: evaluator, rows: false).1
            }
            return (outcomes, unreadable)
        }
        Self.record(writer.finish(), in: &outcomes)
        if outcomes.contains(where: { !$0.printed.isEmpty }) { Output.standardOutput(outcomes.map(\.printed).joined()) }
        let remaining = outcomes.flatMap(\.examination.findings)
        let report = CheckReport(
            findings: remaining, workloads: [], workloadCount: outcomes.reduce(0) { $0 + $1.examination.workloadCount }, files: outcomes.count)
        let colour = TextReporter.wantsColour(isTerminal: Output.standardErrorIsTerminal, environment: ProcessInfo.processInfo.environment)
        if !remaining.isEmpty { Output.standardError(TextReporter(colour: colour).render(report)) }
        let workloads = outcomes.map(\.fixedWorkloads).reduce(0, +)
        let files = outcomes.count(where: \.changed)
        Output.standardError("kubearch: \(dryRun ? "would fix" : "fixed") \(workloads) workload\(workloads == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")")
        let failures = outcomes.compactMap(\.failure)
        for failure in failures { Output.standardError("kubearch: \(failure)") }
        for file in unreadable { Output.standardError("kubearch: \(file)") }
        // As `check` does: exits with the outcomes still alive rather than freeing them one by one.
        Self.exit(withError: !failures.isEmpty || !unreadable.isEmpty ? ExitCode(2) : report.summary.errors > 0 ? ExitCode(1) : nil)
    }

    /// Judges, fixes and writes one file in a worker (when `holdBack` says so, the fixed text is held
    /// back for the caller; it is asked only of files that changed). The findings kept are those
    /// the fix leaves.
    static func fix(
        source: ManifestSource, file: ScannedFile, lookup: ImageLookup, evaluator: WorkloadEvaluator, dryRun: Bool,
        writer: AtomicBatchWriter, holdBack: () -> Bool = { false }
    ) -> Outcome {
        let (examination, evaluations) = Examination.examine(file, lookup: lookup, evaluator: evaluator, rows: .none)
        var outcome = Outcome(examination: examination)
        // Standard input is a filter: what comes out is the stream, fixed or not.
        if source.location == "-" { outcome.printed = String(decoding: file.bytes, as: UTF8.self) }
        guard examination.missing.isEmpty, evaluations.contains(where: { $0.fixPlan != nil }) else { return outcome }
        let planned = evaluations.filter { $0.fixPlan != nil }
        do {
            guard let fixed = try Fixer.fix(file: file, plans: planned.compactMap { evaluation in evaluation.fixPlan.map { (evaluation.workload, $0) } })
            else { return outcome }
            if source.location == "-" {
                outcome.printed = String(decoding: fixed, as: UTF8.self)
            } else if dryRun {
                outcome.printed = UnifiedDiff.render(old: file.bytes, new: fixed, path: file.path)
            } else if holdBack() {
                outcome.heldBack = (source.location, file.bytes, fixed, examination.findings)
            } else {
                try writer.write(fixed, to: source.location, expectedOriginal: file.bytes)
                outcome.written = (source.location, examination.findings)
            }
            outcome.changed = true
            outcome.fixedWorkloads = planned.count
            // The fixable findings of fixed workloads are gone; everything else remains.
            outcome.examination.findings = examination.findings.filter { finding in
                !(finding.fixable && planned.contains { $0.findings.contains(finding) })
            }
        } catch {
            outcome.failure = "\(file.path): not fixed: \(error)"
        }
        return outcome
    }

    /// Writes what `RenderedFix` plans for the rendered roots (SPEC §11): source-document edits where
    /// they are safe for every root, managed patches per root otherwise, each verified by rendering
    /// the roots again. Workloads it cannot fix keep their findings, and the reason is printed.
    static func fixRendered(
        _ outcomes: inout [Outcome], session: Session, dryRun: Bool, writer: AtomicBatchWriter,
        judge: (RenderedRoot) -> [WorkloadEvaluation]
    ) {
        let all = outcomes.compactMap(\.rendered)
        let judged = all.filter { $0.root.problem == nil }
        guard judged.contains(where: { $0.evaluations.contains { $0.fixPlan != nil } }) else { return }
        // A root that cannot be rendered may read the same bases: editing them could change it unseen.
        if let broken = all.first(where: { $0.root.problem != nil && $0.root.readsThisRepository }) {
            Output.standardError("kubearch: kustomize sources not fixed: root \(broken.root.name) cannot be rendered, so edits to the files it may read cannot be verified for it")
            return
        }
        let files = SourceFiles(currentDirectory: session.currentDirectory, repositoryRoot: RepositoryRoot.find(startingAt: session.currentDirectory))
        let plan = RenderedFix.plan(judged, files: files, judge: judge)
        var fixedByRoot: [String: Set<String>] = [:]
        for (root, documents) in plan.fixedDocuments {
            fixedByRoot[root] = Set(documents.map { "\($0.file):\($0.kindPosition.line)" })
        }
        for write in plan.writes {
            var outcome = Outcome(examination: Examination(path: write.file))
            do {
                if dryRun {
                    outcome.printed = UnifiedDiff.render(old: write.old ?? [], new: write.new, path: write.file, isNew: write.old == nil)
                } else {
                    try writer.write(write.new, to: write.location, expectedOriginal: write.old)
                    outcome.written = (write.location, [])
                }
                outcome.changed = true
                outcome.fixedWorkloads = write.workloads
            } catch {
                outcome.failure = "\(write.file): not fixed: \(error)"
            }
            outcomes.append(outcome)
        }
        // The fixable findings of fixed rendered workloads are gone; everything else remains.
        for index in outcomes.indices {
            guard let root = outcomes[index].rendered?.root.name, let fixed = fixedByRoot[root] else { continue }
            outcomes[index].examination.findings.removeAll { $0.fixable && fixed.contains("\($0.file):\($0.line)") }
        }
        for reason in plan.notFixed { Output.standardError("kubearch: \(reason)") }
    }

    /// Files whose staged write could not be put in place (changed on disk meanwhile, a failed
    /// flush) are reported as not fixed, with their findings as they were.
    static func record(_ failures: [AtomicBatchWriter.Failure], in outcomes: inout [Outcome]) {
        guard !failures.isEmpty else { return }
        let errors = Dictionary(failures.map { ($0.path, $0.error) }, uniquingKeysWith: { first, _ in first })
        for index in outcomes.indices {
            guard let written = outcomes[index].written, let error = errors[written.location] else { continue }
            outcomes[index].changed = false
            outcomes[index].fixedWorkloads = 0
            outcomes[index].examination.findings = written.findingsIfNotWritten
            outcomes[index].failure = "\(outcomes[index].examination.path): not fixed: \(error)"
        }
    }
}
