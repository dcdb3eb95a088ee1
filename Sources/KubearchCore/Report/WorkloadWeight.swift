/// How many pods of a workload the report weighs (SPEC §12): `spec.replicas` (default 1), or an
/// autoscaler's min and max; a DaemonSet runs one per node (`--nodes`); Jobs and CronJobs count
/// once and are flagged, as their pods come and go.
public struct WorkloadWeight: Sendable, Hashable {
    public var replicas: Int
    /// Present when a HorizontalPodAutoscaler targets the workload: `replicas` is its minimum.
    public var autoscaler: Autoscaler?

    public var maximumReplicas: Int { autoscaler?.maxReplicas ?? replicas }

    /// A non-negative whole count (`replicas: 3`), or nil when absent; anything else is a problem.
    static func count(_ node: YAMLNode?, file: String, problems: inout [ReportProblem]) -> Int? {
        guard let node, !node.isNull else { return nil }
        guard let text = node.scalar, let value = Int(text), value >= 0 else {
            problems.append(ReportProblem(
                file: file, line: node.start.line, column: node.start.column,
                message: "expected a whole number of replicas, found `\(node.scalar ?? "a collection")`; counted as the default"))
            return nil
        }
        return value
    }
}

/// What the report needs to know about a workload's kind.
public enum WorkloadKind: String, Sendable, Hashable {
    case daemonSet
    /// Job or CronJob: counted once, flagged.
    case batch
    case pod
    case replicated

    init(kind: String?) {
        switch kind {
        case "DaemonSet": self = .daemonSet
        case "Job", "CronJob": self = .batch
        case "Pod": self = .pod
        default: self = .replicated
        }
    }
}
