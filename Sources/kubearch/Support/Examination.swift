import KubearchCore
import KubearchKustomize
import KubearchReporters

/// What `check` keeps of one file: its findings and workload rows, or the images still to ask about.
struct Examination: FileOutcome {
    var path: String
    var findings: [Finding] = []
    /// Rows for reports that list workloads (JSON); empty when the report does not show them.
    var workloads: [WorkloadReport] = []
    /// The same rows rendered as JSON (`JSONReporter.renderRows`), when asked for as `.rendered`.
    var renderedRows: [UInt8] = []
    var workloadCount = 0
    var missing: [ImageReference] = []

    /// Rows share their copies of repeated lists and texts (see `Interner`).
    private static let lists = Interner<[String]>()
    private static let texts = Interner<String>()

    /// Which workload rows `examine` makes.
    enum Rows {
        /// None: only JSON shows them, and building them for 20,000 workloads was a visible part
        /// of a text-format run.
        case none
        /// Values, for a report put together at the end; they share their repeated lists and texts.
        case kept
        /// JSON text for a `RenderedRowSpill`, made on the worker that judged the file (a report
        /// written as it goes keeps them so; interning would only take a lock per list).
        case rendered
    }

    /// Judges one file with what `lookup` knows; returns the evaluations too, for `fix`.
    static func examine(_ file: ScannedFile, lookup: ImageLookup, evaluator: WorkloadEvaluator, rows: Rows = .kept) -> (Examination, [WorkloadEvaluation]) {
        let missing = lookup.missing(in: file)
        guard missing.isEmpty else { return (Examination(path: file.path, missing: missing), []) }
        let evaluations = evaluator.evaluate(file, resolve: lookup.resolution(of:))
        var examination = Examination(path: file.path, findings: evaluator.scannerFindings(of: file), workloadCount: evaluations.count)
        var rendered: [WorkloadReport] = []
        for evaluation in evaluations {
            examination.findings += evaluation.findings
            switch rows {
            case .none:
                continue
            case .rendered:
                rendered.append(row(for: evaluation, shared: false))
            case .kept:
                examination.workloads.append(row(for: evaluation, shared: true))
            }
        }
        JSONReporter.renderRows(rendered, into: &examination.renderedRows)
        return (examination, evaluations)
    }

    /// The report row of an evaluation; `shared` hands its repeated lists and texts out of the
    /// interners (for rows kept as values until the end of the run).
    private static func row(for evaluation: WorkloadEvaluation, shared: Bool) -> WorkloadReport {
        func list(_ values: [String]) -> [String] { shared ? lists.shared(values) : values }
        var row = WorkloadReport(
            evaluation.workload, imagePlatforms: evaluation.resolutions.map { $0.platforms.map { list(sortedDescriptions(of: $0)) } },
            supported: evaluation.supported.map { list($0.sorted()) }, allowed: list(evaluation.allowed.sorted()))
        guard shared else { return row }
        row.podSpecPath = texts.shared(row.podSpecPath)
        for index in row.images.indices {
            row.images[index].canonical = row.images[index].canonical.map(texts.shared)
        }
        return row
    }

    /// Sorted in place: `map(_:).sorted()` made a second array for every image of every row.
    private static func sortedDescriptions(of platforms: [Platform]) -> [String] {
        var descriptions = platforms.map(\.description)
        descriptions.sort()
        return descriptions
    }

    /// Judges a rendered root as `examine` judges a file, then moves every finding and row to the
    /// source lines that decided it (SPEC §11).
    /// Rows are kept as values (`.rendered` is for plain files only).
    static func examine(_ root: RenderedRoot, lookup: ImageLookup, evaluator: WorkloadEvaluator, rows: Bool = true) -> (Examination, [WorkloadEvaluation]) {
        if let problem = root.problem {
            let finding = evaluator.settings.apply(to: [problem.finding(root: root.name)], annotations: [:])
            var examination = Examination(path: root.name, findings: finding)
            examination.findings = examination.findings.map { var moved = $0; moved.kustomization = root.name; return moved }
            return (examination, [])
        }
        var (examination, evaluations) = examine(root.file, lookup: lookup, evaluator: evaluator, rows: rows ? .kept : .none)
        examination.findings = examination.findings.map(root.relocate)
        examination.workloads = zip(examination.workloads, evaluations).map { root.report($0, of: $1.workload) }
        return (examination, evaluations)
    }
}
