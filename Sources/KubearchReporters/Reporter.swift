import KubearchCore

/// A reporter turns a report into the bytes one output format prints.
public protocol Reporter: Sendable {
    /// A stream that writes this format's report to `output` as its findings are added, so that a
    /// run can print findings while it still judges later files and never hold them all.
    func stream(to output: ReportOutput) -> any ReportStream
}

/// One report being written: the findings in report order, one by one, then what only the end of
/// the run knows (the workload rows and the summary).
public protocol ReportStream {
    mutating func add(_ finding: Finding)
    /// Writes the rest of the report and hands back the output (its last chunk not yet drained).
    mutating func finish(workloads: any Sequence<WorkloadReport>, summary: ReportSummary) -> ReportOutput
}

extension Reporter {
    /// Writes a finished report; the same bytes as adding its findings to `stream(to:)` one by one.
    public func write(_ report: CheckReport, to output: inout ReportOutput) {
        var stream = stream(to: output)
        for finding in report.findings { stream.add(finding) }
        output = stream.finish(workloads: report.workloads, summary: report.summary)
    }

    /// The whole output as one string (tests, and callers that print it elsewhere).
    public func render(_ report: CheckReport) -> String {
        var output = ReportOutput()
        write(report, to: &output)
        return output.text
    }
}
