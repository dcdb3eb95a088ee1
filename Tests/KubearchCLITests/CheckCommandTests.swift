import Foundation
import KubearchCore
import Testing

/// A lockfile for every image of a folder: multi-arch unless listed as amd64-only; `missing` left out.
private func lockfile(for folder: String, amd64Only: Set<String>, missing: Set<String> = []) throws -> String {
    let sources = try ManifestFinder(currentDirectory: folder).find([folder])
    let references = Set(ManifestSet.scan(sources).workloads.flatMap(\.images).compactMap { try? $0.parsedReference.get() })
    var entries: [String: LockEntry] = [:]
    for reference in references where !missing.contains(reference.canonical) {
        let platforms = amd64Only.contains(reference.canonical) ? ["linux/amd64"] : ["linux/amd64", "linux/arm64/v8", "linux/arm/v7"]
        // A digest reference is locked under the digest it names.
        let digest = reference.digest ?? "sha256:" + String(repeating: "a", count: 64)
        entries[reference.canonical] = LockEntry(digest: digest, platforms: platforms.compactMap(Platform.init(parsing:)))
    }
    return Lockfile(entries: entries).render()
}

private func findingsByFile(_ json: String) throws -> [String: [String]] {
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let findings = try #require(object["findings"] as? [[String: Any]])
    var result: [String: [String]] = [:]
    for finding in findings {
        let file = try #require(finding["file"] as? String)
        let rule = try #require(finding["rule"] as? String)
        result[file, default: []].append(rule)
    }
    return result
}

@Suite("kubearch check")
struct CheckCommandTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: BuiltBinary.sharedCorpus.path), "needs ../shared/corpus"))
    func wholeCorpusOfflineWithATestLockfile() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let corpus = BuiltBinary.sharedCorpus.path
        let amd64Only: Set<String> = [
            "docker.io/newrelic/infrastructure:latest",
            "quay.io/jetstack/cert-manager-cainjector:v0.8.0-alpha.0",
            "quay.io/jetstack/cert-manager-controller:v0.8.0-alpha.0",
            "quay.io/jetstack/cert-manager-webhook:v0.8.0-alpha.0",
            "docker.io/vllm/vllm-openai:v0.11.0",
            "docker.io/cockroachdb/cockroach:v1.1.0",
        ]
        let lock = try folder.write("kubearch.lock", try lockfile(for: corpus, amd64Only: amd64Only, missing: ["docker.io/library/doesnotexist:nover"]))
        let result = try await BuiltBinary.run(["check", "--offline", "--lockfile", lock.path, "--format", "json", "."], in: URL(fileURLWithPath: corpus))
        #expect(result.status == 1)
        let byFile = try findingsByFile(result.standardOutput)
        #expect(byFile["kubernetes-examples/newrelic-infra-daemonset.yaml"] == ["KA002"])
        #expect(byFile["cert-manager/cert-manager-v0.8-static.yaml"] == ["KA004", "KA004", "KA004"])
        #expect(byFile["dashboard/imagepullbackoff-pod.yaml"] == ["KA005"])
        #expect(byFile["kubernetes-examples/vllm-deployment.yaml"] == ["KA004"])
        #expect(byFile["kubernetes-examples/cockroachdb-statefulset.yaml"] == ["KA004"])
        #expect(byFile["ingress-nginx/helm-template.controller-daemonset.yaml"] == ["KA010"])
        let allRules: [String] = byFile.values.flatMap { $0 }
        let templateNotes = allRules.filter { $0 == "KA010" }.count
        #expect(templateNotes == 4)
        // Multi-arch images everywhere else: nothing to say about those files.
        #expect(byFile["microservices-demo/kubernetes-manifests.yaml"] == nil)
        #expect(byFile["kube-prometheus/nodeExporter-daemonset.yaml"] == nil)
        let expectedRules: Set<String> = ["KA002", "KA004", "KA005", "KA010"]
        #expect(allRules.allSatisfy { expectedRules.contains($0) })
    }

    @Test func textOutputAndExitCodes() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: example.com/web:1\n")
        try folder.write("kubearch.lock", "version: 1\nimages:\n  example.com/web:1:\n    digest: sha256:\(String(repeating: "b", count: 64))\n    platforms: [linux/arm64]\n")
        let failing = try await BuiltBinary.run(["check", "--offline", "deploy.yaml"], in: folder.url)
        #expect(failing.status == 1)
        #expect(failing.standardOutput.hasPrefix("deploy.yaml:2:1: error: "))
        #expect(failing.standardOutput.contains("[KA004 missing-architecture-constraint]"))
        #expect(failing.standardOutput.hasSuffix("1 error, 0 warnings, 0 notes in 1 workload across 1 file (1 fixable)\n"))

        // The same workload is fine on an arm64-only cluster, and as a warning it no longer fails.
        #expect(try await BuiltBinary.run(["check", "--offline", "--cluster-arch", "arm64", "deploy.yaml"], in: folder.url).status == 0)
        try folder.write(".kubearch.yaml", "version: 1\nrules:\n  KA004: warning\n")
        let warned = try await BuiltBinary.run(["check", "--offline", "deploy.yaml"], in: folder.url)
        #expect(warned.status == 0)
        #expect(warned.standardOutput.contains(": warning: "))

        // Missing from the lockfile while offline: KA005.
        try folder.write("kubearch.lock", "version: 1\nimages: {}\n")
        let unresolved = try await BuiltBinary.run(["check", "--offline", "deploy.yaml"], in: folder.url)
        #expect(unresolved.status == 1)
        #expect(unresolved.standardOutput.contains("KA005 unresolved-image"))
    }

    @Test func badConfigurationIsExitCodeTwo() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write(".kubearch.yaml", "version: 1\nclustr: {}\n")
        try folder.write("a.yaml", "kind: Pod\nspec: {containers: []}\n")
        let result = try await BuiltBinary.run(["check", "--offline", "a.yaml"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.standardError.contains(".kubearch.yaml:2:1: unknown key 'clustr'"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func oneBadFileDoesNotStopTheOthers() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("broken.yaml", "kind: Pod\nspec: [unclosed\n")
        try folder.write("good.yaml", "kind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: example.com/a:1}]\n")
        try folder.write("kubearch.lock", "version: 1\nimages:\n  example.com/a:1:\n    digest: sha256:\(String(repeating: "c", count: 64))\n    platforms: [linux/amd64, linux/arm64]\n")
        let result = try await BuiltBinary.run(["check", "--offline", "--format", "github", "."], in: folder.url)
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("::error file=broken.yaml,line=3,col=1,"))
        #expect(result.standardOutput.contains("1 error, 0 warnings, 0 notes in 1 workload across 2 files"))
    }

    @Test func sarifOutputHasOneResultPerFinding() async throws {
        let result = try await BuiltBinary.run(["check", "--offline", "--format", "sarif", "fixtures/manifests/kubernetes-examples"])
        #expect(result.status == 1)
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(sarif["version"] as? String == "2.1.0")
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0["ruleId"] as? String == "KA005" })
    }
}
