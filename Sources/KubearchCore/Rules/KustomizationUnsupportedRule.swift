/// KA011: a kustomization root uses something kubearch cannot render offline (remote resources, Helm
/// charts, plugins, substitutions reaching images or scheduling fields, files outside the
/// repository), so its workloads are not judged rather than guessed at. Reported by the kustomize
/// layer; its examples are kustomizations rendered as roots.
public enum KustomizationUnsupportedRule: Rule {
    public static let id = RuleID.kustomizationUnsupported
    public static let fixability = RuleFixability.never

    public static var examples: [RuleExample] {
        [
            .triggeringKustomization(line: 3, """
                resources:
                - deployment.yaml
                - https://github.com/example/app//deploy?ref=v1.2.0
                """),
            .triggeringKustomization(line: 1, """
                helmCharts:
                - name: ingress-nginx
                  repo: https://kubernetes.github.io/ingress-nginx
                  version: 4.11.0
                """),
            .triggeringKustomization(line: 3, """
                resources:
                - deployment.yaml
                replacements:
                - source: {kind: ConfigMap, name: versions, fieldPath: data.web}
                  targets:
                  - select: {kind: Deployment}
                    fieldPaths: [spec.template.spec.containers.0.image]
                """),
            .passingKustomization("""
                resources:
                - deployment.yaml
                namespace: shop
                images:
                - name: nginx
                  newTag: "1.27"
                """),
        ]
    }
}
