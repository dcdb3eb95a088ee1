import KubearchCore

/// The one-line summary that ends the text and github outputs, e.g.
/// `3 errors, 1 warning, 0 notes in 12 workloads across 5 files (2 fixable)`, or
/// `no problems in 12 workloads across 5 files` for a clean run. `(N fixable)` appears only when N > 0.
enum SummaryLine {
    static func text(for summary: ReportSummary) -> String {
        let scope = "in \(count(summary.workloads, "workload")) across \(count(summary.files, "file"))"
        if summary.errors + summary.warnings + summary.notes == 0 {
            return "no problems \(scope)"
        }
        let counts = [
            count(summary.errors, "error"),
            count(summary.warnings, "warning"),
            count(summary.notes, "note"),
        ].joined(separator: ", ")
        let fixable = summary.fixable > 0 ? " (\(summary.fixable) fixable)" : ""
        return "\(counts) \(scope)\(fixable)"
    }

    /// `1 file`, `0 files`, `2 files`.
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
