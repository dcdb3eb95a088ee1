import Testing
@testable import KubearchCore

@Suite("Report: a pod's effective request")
struct ReportPodRequestTests {
    /// The pod spec of the only workload in `yaml`.
    private func request(_ yaml: String) throws -> (ResourceRequest, [ReportProblem]) {
        let file = ManifestScanner.scan(path: "pod.yaml", bytes: Array(yaml.utf8))
        let workload = try #require(file.workloads.first)
        var problems: [ReportProblem] = []
        return (PodRequest.effective(podSpec: workload.podSpec, file: file.path, problems: &problems), problems)
    }

    @Test("app containers add up; the largest init container wins when it is larger")
    func initLarger() throws {
        let (request, problems) = try request("""
            kind: Pod
            spec:
              initContainers:
              - {name: migrate, image: a, resources: {requests: {cpu: "2", memory: 1Gi}}}
              - {name: small, image: b, resources: {requests: {cpu: 100m}}}
              containers:
              - {name: app, image: c, resources: {requests: {cpu: 500m, memory: 256Mi}}}
              - {name: log, image: d, resources: {requests: {cpu: 250m, memory: 256Mi}}}
            """)
        #expect(problems.isEmpty)
        #expect(request == ResourceRequest(cpuMillis: 2000, memoryBytes: 1_073_741_824))
    }

    @Test("restartable init containers (sidecars) count with the app and with every later init container")
    func sidecars() throws {
        let (request, _) = try request("""
            kind: Pod
            spec:
              initContainers:
              - {name: proxy, image: a, restartPolicy: Always, resources: {requests: {cpu: 300m, memory: 100Mi}}}
              - {name: setup, image: b, resources: {requests: {cpu: "1", memory: 50Mi}}}
              containers:
              - {name: app, image: c, resources: {requests: {cpu: 500m, memory: 200Mi}}}
            """)
        // app: 500m + 300m sidecar = 800m < setup 1000m + 300m sidecar started before it = 1300m.
        // memory: app 200Mi + 100Mi = 300Mi > setup 50Mi + 100Mi.
        #expect(request == ResourceRequest(cpuMillis: 1300, memoryBytes: 300 * 1_048_576))
    }

    @Test("a sidecar started after an init container does not run beside it")
    func sidecarAfterInit() throws {
        let (request, _) = try request("""
            kind: Pod
            spec:
              initContainers:
              - {name: setup, image: b, resources: {requests: {cpu: "1"}}}
              - {name: proxy, image: a, restartPolicy: Always, resources: {requests: {cpu: 300m}}}
              containers:
              - {name: app, image: c, resources: {requests: {cpu: 500m}}}
            """)
        #expect(request.cpuMillis == 1000)
    }

    @Test("limits stand in for missing requests; overhead is added; bad quantities are problems with a position")
    func limitsOverheadProblems() throws {
        let (request, problems) = try request("""
            kind: Pod
            spec:
              overhead: {cpu: 50m}
              containers:
              - name: app
                image: c
                resources:
                  limits: {cpu: 700m, memory: 1Gi}
                  requests: {memory: 10Mi}
              - name: broken
                image: d
                resources:
                  requests: {cpu: lots}
            """)
        #expect(request == ResourceRequest(cpuMillis: 750, memoryBytes: 10 * 1_048_576))
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect((problem.file, problem.line, problem.column) == ("pod.yaml", 13, 23))
        #expect(problem.message.contains("`lots`"))
    }
}
