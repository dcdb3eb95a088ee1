/// KA003: an architecture constraint (or the owner's annotation) contradicts the images or the cluster.
public enum ConstraintConflictRule: Rule {
    public static let id = RuleID.constraintConflict
    public static let fixability = RuleFixability.sometimes(
        condition: "when the constraint is node affinity (not nodeSelector) and it shares an architecture with what fix would write")

    /// The annotation names architectures outside S. `fix` never edits annotations.
    static func annotationFinding(_ context: EvaluationContext, annotated: Set<String>) -> Finding {
        let outside = annotated.subtracting(context.supported)
        let notInCluster = outside.subtracting(context.cluster)
        var reasons: [String] = []
        if !notInCluster.isEmpty {
            reasons.append("the cluster has no \(RuleText.names(notInCluster)) \(context.operatingSystem) nodes")
        }
        let unsupported = outside.intersection(context.cluster)
        if !unsupported.isEmpty {
            reasons.append(unsupported.sorted().flatMap(context.imagesLacking).joined(separator: "; "))
        }
        let message = "\(RuleText.workload(context.workload)): annotation \(PolicyAnnotation.architecture) asks for "
            + "\(RuleText.list(annotated)) but \(reasons.joined(separator: "; ")); its images run on "
            + "\(RuleText.list(context.supported)) of the cluster's \(RuleText.list(context.cluster)); correct the annotation"
        let position = context.annotationPosition(PolicyAnnotation.architecture) ?? context.workload.kindPosition
        return context.finding(id, at: position, message: message)
    }

    /// A is empty: the constraint allows only architectures the cluster lacks (not a DaemonSet).
    static func noArchitectureFinding(_ context: EvaluationContext, location: ConstraintLocation?) -> Finding {
        let culprit = location.map { "\($0.description) " } ?? "its architecture constraint "
        let message = "\(RuleText.workload(context.workload)): \(culprit)allows none of the cluster's "
            + "\(context.operatingSystem) architectures \(RuleText.list(context.cluster)), so its pods are never scheduled"
            + (context.supported.isEmpty ? "" : "; its images run on \(RuleText.list(context.supported))")
        return context.finding(id, at: location?.node.start ?? context.workload.kindPosition, message: message)
    }

    /// A is not within S: the constraint lets pods onto nodes the images cannot run on.
    static func unsupportedFinding(_ context: EvaluationContext, location: ConstraintLocation?) -> Finding {
        let beyond = context.allowed.subtracting(context.supported)
        let narrowed = context.desired.map { context.allowed.intersection($0) } ?? []
        let fixable = !narrowed.isEmpty && location?.isNodeSelector == false
        let culprit = location.map { "\($0.description) " } ?? "its architecture constraint "
        let lacking = beyond.sorted().flatMap(context.imagesLacking).joined(separator: "; ")
        var message = "\(RuleText.workload(context.workload)): \(culprit)allows \(RuleText.list(context.allowed)) "
            + "but its images run only on \(RuleText.list(context.supported)) (\(lacking)); pods on "
            + "\(RuleText.names(beyond)) nodes fail with exec format error; "
        if fixable {
            message += "narrow the affinity to \(RuleText.list(narrowed))"
        } else if case .nodeSelector(let key, _)? = location?.kind {
            message += "change nodeSelector \(key) to one of \(RuleText.list(context.supported))"
        } else {
            message += "allow only \(RuleText.list(context.supported))"
        }
        return context.finding(id, at: location?.node.start ?? context.workload.kindPosition, message: message, fixable: fixable)
    }

    public static var examples: [RuleExample] {
        [
            // A nodeSelector the image cannot honour: fix leaves nodeSelectors alone.
            .triggering(line: 9, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      nodeSelector:
                        kubernetes.io/arch: amd64
                      containers:
                      - name: app
                        image: app:1
                """, images: ["app:1": ["linux/arm64"]]),
            // NotIn allows everything but s390x, including amd64, which the image lacks.
            .triggering(line: 13, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      affinity:
                        nodeAffinity:
                          requiredDuringSchedulingIgnoredDuringExecution:
                            nodeSelectorTerms:
                            - matchExpressions:
                              - key: kubernetes.io/arch
                                operator: NotIn
                                values: [s390x]
                      containers:
                      - name: app
                        image: app:1
                """, images: ["app:1": ["linux/arm64", "linux/arm/v7"]]),
            // The owner asks for an architecture the image lacks.
            .triggering(line: 6, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  annotations:
                    kubearch.dev/architecture: arm64
                spec:
                  template:
                    spec:
                      containers:
                      - name: app
                        image: app:1
                """, images: ["app:1": ["linux/amd64"]]),
            // Only architectures the cluster lacks.
            .triggering(line: 7, """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: migrate}
                spec:
                  template:
                    spec:
                      nodeSelector: {kubernetes.io/arch: s390x}
                      containers: [{name: migrate, image: "tool:1"}]
                """, images: ["tool:1": ["linux/amd64", "linux/s390x"]]),
            .passing("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      nodeSelector:
                        kubernetes.io/arch: arm64
                      containers:
                      - name: app
                        image: app:1
                """, images: ["app:1": ["linux/arm64"]]),
            .passing("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  annotations:
                    kubearch.dev/architecture: arm64
                spec:
                  template:
                    spec:
                      containers:
                      - name: app
                        image: app:1
                """, images: ["app:1": ["linux/amd64", "linux/arm64"]]),
        ]
    }
}
