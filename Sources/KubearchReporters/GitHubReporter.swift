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

    public func write(_ report: CheckReport, to output: inout ReportOutput) {
        for finding in report.findings {
            output.write(Self.command(for: finding))
            output.write(UInt8(ascii: "\n"))
        }
        // A plain line, never mistaken for a command: it cannot start with `::`.
        output.write(SummaryLine.text(for: report.summary))
        output.write(UInt8(ascii: "\n"))
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
