/// KA007: an architecture expression that `fix` wrote earlier no longer says D (an image gained or
/// lost an architecture, or the policy changed).
public enum ConstraintOutOfDateRule: Rule {
    public static let id = RuleID.constraintOutOfDate
    public static let fixability = RuleFixability.always

    static func finding(_ context: EvaluationContext, expression: SelectorExpression, desired: Set<String>) -> Finding {
        let message = "\(RuleText.workload(context.workload)): the constraint kubearch wrote "
            + "(\(RuleText.expression(expression))) is out of date: it should now be \(NodeLabel.architecture) In "
            + "\(RuleText.list(desired)) (images run on \(RuleText.list(context.supported))); run kubearch fix to update it"
        return context.finding(id, at: expression.node.start, message: message, fixable: true)
    }

    public static var examples: [RuleExample] {
        [
            // The image gained arm64 since fix wrote the constraint.
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
                                operator: In
                                values: [amd64] # managed by kubearch
                      containers:
                      - name: app
                        image: app:1
                """, images: ["app:1": ["linux/amd64", "linux/arm64"]]),
            // The image lost amd64: reported once, as KA007, not also as a conflict.
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
                              - {key: kubernetes.io/arch, operator: In, values: [amd64, arm64]} # managed by kubearch
                      containers:
                      - name: app
                        image: app:2
                """, images: ["app:2": ["linux/arm64"]]),
            .passing("""
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
                                operator: In
                                values: [amd64] # managed by kubearch
                      containers:
                      - name: app
                        image: app:1
                """, images: ["app:1": ["linux/amd64"]]),
            // Without the marker the constraint is the user's choice, and amd64 is within S.
            .passing("""
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
                                operator: In
                                values: [amd64]
                      containers:
                      - name: app
                        image: app:1
                """, images: ["app:1": ["linux/amd64", "linux/arm64"]]),
        ]
    }
}
