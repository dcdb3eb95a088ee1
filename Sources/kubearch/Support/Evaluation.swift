import KubearchCore

/// Scanning, resolution and policy together: what `check` reports and `fix` acts on.
struct Evaluation {
    var set: ManifestSet
    var evaluations: [(file: ScannedFile, workloads: [WorkloadEvaluation])]
    var findings: [Finding]
    var report: CheckReport

    static func run(_ session: Session, paths: [String], progress: Bool) async throws -> (Evaluation, ImageResolutions) {
        let set = try session.scan(paths)
        let resolutions = await ImageCatalog(session: session).resolve(set.workloads, progress: progress)
        let evaluator = WorkloadEvaluator(settings: session.settings)
        var findings: [Finding] = []
        var perFile: [(file: ScannedFile, workloads: [WorkloadEvaluation])] = []
        var workloads: [WorkloadReport] = []
        for file in set.files {
            let evaluated = evaluator.evaluate(file, resolve: resolutions.resolution(of:))
            findings += evaluator.scannerFindings(of: file)
            for evaluation in evaluated {
                findings += evaluation.findings
                workloads.append(WorkloadReport(
                    evaluation.workload,
                    platforms: { image in resolutions.resolution(of: image).platforms?.map(\.description).sorted() },
                    supported: evaluation.supported?.sorted(), allowed: evaluation.allowed.sorted()))
            }
            perFile.append((file, evaluated))
        }
        let report = CheckReport(findings: findings, workloads: workloads, files: set.files.count)
        return (Evaluation(set: set, evaluations: perFile, findings: findings, report: report), resolutions)
    }
}
