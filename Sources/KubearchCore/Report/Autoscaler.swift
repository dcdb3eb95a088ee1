/// A HorizontalPodAutoscaler as the report pairs it with its target: same namespace (as written),
/// same kustomize root, `scaleTargetRef` naming the workload's kind and name.
public struct Autoscaler: Sendable, Hashable {
    public var file: String
    public var line: Int
    /// The kustomize root it was rendered from; nil for plain files.
    public var kustomization: String?
    public var namespace: String?
    public var targetKind: String
    public var targetName: String
    public var minReplicas: Int
    public var maxReplicas: Int

    public init(file: String, line: Int, kustomization: String? = nil, namespace: String?, targetKind: String, targetName: String, minReplicas: Int, maxReplicas: Int) {
        self.file = file
        self.line = line
        self.kustomization = kustomization
        self.namespace = namespace
        self.targetKind = targetKind
        self.targetName = targetName
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
    }

    /// Whether this autoscaler scales `object` (rendered from `kustomization`).
    public func targets(_ object: ObjectIdentity, kustomization: String?) -> Bool {
        self.kustomization == kustomization && namespace == object.namespace && targetKind == object.kind && targetName == object.name
    }

    /// The HorizontalPodAutoscalers of a scanned file (`kind: List` items included). The scanner
    /// only collects workloads, so they are read from the parsed stream here.
    public static func collect(from file: ScannedFile, kustomization: String? = nil, problems: inout [ReportProblem]) -> [Autoscaler] {
        var found: [Autoscaler] = []
        var pending = file.stream.documents.map(\.root)
        while let node = pending.popLast() {
            let object = node.resolved
            let kind = object["kind"]?.scalar
            if let kind, kind.hasSuffix("List"), let items = object["items"]?.sequence {
                pending += items
                continue
            }
            guard kind == "HorizontalPodAutoscaler", let spec = object["spec"],
                  let target = spec["scaleTargetRef"], let targetKind = target["kind"]?.scalar, let targetName = target["name"]?.scalar
            else { continue }
            let minimum = WorkloadWeight.count(spec["minReplicas"], file: file.path, problems: &problems) ?? 1
            let maximum = WorkloadWeight.count(spec["maxReplicas"], file: file.path, problems: &problems) ?? minimum
            found.append(Autoscaler(
                file: file.path, line: (object.pair(forKey: "kind")?.key.start ?? object.start).line, kustomization: kustomization,
                namespace: object["metadata"]?["namespace"]?.scalar, targetKind: targetKind, targetName: targetName,
                minReplicas: minimum, maxReplicas: max(minimum, maximum)))
        }
        return found.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
    }
}
