import KubearchCore

/// `kubearch images` in text: each workload on a line, then one indented line per image.
///
/// ```text
/// deploy/web.yaml:3: Deployment shop/web (spec.template.spec)
///   web: nginx:1.27 -> docker.io/library/nginx:1.27
///   init migrate: flyway/flyway -> docker.io/flyway/flyway:latest
/// ```
public enum ImageListTextRenderer {
    public static func render(_ workloads: [WorkloadReport]) -> String {
        var output = ""
        for workload in workloads {
            let object = workload.object
            let name = (object.namespace.map { "\($0)/" } ?? "") + (object.name ?? "(unnamed)")
            output += TerminalSanitizer.sanitize("\(workload.file):\(workload.line): \(object.kind ?? "(no kind)") \(name) (\(workload.podSpecPath))")
            output += "\n"
            for image in workload.images {
                let container = (image.isInitContainer ? "init " : "") + (image.container ?? "(unnamed)")
                let canonical = image.canonical ?? "(invalid reference)"
                output += TerminalSanitizer.sanitize("  \(container): \(image.reference) -> \(canonical)")
                output += "\n"
            }
        }
        return output
    }
}
