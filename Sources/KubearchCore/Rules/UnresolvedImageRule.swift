/// KA005: an image's platforms are unknown, so nothing else can be said about the workload.
public enum UnresolvedImageRule: Rule {
    public static let id = RuleID.unresolvedImage
    public static let fixability = RuleFixability.never

    static func finding(workload: Workload, image: ContainerImage, reason: String) -> Finding {
        Finding(
            rule: id, file: workload.file, line: image.position.line, column: image.position.column, object: workload.object,
            message: "\(RuleText.workload(workload)): \(RuleText.image(image)) could not be resolved: \(reason); "
                + "its architectures are unknown, so the workload was not checked")
    }

    public static var examples: [RuleExample] {
        [
            .triggering(line: 10, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      containers:
                      - name: app
                        image: registry.internal:5000/app:missing
                """),
            // One unresolved image silences every other rule for the workload.
            .triggering(line: 12, """
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
                        image: proxy:unknown
                """, images: ["app:1": ["linux/amd64"]]),
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
                """, images: ["app:1": ["linux/amd64", "linux/arm64"]]),
        ]
    }
}
