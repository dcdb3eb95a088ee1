/// KA002: a DaemonSet puts a pod on every node, but its images miss some cluster architectures
/// (or the policy wants fewer) and nothing keeps the pods off those nodes.
public enum DaemonSetArchitectureGapRule: Rule {
    public static let id = RuleID.daemonSetArchitectureGap
    public static let fixability = RuleFixability.always

    static func finding(_ context: EvaluationContext, desired: Set<String>) -> Finding {
        let crashing = context.cluster.subtracting(context.supported)
        let consequence = crashing.isEmpty
            ? "it runs a pod on every node, including \(RuleText.names(context.cluster.subtracting(desired))) nodes"
            : "it runs a pod on every node, and those on \(RuleText.names(crashing)) nodes crash (exec format error)"
        let message = "\(RuleText.workload(context.workload)): \(context.narrowingReason), but \(consequence); "
            + RuleText.addAffinity(desired)
        return context.finding(id, at: context.workload.kindPosition, message: message, fixable: true)
    }

    public static var examples: [RuleExample] {
        [
            .triggering(line: 2, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: node-exporter
                spec:
                  template:
                    spec:
                      containers:
                      - name: exporter
                        image: exporter:1
                """, images: ["exporter:1": ["linux/amd64"]]),
            .triggering(line: 1, """
                {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
                 "spec": {"template": {"spec": {"containers": [{"name": "agent", "image": "agent:2"}]}}}}
                """, images: ["agent:2": ["linux/arm64/v8", "linux/arm/v7"]]),
            .passing("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: node-exporter
                spec:
                  template:
                    spec:
                      containers:
                      - name: exporter
                        image: exporter:1
                """, images: ["exporter:1": ["linux/amd64", "linux/arm64"]]),
            // Constrained to what its image runs on: at most a KA009 note.
            .passing("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: node-exporter
                spec:
                  template:
                    spec:
                      nodeSelector:
                        kubernetes.io/arch: amd64
                      containers:
                      - name: exporter
                        image: exporter:1
                """, images: ["exporter:1": ["linux/amd64"]]),
        ]
    }
}
