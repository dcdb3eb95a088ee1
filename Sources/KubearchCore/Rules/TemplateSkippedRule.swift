/// KA010: a template (Helm, Jinja) that is not valid YAML is skipped. Reported by `ManifestScanner`;
/// this type documents the rule.
public enum TemplateSkippedRule: Rule {
    public static let id = RuleID.templateSkipped
    public static let fixability = RuleFixability.never

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
                        image: {{ .Values.image }}
                """),
            .triggering(line: 1, """
                {{- if .Values.enabled }}
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: [{name: app, image: "app:1"}]
                {{- end }}
                """),
            // Braces inside a string are not a template.
            .passing("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                  annotations:
                    description: "rendered from {{ .Values.name }}"
                spec:
                  containers: [{name: app, image: "app:1"}]
                """, images: ["app:1": ["linux/amd64", "linux/arm64"]]),
        ]
    }
}
