import KubearchCore

/// `--format text`: one line per finding in the style compilers use, then a summary line.
///
/// ```text
/// deploy/web.yaml:12:5: error: web's images do not run on arm64 [KA004 missing-architecture-constraint]
/// 1 error, 0 warnings, 0 notes in 1 workload across 1 file (1 fixable)
/// ```
/// With `colour` the location is bold, the severity coloured and the rule dim (ANSI SGR codes). The CLI
/// asks for colour only on a TTY without `NO_COLOR`. Control characters from the input are shown as
/// escapes so a hostile manifest cannot drive the terminal.
public struct TextReporter: Reporter {
    public var colour: Bool

    public init(colour: Bool) {
        self.colour = colour
    }

    /// The CLI's colour decision in one place: only on a terminal, never when `NO_COLOR` is set to a
    /// non-empty value (no-color.org), and not for `TERM=dumb`, which cannot show ANSI codes.
    public static func wantsColour(isTerminal: Bool, environment: [String: String]) -> Bool {
        guard isTerminal else { return false }
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    public func stream(to output: ReportOutput) -> any ReportStream {
        Stream(reporter: self, output: output)
    }

    /// Lines need no state: each finding is one line, the summary the last.
    struct Stream: ReportStream {
        var reporter: TextReporter
        var output: ReportOutput

        mutating func add(_ finding: Finding) {
            output.write(reporter.line(for: finding))
            output.write(UInt8(ascii: "\n"))
        }

        mutating func finish(workloads: any Sequence<WorkloadReport>, summary: ReportSummary) -> ReportOutput {
            output.write(reporter.summary(summary))
            output.write(UInt8(ascii: "\n"))
            return output
        }
    }

    func line(for finding: Finding) -> String {
        let location = "\(TerminalSanitizer.sanitize(finding.file)):\(finding.line):\(finding.column):"
        let severity = "\(finding.severity.rawValue):"
        let rule = "[\(finding.rule.rawValue) \(finding.rule.name)]"
        let message = TerminalSanitizer.sanitize(finding.message + Self.renderedBy(finding))
        return "\(paint(location, .bold)) \(paint(severity, Self.style(for: finding.severity))) \(message) \(paint(rule, .dim))"
    }

    /// ` (kustomization overlays/prod)` for a finding about a rendered root, ` (GitOps object
    /// clusters/prod/apps.yaml#apps)` for one a GitOps object deploys (SPEC §11 names it `FILE#NAME`).
    static func renderedBy(_ finding: Finding) -> String {
        finding.kustomization.map { $0.contains("#") ? " (GitOps object \($0))" : " (kustomization \($0))" } ?? ""
    }

    func summary(_ summary: ReportSummary) -> String {
        let text = SummaryLine.text(for: summary)
        let style: ANSIStyle =
            if summary.errors > 0 { .boldRed }
            else if summary.warnings > 0 { .boldYellow }
            else if summary.notes > 0 { .bold }
            else { .boldGreen }
        return paint(text, style)
    }

    private static func style(for severity: Severity) -> ANSIStyle {
        switch severity {
        case .error: .boldRed
        case .warning: .boldYellow
        case .note: .boldCyan
        }
    }

    private func paint(_ text: String, _ style: ANSIStyle) -> String {
        colour ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}

/// SGR parameter strings for the few styles the text output uses.
enum ANSIStyle: String {
    case bold = "1"
    case dim = "2"
    case boldRed = "1;31"
    case boldGreen = "1;32"
    case boldYellow = "1;33"
    case boldCyan = "1;36"
}
