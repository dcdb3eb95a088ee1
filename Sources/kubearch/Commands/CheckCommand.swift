import ArgumentParser
import FoundationEssentials
import KubearchCore
import KubearchReporters

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report workloads that can land on nodes their images cannot run on. Writes nothing.")

    @OptionGroup var input: PathArguments
    @OptionGroup var options: CommonOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let (outcomes, unreadable) = try await CommandFailure.reporting {
            let session = try Session.load(options)
            let evaluator = WorkloadEvaluator(settings: session.settings)
            var pipeline = Pipeline(session: session, progress: Output.standardErrorIsTerminal)
            let rows = output.format == .json
            return try await pipeline.run(input.paths, rendered: { root, lookup in
                Examination.examine(root, lookup: lookup, evaluator: evaluator, rows: rows).0
            }) { _, file, lookup in
                Examination.examine(file, lookup: lookup, evaluator: evaluator, rows: rows).0
            }
        }
        let report = CheckReport(
            findings: outcomes.flatMap(\.findings), workloads: outcomes.flatMap(\.workloads),
            workloadCount: outcomes.reduce(0) { $0 + $1.workloadCount }, files: outcomes.count)
        let colour = TextReporter.wantsColour(isTerminal: Output.standardOutputIsTerminal, environment: ProcessInfo.processInfo.environment)
        let reporter = output.format.makeReporter(colour: colour, toolVersion: Kubearch.version)
        Output.standardOutput { reporter.write(report, to: &$0) }
        for file in unreadable { Output.standardError("kubearch: \(file)") }
        // Exits with the report still alive: freeing every finding and workload row one by one
        // would only delay the exit (a large part of the serial tail of a 20,000-file run).
        Self.exit(withError: !unreadable.isEmpty ? ExitCode(2) : report.summary.errors > 0 ? ExitCode(1) : nil)
    }
}
