import ArgumentParser
import KubearchReporters

extension ReportFormat: ExpressibleByArgument {}

/// `--format` for commands that print reports.
struct FormatOption: ParsableArguments {
    @Option(help: "Output format: text, json, sarif or github.")
    var format: ReportFormat = .text
}
