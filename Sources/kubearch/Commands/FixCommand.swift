import ArgumentParser
import Foundation
import KubearchCore
import KubearchReporters

struct FixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Add or narrow nodeAffinity in place so workloads land only where their images run.",
        discussion: """
            Only the affinity changes: comments, key order, quoting, indentation and every other byte stay \
            as they were. Each new file is parsed again and checked before it replaces the old one, \
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

        var missing: [ImageReference] { examination.missing }
    }

    func run() async throws {
        let dryRun = dryRun
        let (outcomes, unreadable) = try await CommandFailure.reporting {
            let session = try Session.load(options)
            let evaluator = WorkloadEvaluator(settings: session.settings)
            var pipeline = Pipeline(session: session, progress: Output.standardErrorIsTerminal)
            return try await pipeline.run(input.paths) { source, file, lookup in
                Self.fix(source: source, file: file, lookup: lookup, evaluator: evaluator, dryRun: dryRun)
            }
        }
        Output.standardOutput(outcomes.map(\.printed).joined())
        let remaining = outcomes.flatMap(\.examination.findings)
        let report = CheckReport(findings: remaining, workloads: outcomes.flatMap(\.examination.workloads), files: outcomes.count)
        let colour = TextReporter.wantsColour(isTerminal: Output.standardErrorIsTerminal, environment: ProcessInfo.processInfo.environment)
        if !remaining.isEmpty { Output.standardError(TextReporter(colour: colour).render(report)) }
        let workloads = outcomes.map(\.fixedWorkloads).reduce(0, +)
        let files = outcomes.filter(\.changed).count
        Output.standardError("kubearch: \(dryRun ? "would fix" : "fixed") \(workloads) workload\(workloads == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")")
        let failures = outcomes.compactMap(\.failure)
        for failure in failures { Output.standardError("kubearch: \(failure)") }
        for file in unreadable { Output.standardError("kubearch: \(file)") }
        if !failures.isEmpty || !unreadable.isEmpty { throw ExitCode(2) }
        if report.summary.errors > 0 { throw ExitCode(1) }
    }

    /// Judges, fixes and writes one file in a worker. The findings kept are those the fix leaves.
    static func fix(source: ManifestSource, file lean: ScannedFile, lookup: ImageLookup, evaluator: WorkloadEvaluator, dryRun: Bool) -> Outcome {
        var (examination, evaluations) = Examination.examine(lean, lookup: lookup, evaluator: evaluator)
        var outcome = Outcome(examination: examination)
        // Standard input is a filter: what comes out is the stream, fixed or not.
        if source.location == "-" { outcome.printed = String(decoding: lean.bytes, as: UTF8.self) }
        guard examination.missing.isEmpty, evaluations.contains(where: { $0.fixPlan != nil }) else { return outcome }
        // Edits need every node: scan this file again in full (its bytes are already in memory).
        let file = ManifestScanner.scan(path: lean.path, bytes: lean.bytes)
        (examination, evaluations) = Examination.examine(file, lookup: lookup, evaluator: evaluator)
        outcome.examination = examination
        let planned = evaluations.filter { $0.fixPlan != nil }
        do {
            guard let fixed = try Fixer.fix(file: file, plans: planned.compactMap { evaluation in evaluation.fixPlan.map { (evaluation.workload, $0) } })
            else { return outcome }
            if source.location == "-" {
                outcome.printed = String(decoding: fixed, as: UTF8.self)
            } else if dryRun {
                outcome.printed = UnifiedDiff.render(old: file.bytes, new: fixed, path: file.path)
            } else {
                try AtomicFileWriter.write(fixed, to: source.location, expectedOriginal: file.bytes)
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
}
