/// One workload judged for one target architecture, with its weight read from the manifest. Built
/// from the evaluator's `WorkloadEvaluation` (the report and `check` share one judgement of
/// images), so a rendered kustomize workload is judged the same way once it is evaluated.
public struct WorkloadReadiness: Sendable, Hashable {
    public var file: String
    public var line: Int
    /// The kustomize root it was rendered from; nil for plain files.
    public var kustomization: String?
    public var object: ObjectIdentity
    public var kind: WorkloadKind
    /// Windows pods are listed apart and left out of every number.
    public var isWindows: Bool
    /// ready, blocked or unknown (`upgradable` is decided by the report, from upgrade answers).
    public var status: ReadinessStatus
    /// Canonical references of the images without `linux/TARGET`, in container order, once each.
    public var blockers: [String]
    /// The images that could not be resolved (canonical, or as written when invalid), for `unknown`.
    public var unresolved: [String]
    /// The effective request of one pod.
    public var podRequest: ResourceRequest
    /// `spec.replicas` as written (1 when absent, and for kinds without it).
    public var declaredReplicas: Int
    /// The team named by a label (`app.kubernetes.io/part-of`, else `team`) on the object or its pod template.
    public var labelTeam: String?
    /// Quantities or counts that could not be read.
    public var problems: [ReportProblem]

    public static let teamLabels = ["app.kubernetes.io/part-of", "team"]

    /// How `report` scans: lean, keeping what the weights (`resources`, `overhead`) and teams
    /// (`labels`) are read from. An autoscaler's `scaleTargetRef`, `minReplicas` and `maxReplicas`
    /// are never skipped.
    public static let scanDetail = ManifestScanner.Detail.leanKeeping(["resources", "overhead", "labels"])

    public init(evaluation: WorkloadEvaluation, target: String, kustomization: String? = nil) {
        let workload = evaluation.workload
        file = workload.file
        line = workload.kindPosition.line
        self.kustomization = kustomization
        object = workload.object
        kind = WorkloadKind(kind: workload.object.kind)
        isWindows = evaluation.os == "windows"
        var blockers: [String] = []
        var unresolved: [String] = []
        for (image, resolution) in zip(workload.images, evaluation.resolutions) {
            let name = image.canonicalReference ?? image.reference
            switch resolution {
            case .unresolved:
                if !unresolved.contains(name) { unresolved.append(name) }
            case .resolved(_, let platforms):
                let runs = platforms.contains { $0.os == "linux" && $0.nodeArchitecture == target }
                if !runs, !blockers.contains(name) { blockers.append(name) }
            }
        }
        self.blockers = blockers
        self.unresolved = unresolved
        status = !unresolved.isEmpty ? .unknown : blockers.isEmpty ? .ready : .blocked
        var problems: [ReportProblem] = []
        podRequest = PodRequest.effective(podSpec: workload.podSpec, file: workload.file, problems: &problems)
        declaredReplicas = kind == .replicated
            ? WorkloadWeight.count(workload.objectNode["spec"]?["replicas"], file: workload.file, problems: &problems) ?? 1
            : 1
        labelTeam = Self.team(of: workload)
        self.problems = problems
    }

    /// The first team label found, on the object first, then on its pod template.
    static func team(of workload: Workload) -> String? {
        let templateMetadata = Array(workload.podSpecPath.dropLast()) + ["metadata", "labels"]
        let places = [workload.objectNode.value(at: ["metadata", "labels"]), workload.podSpecPath.count > 1 ? workload.objectNode.value(at: templateMetadata) : nil]
        for label in teamLabels {
            for labels in places {
                if let value = labels?[label]?.scalar, !value.isEmpty { return value }
            }
        }
        return nil
    }
}
