import Foundation
import KubearchCore
import Testing

/// `check`, `images` and `fix` on a kustomize tree: an overlay renames a base's image and retags it
/// amd64-only, so only the rendering shows the problem (SPEC §11).
@Suite("kubearch on kustomize trees")
struct KustomizeCheckTests {
    static let tree: [String: String] = [
        "base/kustomization.yaml": "resources:\n- deployment.yaml\n",
        "base/deployment.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
            spec:
              template:
                spec:
                  containers:
                  - name: api
                    image: example/api:1.0

            """,
        "prod/kustomization.yaml": """
            resources:
            - ../base
            namespace: prod
            namePrefix: prod-
            images:
            - name: example/api
              newName: registry.example.com/api
              newTag: 2.0-amd64

            """,
        "remote/kustomization.yaml": """
            resources:
            - ../base
            - https://github.com/example/app//deploy?ref=v1

            """,
        // Only what the roots deploy is locked: the base's own tag never is.
        "kubearch.lock": """
            version: 1
            images:
              registry.example.com/api:2.0-amd64:
                digest: sha256:\(String(repeating: "b", count: 64))
                platforms: [linux/amd64]

            """,
    ]

    func makeTree() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        for (path, text) in Self.tree { try folder.write(path, text) }
        return folder
    }

    @Test func checkJudgesTheRenderingAndPointsAtTheOverlay() async throws {
        let folder = try makeTree()
        defer { folder.remove() }
        let result = try await BuiltBinary.run(["check", "--offline", "--format", "json", "."], in: folder.url)
        #expect(result.status == 1, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let findings = try #require(object["findings"] as? [[String: Any]])
        let rules = findings.map { "\($0["rule"] ?? "") \($0["file"] ?? ""):\($0["line"] ?? "") \($0["kustomization"] ?? "-")" }.sorted()
        // The missing constraint at the base's `kind:` line, judged through prod; the remote root is
        // not judged (KA011 at its remote entry); the base is never judged on its own.
        #expect(rules == ["KA004 base/deployment.yaml:2 prod", "KA011 remote/kustomization.yaml:3 remote"])
        let ka004 = try #require(findings.first { $0["rule"] as? String == "KA004" })
        let identity = try #require(ka004["object"] as? [String: Any])
        #expect(identity["name"] as? String == "prod-api")
        #expect(identity["namespace"] as? String == "prod")
        let workloads = try #require(object["workloads"] as? [[String: Any]])
        #expect(workloads.count == 1)
        let image = try #require((workloads.first?["images"] as? [[String: Any]])?.first)
        #expect(image["reference"] as? String == "registry.example.com/api:2.0-amd64")
        let source = try #require(image["source"] as? [String: Any])
        #expect(source["file"] as? String == "prod/kustomization.yaml")
        #expect(source["line"] as? Int == 6)
    }

    @Test func textNamesTheRoot() async throws {
        let folder = try makeTree()
        defer { folder.remove() }
        let result = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(result.standardOutput.contains("base/deployment.yaml:2:1: error:"))
        #expect(result.standardOutput.contains("(kustomization prod) [KA004"))
        #expect(result.standardOutput.contains("remote/kustomization.yaml:3:3: warning:"))
    }

    @Test func imagesListsWhatRootsDeploy() async throws {
        let folder = try makeTree()
        defer { folder.remove() }
        let result = try await BuiltBinary.run(["images", "--format", "json", "."], in: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("registry.example.com/api:2.0-amd64"))
        #expect(!result.standardOutput.contains("example/api:1.0"))
        #expect(result.standardError.contains("KA011"))
    }

    /// The remote root cannot be rendered and may read the same base, so `fix` leaves every file
    /// of the tree alone and still reports what the roots need.
    @Test func fixLeavesKustomizeSourcesAlone() async throws {
        let folder = try makeTree()
        defer { folder.remove() }
        let before = try folder.read("base/deployment.yaml")
        let result = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        #expect(try folder.read("base/deployment.yaml") == before)
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("prod/kubearch-patches.yaml").path))
        #expect(result.standardError.contains("root remote cannot be rendered"))
        #expect(result.standardError.contains("KA004"))
    }
}

/// `fix` edits a base in place when every root rendering it wants the same constraint and owns
/// its affinity; otherwise the base is left alone and the root that needs it gets a managed patch.
@Suite("kubearch fix on kustomize trees")
struct KustomizeFixTests {
    func tree(stagingTag: String) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        var files = KustomizeCheckTests.tree
        files["remote/kustomization.yaml"] = nil
        files["staging/kustomization.yaml"] = """
            resources:
            - ../base
            namespace: staging
            images:
            - name: example/api
              newName: registry.example.com/api
              newTag: \(stagingTag)

            """
        files["kubearch.lock"] = """
            version: 1
            images:
              registry.example.com/api:2.0-amd64:
                digest: sha256:\(String(repeating: "b", count: 64))
                platforms: [linux/amd64]
              registry.example.com/api:2.1:
                digest: sha256:\(String(repeating: "d", count: 64))
                platforms: [linux/amd64, linux/arm64]

            """
        for (path, text) in files { try folder.write(path, text) }
        return folder
    }

    @Test func baseIsEditedWhenEveryRootAgrees() async throws {
        let folder = try tree(stagingTag: "2.0-amd64")
        defer { folder.remove() }
        let dry = try await BuiltBinary.run(["fix", "--offline", "--dry-run", "."], in: folder.url)
        #expect(dry.standardOutput.contains("+++ b/base/deployment.yaml"), "\(dry.standardError)")
        #expect(dry.standardOutput.contains("values: [amd64] # managed by kubearch"))
        let result = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try folder.read("base/deployment.yaml").contains("kubernetes.io/arch"))
        #expect(try folder.read("prod/kustomization.yaml") == KustomizeCheckTests.tree["prod/kustomization.yaml"])
        let check = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(check.status == 0, "\(check.standardOutput)")
        let before = try folder.read("base/deployment.yaml")
        let again = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        #expect(again.standardError.contains("fixed 0 workloads"))
        #expect(try folder.read("base/deployment.yaml") == before)
    }

    @Test func baseIsLeftAloneWhenRootsDisagree() async throws {
        let folder = try tree(stagingTag: "\"2.1\"")
        defer { folder.remove() }
        let before = try folder.read("base/deployment.yaml")
        let result = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(try folder.read("base/deployment.yaml") == before)
        // prod's amd64-only image gets prod's own patch; staging's multi-arch image needs none.
        #expect(try folder.read("prod/kubearch-patches.yaml").contains("values: [amd64]"))
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("staging/kubearch-patches.yaml").path))
        let check = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(check.status == 0, "\(check.standardOutput)")
    }
}
