import KubearchCore

/// A reporter turns a finished report into the bytes one output format prints.
public protocol Reporter: Sendable {
    /// Writes the report as it goes (findings one by one), so a large report is never held whole.
    func write(_ report: CheckReport, to output: inout ReportOutput)
}

extension Reporter {
    /// The whole output as one string (tests, and callers that print it elsewhere).
    public func render(_ report: CheckReport) -> String {
        var output = ReportOutput()
        write(report, to: &output)
        return output.text
    }
}
