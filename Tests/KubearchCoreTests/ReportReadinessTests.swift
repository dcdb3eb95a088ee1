import Testing
@testable import KubearchCore

@Suite("Report: readiness, weights and blockers")
struct ReportReadinessTests {
    static let manifests = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app.kubernetes.io/part-of: storefront}}
        spec:
          replicas: 3
          template:
            spec:
              containers:
              - {name: web, image: "web:1", resources: {requests: {cpu: 200m, memory: 100Mi}}}
              - {name: proxy, image: "proxy:1", resources: {requests: {cpu: 100m}}}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: shop}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 4
          maxReplicas: 10
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: ops}
        spec:
          template:
            metadata: {labels: {team: observability}}
            spec:
              containers:
              - {name: agent, image: "agent:2", resources: {requests: {cpu: 50m}}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: shop}
        spec:
          replicas: 2
          template:
            spec:
              initContainers:
              - {name: migrate, image: "migrate:1", resources: {requests: {cpu: "1"}}}
              containers:
              - {name: api, image: "api:1", resources: {requests: {cpu: 300m}}}
              - {name: proxy, image: "proxy:1"}
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly, namespace: shop}
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                  - {name: job, image: "mystery:1", resources: {requests: {cpu: 100m}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: win, namespace: shop}
        spec:
          nodeSelector: {kubernetes.io/os: windows}
          containers:
          - {name: win, image: "win:1", resources: {requests: {cpu: "4"}}}
        """

    static let images: [String: [String]] = [
        "web:1": ["linux/amd64", "linux/arm64/v8"], "proxy:1": ["linux/amd64"], "agent:2": ["linux/amd64"],
        "migrate:1": ["linux/amd64"], "api:1": ["linux/arm64"], "win:1": ["windows/amd64"],
    ]

    func report(nodes: Int = 5, upgrades: [String: String] = [:]) -> ReadinessReport {
        let file = ManifestScanner.scan(path: "deploy/all.yaml", bytes: Array(Self.manifests.utf8))
        var problems: [ReportProblem] = []
        let autoscalers = Autoscaler.collect(from: file, problems: &problems)
        let rows = evaluatePolicy(Self.manifests, images: Self.images).map { WorkloadReadiness(evaluation: $0, target: "arm64") }
        return ReadinessReport(rows, autoscalers: autoscalers, upgrades: upgrades, options: .init(target: "arm64", nodes: nodes)) { row in
            row.object.name == "api" ? "@shop/backend" : nil
        }
    }

    @Test("status, replicas and weights per workload")
    func rows() throws {
        let report = report()
        let byName = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.readiness.object.name ?? "", $0) })
        let web = try #require(byName["web"])
        #expect(web.status == .blocked)
        #expect(web.readiness.blockers == ["docker.io/library/proxy:1"])
        #expect(web.weight.replicas == 4)  // the HPA's minimum, not spec.replicas
        #expect(web.weight.maximumReplicas == 10)
        #expect(web.total == ResourceRequest(cpuMillis: 1200, memoryBytes: 400 * 1_048_576))
        #expect(web.team == "storefront")
        let agent = try #require(byName["agent"])
        #expect(agent.total.cpuMillis == 250)  // 50m × 5 nodes
        #expect(agent.team == "observability")  // label on the pod template
        let api = try #require(byName["api"])
        #expect(api.readiness.blockers == ["docker.io/library/migrate:1", "docker.io/library/proxy:1"])
        #expect(api.total.cpuMillis == 2000)  // max(init 1000m, app 300m) × 2
        #expect(api.team == "@shop/backend")  // from the owner callback
        let nightly = try #require(byName["nightly"])
        #expect(nightly.status == .unknown)
        #expect(nightly.weight.replicas == 1)
        #expect(nightly.team == ReadinessReport.noTeam)
        #expect(report.windows.map(\.object.name) == ["win"])
        #expect(byName["win"] == nil)
    }

    @Test("blockers ranked by blocked CPU, with the workloads they alone block")
    func blockers() {
        let report = report()
        #expect(report.blockers.map(\.image) == ["docker.io/library/proxy:1", "docker.io/library/migrate:1", "docker.io/library/agent:2"])
        // proxy:1 blocks web (1200m) and api (2000m); it alone blocks only web.
        let proxy = report.blockers[0]
        #expect((proxy.workloads, proxy.onlyBlockerOf, proxy.total.cpuMillis) == (2, 1, 3200))
        #expect(proxy.teams == ["@shop/backend", "storefront"])
        #expect(report.daemonSetBlockers.map(\.image) == ["docker.io/library/agent:2"])
        #expect(report.summary.workloads == [.blocked: 3, .unknown: 1])
        #expect(report.summary.cpuMillis[.blocked] == 3450)
    }

    @Test("a blocked workload whose every blocker has an upgrade is upgradable")
    func upgradable() {
        let report = report(upgrades: ["docker.io/library/proxy:1": "1.1", "docker.io/library/agent:2": "2.1"])
        let statuses = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.readiness.object.name ?? "", $0.status) })
        #expect(statuses["web"] == .upgradable)
        #expect(statuses["agent"] == .upgradable)
        #expect(statuses["api"] == .blocked)  // migrate:1 has none
    }

    @Test("an autoscaler in another namespace or for another kind does not pair")
    func autoscalerPairing() {
        let hpa = Autoscaler(file: "h.yaml", line: 1, namespace: "shop", targetKind: "Deployment", targetName: "web", minReplicas: 2, maxReplicas: 3)
        #expect(hpa.targets(ObjectIdentity(kind: "Deployment", namespace: "shop", name: "web"), kustomization: nil))
        #expect(!hpa.targets(ObjectIdentity(kind: "Deployment", namespace: "other", name: "web"), kustomization: nil))
        #expect(!hpa.targets(ObjectIdentity(kind: "StatefulSet", namespace: "shop", name: "web"), kustomization: nil))
        #expect(!hpa.targets(ObjectIdentity(kind: "Deployment", namespace: "shop", name: "web"), kustomization: "overlays/prod"))
    }
}
