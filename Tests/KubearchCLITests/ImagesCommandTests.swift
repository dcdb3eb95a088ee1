import Foundation
import Testing

@Suite("kubearch images")
struct ImagesCommandTests {
    @Test func listsWorkloadsAsText() async throws {
        let result = try await BuiltBinary.run(["images", "fixtures/manifests/kubernetes-examples/elasticsearch-rc.yaml"])
        #expect(result.status == 0)
        #expect(result.standardOutput == """
            fixtures/manifests/kubernetes-examples/elasticsearch-rc.yaml:2: ReplicationController es (spec.template.spec)
              init init-sysctl: busybox -> docker.io/library/busybox:latest
              es: quay.io/pires/docker-elasticsearch-kubernetes:5.6.2 -> quay.io/pires/docker-elasticsearch-kubernetes:5.6.2

            """)
    }

    @Test func listsWorkloadsAsJSON() async throws {
        let result = try await BuiltBinary.run(["images", "--format", "json", "fixtures/manifests/microservices-demo"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let workloads = try #require(json["workloads"] as? [[String: Any]])
        #expect(workloads.count == 12)
        let first = try #require(workloads.first)
        #expect(first["file"] as? String == "fixtures/manifests/microservices-demo/kubernetes-manifests.yaml")
        #expect(first["podSpecPath"] as? String == "spec.template.spec")
        #expect((first["object"] as? [String: Any])?["namespace"] is NSNull)
        let redis = try #require(workloads.first { ($0["object"] as? [String: Any])?["name"] as? String == "redis-cart" })
        let image = try #require((redis["images"] as? [[String: Any]])?.first)
        #expect(image["reference"] as? String == "redis:alpine")
        #expect(image["canonical"] as? String == "docker.io/library/redis:alpine")
        #expect(image["platforms"] == nil)
    }

    @Test func readsStandardInput() async throws {
        let manifest = "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: alpine}\n"
        let result = try await BuiltBinary.run(["images", "-"], input: Data(manifest.utf8))
        #expect(result.status == 0)
        #expect(result.standardOutput == "-:1: Pod p (spec)\n  a: alpine -> docker.io/library/alpine:latest\n")
    }

    /// `images` lists what `check` would read: the configuration's `exclude` globs apply.
    @Test func honoursTheConfigurationsExcludes() async throws {
        let folder = try TemporaryFolder("kubearch-images-exclude")
        defer { folder.remove() }
        let pod = { (name: String) in "kind: Pod\nmetadata: {name: \(name)}\nspec:\n  containers:\n  - {name: a, image: alpine}\n" }
        try folder.write("apps/kept.yaml", pod("kept"))
        try folder.write("charts/skipped.yaml", pod("skipped"))
        try folder.write(".kubearch.yaml", "version: 1\nexclude: [\"charts/**\"]\n")
        let found = try await BuiltBinary.run(["images", "."], in: folder.url)
        #expect(found.status == 0)
        #expect(found.standardOutput == "apps/kept.yaml:1: Pod kept (spec)\n  a: alpine -> docker.io/library/alpine:latest\n")
        // A broken configuration is a clear error, exit 2.
        try folder.write("broken.yaml", "version: 1\nexclud: []\n")
        let broken = try await BuiltBinary.run(["images", "--config", "broken.yaml", "."], in: folder.url)
        #expect(broken.status == 2)
        #expect(broken.standardError.contains("broken.yaml:2:1"))
    }

    @Test func missingPathIsExitCodeTwo() async throws {
        let result = try await BuiltBinary.run(["images", "no/such/dir"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("no/such/dir: no such file or directory"))
    }

    @Test func templatesAndSyntaxErrorsGoToStandardError() async throws {
        let result = try await BuiltBinary.run(["images", "fixtures/manifests/ingress-nginx"])
        #expect(result.status == 0)
        #expect(result.standardError.contains("helm-template.controller-daemonset.yaml:1:1: note:"))
        #expect(result.standardOutput.contains("ingress-nginx-controller"))
    }

    @Test func sarifIsRefused() async throws {
        let result = try await BuiltBinary.run(["images", "--format", "sarif", "."])
        #expect(result.status == 64)
    }
}
