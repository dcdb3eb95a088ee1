/// KA009: a DaemonSet is constrained to fewer architectures than the cluster has. A note: per-arch
/// DaemonSets (flannel's old `kube-flannel-ds-arm64`) do this on purpose.
public enum DaemonSetPartialCoverageRule: Rule {
    public static let id = RuleID.daemonSetPartialCoverage
    public static let fixability = RuleFixability.never

    static func partialFinding(_ context: EvaluationContext) -> Finding {
        let missed = context.cluster.subtracting(context.allowed)
        let message = "\(RuleText.workload(context.workload)) runs only on \(RuleText.names(context.allowed)) nodes; "
            + "\(RuleText.names(missed)) nodes get none of its pods (fine if another DaemonSet covers them)"
        return context.finding(id, at: context.workload.kindPosition, message: message)
    }

    static func noArchitectureFinding(_ context: EvaluationContext) -> Finding {
        let message = "\(RuleText.workload(context.workload)): its architecture constraint allows none of the cluster's "
            + "\(context.operatingSystem) architectures \(RuleText.list(context.cluster)), so it runs no pods on this cluster"
        return context.finding(id, at: context.workload.kindPosition, message: message)
    }

    public static var examples: [RuleExample] {
        [
            .triggering(line: 2, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: kube-flannel-ds-arm64
                spec:
                  template:
                    spec:
                      nodeSelector:
                        kubernetes.io/arch: arm64
                      containers:
                      - name: kube-flannel
                        image: quay.io/coreos/flannel:v0.11.0-arm64
                """, images: ["quay.io/coreos/flannel:v0.11.0-arm64": ["linux/arm64"]]),
            .triggering(line: 2, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: kube-flannel-ds-s390x
                spec:
                  template:
                    spec:
                      nodeSelector:
                        beta.kubernetes.io/arch: s390x
                      containers:
                      - name: kube-flannel
                        image: quay.io/coreos/flannel:v0.11.0-s390x
                """, images: ["quay.io/coreos/flannel:v0.11.0-s390x": ["linux/s390x"]]),
            .passing("""
                apiVersion: apps/v1
                kind: DaemonSet
                metadata:
                  name: kube-flannel-ds
                spec:
                  template:
                    spec:
                      containers:
                      - name: kube-flannel
                        image: flannel/flannel:v0.26.1
                """, images: ["flannel/flannel:v0.26.1": ["linux/amd64", "linux/arm64", "linux/arm", "linux/ppc64le"]]),
        ]
    }
}
