import ArgumentParser
import FoundationEssentials
import KubearchCore
import KubearchKustomize
import KubearchReporters

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report workloads that can land on nodes their images cannot run on. Writes nothing.")

    @OptionGroup var input: PathArguments
    @OptionGroup var options: CommonOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let colour = TextReporter.wantsColour(isTerminal: Output.standardOutputIsTerminal, environment: ProcessInfo.processInfo.environment)
        let reporter = output.format.makeReporter(colour: colour, toolVersion: Kubearch.version)
        let rows = output.format == .json
        let (summary, unreadable) = try await CommandFailure.reporting { () async throws -> (ReportSummary, [UnreadableFile]) in
            let session = try Session.load(options)
            let evaluator = WorkloadEvaluator(settings: session.settings)
            var pipeline = Pipeline(session: session, progress: Output.standardErrorIsTerminal)
            let examineRendered: @Sendable (RenderedRoot, ImageLookup) -> Examination = { root, lookup in
                Examination.examine(root, lookup: lookup, evaluator: evaluator, rows: rows).0
            }
            let examine: @Sendable (ManifestSource, ScannedFile, ImageLookup) -> Examination = { _, file, lookup in
                Examination.examine(file, lookup: lookup, evaluator: evaluator, rows: rows ? .kept : .none).0
            }
            if let folder = input.paths.first, pipeline.canStream(input.paths) {
                // Findings are printed while later files are judged; only counts (and, for JSON,
                // the workload rows, encoded by the workers) are kept.
                var assembler = ReportAssembler(stream: reporter.stream(to: Output.standardOutputChunks()), keepsRows: rows)
                let unreadable = try pipeline.stream(folder, into: &assembler, rendered: examineRendered) { _, file, lookup in
                    Examination.examine(file, lookup: lookup, evaluator: evaluator, rows: rows ? .rendered : .none).0
                }
                var written = assembler.finish()
                written.finish()
                return (assembler.summary, unreadable)
            }
            let (outcomes, unreadable) = try await pipeline.run(input.paths, rendered: examineRendered) { source, file, lookup in
                examine(source, file, lookup)
            }
            let report = CheckReport(
                findings: outcomes.flatMap(\.findings), workloads: outcomes.flatMap(\.workloads),
                workloadCount: outcomes.reduce(0) { $0 + $1.workloadCount }, files: outcomes.count)
            Output.standardOutput { reporter.write(report, to: &$0) }
            return (report.summary, unreadable)
        }
        for file in unreadable { Output.standardError("kubearch: \(file)") }
        // Exits without freeing what the run built: freeing every finding and workload row one by
        // one would only delay the exit (a large part of the serial tail of a 20,000-file run).
        Self.exit(withError: !unreadable.isEmpty ? ExitCode(2) : summary.errors > 0 ? ExitCode(1) : nil)
    }
}
