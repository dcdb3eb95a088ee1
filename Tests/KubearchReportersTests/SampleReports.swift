import KubearchCore

/// Realistic reports shared by the tests: several files, every severity, a path with a space,
/// a namespace-less object, findings with no object, unicode, and characters that each format
/// must escape (`:` and `,` for GitHub, a space for SARIF URIs).
enum SampleReports {
    static let web = ObjectIdentity(apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web")
    static let webCanary = ObjectIdentity(apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web-canary")
    /// Written without a namespace: reports must show null, never `default`.
    static let nodeAgent = ObjectIdentity(apiVersion: "apps/v1", kind: "DaemonSet", namespace: nil, name: "node-agent")
    static let logShipper = ObjectIdentity(apiVersion: "apps/v1", kind: "DaemonSet", namespace: "logging", name: "log-shipper")
    static let migrate = ObjectIdentity(apiVersion: "batch/v1", kind: "Job", namespace: "db", name: "migrate")
    static let cache = ObjectIdentity(apiVersion: "apps/v1", kind: "StatefulSet", namespace: "shop", name: "cache")

    static let findings: [Finding] = [
        Finding(
            rule: .missingArchitectureConstraint, file: "deploy/web.yaml", line: 7, column: 3, object: web,
            message: "Deployment web can be scheduled on arm64 nodes, but its images support only amd64",
            fixable: true
        ),
        Finding(
            rule: .constraintOutOfDate, file: "deploy/web.yaml", line: 48, column: 21, object: webCanary,
            message: "the constraint kubearch wrote allows [amd64], the images now support [amd64, arm64]",
            fixable: true
        ),
        Finding(
            rule: .daemonSetArchitectureGap, file: "base/node agent.yaml", line: 2, column: 1, object: nodeAgent,
            message: "DaemonSet node-agent: ghcr.io/acme/agent:1.4 has no arm64 image — its pods crash on arm64 nodes “exec format error” ✗",
            fixable: true
        ),
        Finding(
            rule: .daemonSetPartialCoverage, file: "base/node agent.yaml", line: 31, column: 1, object: logShipper,
            message: "DaemonSet log-shipper is constrained to amd64; it will not run on arm64 nodes"
        ),
        Finding(
            rule: .unresolvedImage, file: "jobs/migrate.yaml", line: 19, column: 18, object: migrate,
            message: "cannot resolve registry.internal:5000/db/migrate:2024.06: 401 Unauthorized, no credentials for registry.internal:5000"
        ),
        Finding(
            rule: .invalidManifest, file: "broken/bad.yaml", line: 4, column: 10,
            message: "did not find expected key while parsing a block mapping"
        ),
        Finding(
            rule: .templateSkipped, file: "charts/shop/templates/deployment.yaml", line: 1, column: 1,
            message: "holds template markers ({{) and is not valid YAML; not scanned"
        ),
    ]

    static let workloads: [WorkloadReport] = [
        WorkloadReport(
            file: "base/node agent.yaml", line: 2, object: nodeAgent, podSpecPath: "spec.template.spec",
            images: [
                ImageReport(container: "agent", reference: "ghcr.io/acme/agent:1.4", canonical: "ghcr.io/acme/agent:1.4", platforms: ["linux/amd64"]),
            ],
            supported: ["amd64"], allowed: ["amd64", "arm64"]
        ),
        WorkloadReport(
            file: "base/node agent.yaml", line: 31, object: logShipper, podSpecPath: "spec.template.spec",
            images: [
                ImageReport(container: "shipper", reference: "fluent/fluent-bit:3.1", canonical: "docker.io/fluent/fluent-bit:3.1", platforms: ["linux/amd64", "linux/arm/v7", "linux/arm64/v8"]),
            ],
            supported: ["amd64", "arm64"], allowed: ["amd64"]
        ),
        WorkloadReport(
            file: "deploy/cache.yaml", line: 1, object: cache, podSpecPath: "spec.template.spec",
            images: [
                ImageReport(container: "redis", reference: "redis:7.2", canonical: "docker.io/library/redis:7.2", platforms: ["linux/amd64", "linux/arm64/v8"]),
            ],
            supported: ["amd64", "arm64"], allowed: ["amd64", "arm64"]
        ),
        WorkloadReport(
            file: "deploy/web.yaml", line: 7, object: web, podSpecPath: "spec.template.spec",
            images: [
                ImageReport(container: "init-assets", reference: "busybox", canonical: "docker.io/library/busybox:latest", platforms: ["linux/amd64", "linux/arm64/v8"], isInitContainer: true),
                ImageReport(container: "web", reference: "registry.example.com/shop/web:2.3.1", canonical: "registry.example.com/shop/web:2.3.1", platforms: ["linux/amd64"]),
            ],
            supported: ["amd64"], allowed: ["amd64", "arm64"]
        ),
        WorkloadReport(
            file: "deploy/web.yaml", line: 40, object: webCanary, podSpecPath: "spec.template.spec",
            images: [
                ImageReport(container: "web", reference: "registry.example.com/shop/web:2.4.0@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", canonical: "registry.example.com/shop/web@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", platforms: ["linux/amd64", "linux/arm64"]),
            ],
            supported: ["amd64", "arm64"], allowed: ["amd64"]
        ),
        WorkloadReport(
            file: "jobs/migrate.yaml", line: 1, object: migrate, podSpecPath: "spec.template.spec",
            images: [
                ImageReport(container: "migrate", reference: "registry.internal:5000/db/migrate:2024.06", canonical: "registry.internal:5000/db/migrate:2024.06", platforms: nil),
                ImageReport(container: nil, reference: "not a valid reference", canonical: nil, platforms: nil),
            ],
            supported: nil, allowed: ["amd64", "arm64"]
        ),
    ]

    /// 8 files: the six above with findings or workloads, plus two clean ones with no workloads.
    static let full = CheckReport(findings: findings, workloads: workloads, files: 8)

    static let clean = CheckReport(findings: [], workloads: [workloads[2]], files: 1)

    static let empty = CheckReport(findings: [], workloads: [], files: 0)

    /// A base rendered by one overlay: the finding and row name the root, the row's image its source.
    static let rendered: CheckReport = {
        let api = ObjectIdentity(apiVersion: "apps/v1", kind: "Deployment", namespace: "prod", name: "prod-api")
        var row = WorkloadReport(
            file: "base/api.yaml", line: 2, object: api, podSpecPath: "spec.template.spec",
            images: [ImageReport(container: "api", reference: "registry.example.com/api:2.0-amd64", canonical: "registry.example.com/api:2.0-amd64", platforms: ["linux/amd64"])],
            supported: ["amd64"], allowed: ["amd64", "arm64"])
        row.kustomization = "overlays/prod"
        row.images[0].source = (file: "overlays/prod/kustomization.yaml", line: 9)
        let finding = Finding(
            rule: .missingArchitectureConstraint, file: "base/api.yaml", line: 2, column: 1, object: api,
            message: "Deployment prod-api: images run only on [amd64]", fixable: true, kustomization: "overlays/prod")
        return CheckReport(findings: [finding], workloads: [row], files: 1)
    }()

    /// By name, for parameterised tests (whose logs print each argument).
    static let named: [String: CheckReport] = ["full": full, "clean": clean, "empty": empty]
}
