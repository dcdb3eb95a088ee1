import Foundation
import ArgumentParser
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
        let (evaluation, _) = try await CommandFailure.reporting {
            let session = try Session.load(options)
            return try await Evaluation.run(session, paths: input.paths, progress: Output.standardErrorIsTerminal)
        }
        let colour = TextReporter.wantsColour(isTerminal: Output.standardOutputIsTerminal, environment: ProcessInfo.processInfo.environment)
        Output.standardOutput(output.format.makeReporter(colour: colour, toolVersion: Kubearch.version).render(evaluation.report))
        for file in evaluation.set.unreadable { Output.standardError("kubearch: \(file)") }
        if !evaluation.set.unreadable.isEmpty { throw ExitCode(2) }
        if evaluation.report.summary.errors > 0 { throw ExitCode(1) }
    }
}
