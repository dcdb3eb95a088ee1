import Foundation
import Testing

@Suite("kubearch explain")
struct ExplainCommandTests {
    static let manifests = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              containers:
              - {name: web, image: "example.com/web:1"}
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
          annotations: {kubearch.dev/ignore: KA002}
        spec:
          template:
            spec:
              initContainers:
              - {name: setup, image: "example.com/setup:1"}
              containers:
              - {name: agent, image: "example.com/agent:2"}

        """

    static let lockfile = """
        version: 1
        images:
          example.com/agent:2:
            digest: sha256:\(String(repeating: "b", count: 64))
            platforms: [linux/amd64, linux/arm64/v8]
          example.com/setup:1:
            digest: sha256:\(String(repeating: "c", count: 64))
            platforms: [linux/amd64]
          example.com/web:1:
            digest: sha256:\(String(repeating: "a", count: 64))
            platforms: [linux/amd64]

        """

    private func folder() throws -> TemporaryFolder {
        let folder = try TemporaryFolder("kubearch-explain")
        try folder.write("deploy/all.yaml", Self.manifests)
        try folder.write("kubearch.lock", Self.lockfile)
        return folder
    }

    @Test("FILE:LINE: images, the sets, each rule and the fix diff for that workload alone")
    func fileAndLine() async throws {
        let folder = try folder()
        defer { folder.remove() }
        let result = try await BuiltBinary.run(["explain", "--offline", "deploy/all.yaml:3"], in: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        let text = result.standardOutput
        #expect(text.hasPrefix("Deployment/shop/web at deploy/all.yaml:2"))
        #expect(text.contains("container web: example.com/web:1\n    → example.com/web:1\n    → sha256:\(String(repeating: "a", count: 64)) from the lockfile kubearch.lock\n      platforms: linux/amd64\n"))
        #expect(text.contains("S = I ∩ C:                                   [amd64]"))
        #expect(text.contains("fired    KA004 missing-architecture-constraint (error, line 2)"))
        #expect(text.contains("no       KA002 daemonset-architecture-gap: not a DaemonSet"))
        #expect(text.contains("+        nodeAffinity:"))
        #expect(text.contains("values: [amd64] # managed by kubearch"))
        // Only this workload's edit: the DaemonSet further down is not touched.
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("+") && $0.contains("nodeAffinity") }.count == 1)
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("@@") }.count == 1)
    }

    @Test("KIND/NAME: an ignored rule is shown as silenced, with what it would say")
    func silenced() async throws {
        let folder = try folder()
        defer { folder.remove() }
        let result = try await BuiltBinary.run(["explain", "--offline", "DaemonSet/agent"], in: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("init container setup: example.com/setup:1"))
        #expect(result.standardOutput.contains("I (architectures every image has for linux): [amd64]"))
        #expect(result.standardOutput.contains("silenced KA002 daemonset-architecture-gap: would report"))
        #expect(result.standardOutput.contains("Fix:\n  nothing to change\n"))
    }

    @Test("a file of several workloads without a line, or an unknown name, is a clear error")
    func ambiguous() async throws {
        let folder = try folder()
        defer { folder.remove() }
        let several = try await BuiltBinary.run(["explain", "--offline", "deploy/all.yaml"], in: folder.url)
        #expect(several.status == 2)
        #expect(several.standardError.contains("deploy/all.yaml holds 2 workloads; name one with FILE:LINE:\n  deploy/all.yaml:2 Deployment/shop/web\n  deploy/all.yaml:11 DaemonSet/agent"))
        let unknown = try await BuiltBinary.run(["explain", "--offline", "Deployment/shop/nothing"], in: folder.url)
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("no workload Deployment/shop/nothing under ."))
    }
}
