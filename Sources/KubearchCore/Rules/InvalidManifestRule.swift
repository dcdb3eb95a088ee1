/// KA008: the file is not valid YAML, or a workload's containers or images have the wrong type.
/// Reported by `ManifestScanner`; this type documents the rule.
public enum InvalidManifestRule: Rule {
    public static let id = RuleID.invalidManifest
    public static let fixability = RuleFixability.never

    public static var examples: [RuleExample] {
        [
            .triggering(line: 6, """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                    name: app
                    image: app:1
                """),
            .triggering(line: 9, """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - name: app
                    image: app:1
                  - name: bad
                    image: 42
                """, images: ["app:1": ["linux/amd64", "linux/arm64"]]),
            .triggering(line: 5, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: [p
                spec: {}
                """),
            .passing("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - name: app
                    image: app:1
                """, images: ["app:1": ["linux/amd64", "linux/arm64"]]),
        ]
    }
}
