import Foundation
import Testing

/// `report --suggest-upgrades` against a real docker-registry on loopback holding several tags of one
/// repository where only some have linux/arm64. The requests are read from `--verbose`, which logs
/// each one kubearch sends.
@Suite("kubearch report --suggest-upgrades against a real registry", .enabled(if: LoopbackRegistry.isAvailable, "needs /usr/bin/docker-registry"))
struct ReportUpgradeRegistryTests {
    /// Pushes one single-platform image per platform and an index over them under `tag`.
    private func push(_ registry: LoopbackRegistry, _ repository: String, _ tag: String, _ platforms: [String]) throws {
        let images = try platforms.map { try registry.pushImage(repository, tag: nil, platform: $0) }
        try registry.pushIndex(repository, tag: tag, of: images)
    }

    @Test("names the lowest newer tag of the family with linux/arm64, asking only up to it")
    func suggestsTheLowestNewerTag() async throws {
        let folder = try TemporaryFolder("kubearch-report-upgrades")
        defer { folder.remove() }
        let registry = try await offPool { try LoopbackRegistry.start() }
        defer { registry.stop() }
        try await offPool { [self] in
            try push(registry, "team/app", "0.9.0", ["linux/amd64", "linux/arm64"])  // older: never a suggestion
            try push(registry, "team/app", "1.0.0", ["linux/amd64"])  // in use
            try push(registry, "team/app", "1.0.1", ["linux/amd64"])  // newer, still no arm64
            try push(registry, "team/app", "1.1.0", ["linux/amd64", "linux/arm64/v8"])  // the answer
            try push(registry, "team/app", "1.2.0", ["linux/amd64", "linux/arm64"])  // newer still: not asked
            try push(registry, "team/app", "1.0.2-alpine", ["linux/amd64", "linux/arm64"])  // another family
            try push(registry, "team/app", "latest", ["linux/amd64", "linux/arm64"])
            try push(registry, "team/tool", "3.0", ["linux/amd64"])  // nothing newer at all
        }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        let image = "\(registry.host)/team/app:1.0.0"
        let tool = "\(registry.host)/team/tool:3.0"
        try folder.write("deploy/app.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: app, namespace: shop}
            spec:
              replicas: 2
              template:
                spec:
                  containers:
                  - {name: app, image: "\(image)", resources: {requests: {cpu: 250m}}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: tool, namespace: shop}
            spec:
              template:
                spec:
                  containers:
                  - {name: tool, image: "\(tool)"}

            """)
        let result = try await BuiltBinary.run(
            ["report", "--suggest-upgrades", "--tag-page-size", "2", "--format", "json", "--verbose", "deploy"], in: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        let json = CorpusReport.object(result.standardOutput)
        let rows = try #require(json["workloads"] as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows.first?["status"] as? String == "upgradable")
        #expect(rows.first?["upgrades"] as? [String: String] == [image: "1.1.0"])
        #expect(rows.last?["status"] as? String == "blocked")
        #expect(rows.last?["upgrades"] == nil)
        #expect((json["summary"] as? [String: [String: Int]])?["cpuMillis"]?["upgradable"] == 500)
        #expect(result.standardError.contains("\(tool): no upgrade: no newer tag of the same family"))

        // The requests, in order per repository, as kubearch logged them.
        let requests = result.standardError.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("kubearch: GET http://\(registry.host)") else { return nil }
            return String(line.dropFirst("kubearch: GET http://\(registry.host)".count))
        }
        let app = requests.filter { $0.hasPrefix("/v2/team/app/") }
        let pages = app.filter { $0.contains("/tags/list") }
        // Debian's docker-registry 2.8 ignores `n=` and sends all 7 tags in one page without a `Link`
        // (pagination is tested against registries that page in RegistryTagListTests).
        #expect(pages.count == 1, "\(app)")
        #expect(pages.first?.hasPrefix("/v2/team/app/tags/list?n=2 ") == true, "\(pages)")
        let manifests = app.filter { $0.contains("/manifests/") }.map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(manifests == ["/v2/team/app/manifests/1.0.0", "/v2/team/app/manifests/1.0.1", "/v2/team/app/manifests/1.1.0"], "\(app)")
        #expect(app.allSatisfy { $0.hasSuffix("-> 200") }, "\(app)")
        print("--suggest-upgrades requests:\n" + requests.joined(separator: "\n"))
    }

    @Test("with --offline there is no guess")
    func offlineNoGuess() async throws {
        let folder = try TemporaryFolder("kubearch-report-offline")
        defer { folder.remove() }
        try folder.write("app.yaml", "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: \"example.com/a:1.0\"}\n")
        try folder.write("kubearch.lock", "version: 1\nimages:\n  example.com/a:1.0:\n    digest: sha256:\(String(repeating: "a", count: 64))\n    platforms: [linux/amd64]\n")
        let result = try await BuiltBinary.run(["report", "--offline", "--suggest-upgrades", "--format", "json", "app.yaml"], in: folder.url)
        #expect(result.status == 0)
        let rows = CorpusReport.object(result.standardOutput)["workloads"] as? [[String: Any]]
        #expect(rows?.first?["status"] as? String == "blocked")
        #expect(result.standardError.contains("no upgrades suggested with --offline"))
    }
}
