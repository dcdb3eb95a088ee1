/// KA004: the images (or the policy) allow fewer architectures than the cluster has, and nothing
/// keeps the pods off the others.
public enum MissingArchitectureConstraintRule: Rule {
    public static let id = RuleID.missingArchitectureConstraint
    public static let fixability = RuleFixability.always

    static func finding(_ context: EvaluationContext, desired: Set<String>) -> Finding {
        let message = "\(RuleText.workload(context.workload)): \(context.narrowingReason) but nothing keeps pods off "
            + "\(RuleText.names(context.cluster.subtracting(desired))) nodes; \(RuleText.addAffinity(desired))"
        return context.finding(id, at: context.workload.kindPosition, message: message, fixable: true)
    }

    public static var examples: [RuleExample] {
        [
            .triggering(line: 2, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      containers:
                      - name: app
                        image: quay.io/x/app:1
                """, images: ["quay.io/x/app:1": ["linux/arm64"]]),
            // An init container counts as much as the main one.
            .triggering(line: 2, """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: report}
                spec:
                  schedule: "0 * * * *"
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          initContainers: [{name: fetch, image: "fetcher:1"}]
                          containers: [{name: report, image: "report:1"}]
                """, images: ["fetcher:1": ["linux/amd64"], "report:1": ["linux/amd64", "linux/arm64"]]),
            // Under `pin`, a multi-arch image still gets one architecture.
            .triggering(line: 2, """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  template:
                    spec:
                      containers: [{name: db, image: "postgres:17"}]
                """, images: ["postgres:17": ["linux/amd64", "linux/arm64/v8"]], settings: PolicySettings(strategy: .pin)),
            .passing("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      containers:
                      - name: app
                        image: nginx:1.27
                """, images: ["nginx:1.27": ["linux/amd64", "linux/arm64/v8", "linux/arm/v7", "linux/386"]]),
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
                              - {key: kubernetes.io/arch, operator: In, values: [arm64]}
                      containers:
                      - name: app
                        image: quay.io/x/app:1
                """, images: ["quay.io/x/app:1": ["linux/arm64"]]),
            // The node is named: the scheduler is not involved.
            .passing("""
                apiVersion: v1
                kind: Pod
                metadata: {name: debug}
                spec:
                  nodeName: worker-7
                  containers: [{name: shell, image: "toolbox:1"}]
                """, images: ["toolbox:1": ["linux/amd64"]]),
        ]
    }
}
