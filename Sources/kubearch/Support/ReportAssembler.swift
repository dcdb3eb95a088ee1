import KubearchCore
import KubearchReporters

/// Puts `check`'s report together while files are still being judged, in exactly the order a
/// finished `CheckReport` has: plain files arrive one by one in walk order (which is report
/// order: by path), rendered roots' findings are known before (or, for GitOps objects found on
/// the way, before any file they could sort before); the two are merged as a stable sort of
/// "plain, then rendered" would order them. Only counts are kept of what was written.
struct ReportAssembler {
    private var stream: any ReportStream
    /// Rendered findings not written yet, in report order.
    private var pendingRendered: [Finding] = []
    private var nextRendered = 0
    /// Rows of plain files in walk order, then of rendered roots in root order (only when kept).
    private var plainRows = RenderedRowSpill()
    private var renderedRows: [WorkloadReport] = []
    private let keepsRows: Bool
    private(set) var summary = ReportSummary(files: 0, workloads: 0, findings: [])

    init(stream: any ReportStream, keepsRows: Bool) {
        self.stream = stream
        self.keepsRows = keepsRows
    }

    /// Rendered roots' outcomes; their findings must sort after every finding already written.
    mutating func add(rendered examinations: [Examination]) {
        var findings = Array(pendingRendered[nextRendered...])
        for examination in examinations {
            findings += examination.findings
            count(examination)
            if keepsRows { renderedRows += examination.workloads }
        }
        pendingRendered = findings.sorted(by: Finding.reportOrder)
        nextRendered = 0
    }

    /// The next plain file's outcome, in walk order.
    mutating func add(plain examination: Examination) {
        for finding in examination.findings.sorted(by: Finding.reportOrder) {
            // Ties keep plain first, as they came first in the list a finished report sorts.
            while nextRendered < pendingRendered.count, Finding.reportOrder(pendingRendered[nextRendered], finding) {
                write(pendingRendered[nextRendered])
                nextRendered += 1
            }
            write(finding)
        }
        count(examination)
        // Plain files' rows come rendered (`Examination.Rows.rendered`).
        if keepsRows { plainRows.append(rendered: examination.renderedRows, rows: examination.workloadCount) }
    }

    /// Writes the rendered findings left, the rows and the summary.
    mutating func finish() -> ReportOutput {
        while nextRendered < pendingRendered.count {
            write(pendingRendered[nextRendered])
            nextRendered += 1
        }
        pendingRendered = []
        let rendered = WorkloadRowParts.Part(count: renderedRows.count, rows: renderedRows)
        return stream.finish(workloads: WorkloadRowParts([rendered], renderedAhead: plainRows), summary: summary)
    }

    private mutating func write(_ finding: Finding) {
        summary.count(finding)
        stream.add(finding)
    }

    private mutating func count(_ examination: Examination) {
        summary.files += 1
        summary.workloads += examination.workloadCount
    }
}
