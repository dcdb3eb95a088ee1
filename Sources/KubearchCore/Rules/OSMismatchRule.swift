/// KA006: an image has no entry for the OS the pod runs on.
public enum OSMismatchRule: Rule {
    public static let id = RuleID.osMismatch
    public static let fixability = RuleFixability.never

    static func finding(_ context: EvaluationContext, image: ResolvedImage) -> Finding {
        let os = context.operatingSystem
        let hint = os == "windows"
            ? "the pod selects windows nodes; use a windows image"
            : "the pod runs on linux; if this is a windows workload, add nodeSelector \(NodeLabel.operatingSystem): windows"
        let message = "\(RuleText.workload(context.workload)): \(RuleText.image(image.image)) has no \(os) entry; "
            + "its platforms: \(RuleText.platforms(image.platforms)); \(hint)"
        return context.finding(id, at: image.image.position, message: message)
    }

    public static var examples: [RuleExample] {
        [
            .triggering(line: 10, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: win
                spec:
                  nodeSelector:
                    kubernetes.io/os: windows
                  containers:
                  - name: app
                    image: app:1
                """, images: ["app:1": ["linux/amd64", "linux/arm64"]]),
            .triggering(line: 6, """
                apiVersion: v1
                kind: Pod
                metadata: {name: iis}
                spec:
                  containers:
                  - {name: iis, image: "mcr.microsoft.com/windows/servercore/iis:ltsc2022"}
                """, images: ["mcr.microsoft.com/windows/servercore/iis:ltsc2022": ["windows/amd64"]]),
            .passing("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: win
                spec:
                  nodeSelector:
                    kubernetes.io/os: windows
                  containers:
                  - name: app
                    image: app:1
                """, images: ["app:1": ["windows/amd64", "linux/amd64"]]),
        ]
    }
}
