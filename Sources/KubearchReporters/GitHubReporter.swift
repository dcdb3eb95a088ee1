import KubearchCore

/// `--format github`: one GitHub Actions workflow command per finding, so each shows as an
/// annotation on the pull request's diff, then the summary as a plain log line.
///
/// ```text
/// ::error file=deploy/web.yaml,line=12,col=5,title=KA004 missing-architecture-constraint::message
/// ```
/// error → `::error`, warning → `::warning`, note → `::notice`.
public struct GitHubReporter: Reporter {
    public init() {}

    public func stream(to output: ReportOutput) -> any ReportStream {
        Stream(output: output)
    }

    struct Stream: ReportStream {
        var output: ReportOutput

        mutating func add(_ finding: Finding) {
            output.write(GitHubReporter.command(for: finding))
            output.write(UInt8(ascii: "\n"))
        }

        mutating func finish(workloads: any Sequence<WorkloadReport>, summary: ReportSummary) -> ReportOutput {
            // A plain line, never mistaken for a command: it cannot start with `::`.
            output.write(SummaryLine.text(for: summary))
            output.write(UInt8(ascii: "\n"))
            return output
        }
    }

    static func command(for finding: Finding) -> String {
        WorkflowCommand.line(
            commandName(for: finding.severity),
            properties: [
                ("file", finding.file),
                ("line", String(finding.line)),
                ("col", String(finding.column)),
                ("title", "\(finding.rule.rawValue) \(finding.rule.name)"),
            ],
            message: finding.message + TextReporter.renderedBy(finding)
        )
    }

    static func commandName(for severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
    }
}
