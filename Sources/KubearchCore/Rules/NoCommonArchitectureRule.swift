/// KA001: the images share no architecture the cluster has, so the pods can start nowhere.
public enum NoCommonArchitectureRule: Rule {
    public static let id = RuleID.noCommonArchitecture
    public static let fixability = RuleFixability.never

    static func finding(_ context: EvaluationContext) -> Finding {
        let perImage = context.images.map { "\(RuleText.image($0.image)) runs on \(RuleText.list($0.architectures))" }
        let message = "\(RuleText.workload(context.workload)): its images share no architecture the cluster has "
            + "(\(context.operatingSystem) nodes \(RuleText.list(context.cluster))): \(perImage.joined(separator: "; ")); "
            + "its pods cannot run anywhere; use images built for a common architecture"
        return context.finding(id, at: context.workload.kindPosition, message: message)
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
                        image: app:1
                      - name: proxy
                        image: proxy:1
                """, images: ["app:1": ["linux/amd64"], "proxy:1": ["linux/arm64"]]),
            // Constrained or not makes no difference: nothing runs the pair.
            .triggering(line: 2, """
                apiVersion: v1
                kind: Pod
                metadata: {name: job}
                spec:
                  nodeSelector: {kubernetes.io/arch: amd64}
                  containers:
                  - {name: job, image: "tool:s390x"}
                """, images: ["tool:s390x": ["linux/s390x"]]),
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
                        image: app:1
                      - name: proxy
                        image: proxy:1
                """, images: ["app:1": ["linux/amd64", "linux/arm64"], "proxy:1": ["linux/arm64/v8", "linux/amd64"]]),
            // An image with nothing for the pod's OS is KA006, not KA001.
            .passing("""
                apiVersion: v1
                kind: Pod
                metadata: {name: iis}
                spec:
                  containers:
                  - {name: iis, image: "mcr.microsoft.com/windows/servercore/iis:ltsc2022"}
                """, images: ["mcr.microsoft.com/windows/servercore/iis:ltsc2022": ["windows/amd64"]]),
        ]
    }
}
