import Foundation
import Testing

/// `fix` on a tree where one base is rendered by overlays that need different architectures
/// (SPEC §11): the base stays untouched, each root that needs a constraint gets a patch kubearch
/// manages — strategic merge where the rendering has no required terms, JSON 6902 where an overlay
/// patch already set zone terms — and `kubectl kustomize` of every root proves it safe.
@Suite("kubearch fix writes managed patches per kustomize root")
struct KustomizeManagedPatchTests {
    static let fixture = BuiltBinary.fixtures.appendingPathComponent("kustomize/edge/managed-patches")

    func copyOfFixture() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let items = try FileManager.default.contentsOfDirectory(atPath: Self.fixture.path)
        for item in items {
            try FileManager.default.copyItem(at: Self.fixture.appendingPathComponent(item), to: folder.url.appendingPathComponent(item))
        }
        return folder
    }

    /// `kubectl kustomize ROOT`, written as a plain manifest into `output`.
    func renderWithKubectl(_ root: String, in folder: TemporaryFolder, to output: TemporaryFolder) async throws -> String {
        let rendered = try await runTool(["kubectl", "kustomize", root], in: folder.url)
        #expect(rendered.status == 0, "\(rendered.output)")
        try output.write(root.replacingOccurrences(of: "/", with: "-") + ".yaml", rendered.output)
        return rendered.output
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/kubectl"), "kubectl is not installed"))
    func overlaysWantingDifferentArchitecturesGetOnePatchEach() async throws {
        let folder = try copyOfFixture()
        defer { folder.remove() }
        let base = try folder.read("base/deployment.yaml")
        let prodKustomization = try folder.read("overlays/prod/kustomization.yaml")

        let dry = try await BuiltBinary.run(["fix", "--offline", "--dry-run", "."], in: folder.url)
        #expect(dry.status == 0, "\(dry.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("overlays/staging/kubearch-patches.yaml").path))
        #expect(dry.standardOutput.contains("--- /dev/null\n+++ b/overlays/staging/kubearch-patches.yaml"))

        let result = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("fixed 2 workloads in 4 files"))
        #expect(try folder.read("base/deployment.yaml") == base)

        // staging: no required terms → one strategic-merge document naming the object as the
        // overlay's patches see it (before its namespace applies).
        let strategic = try folder.read("overlays/staging/kubearch-patches.yaml")
        #expect(strategic.contains("kind: Deployment\nmetadata:\n  name: api\nspec:"))
        #expect(strategic.contains("- key: kubernetes.io/arch\n                operator: In\n                values: [amd64]"))
        #expect(try folder.read("overlays/staging/kustomization.yaml").hasSuffix("  newTag: 2.0-amd64\npatches:\n- path: kubearch-patches.yaml\n"))

        // prod: its zone patch set required terms → a JSON 6902 `add` into that term, listed after
        // the user's patch with its comment and indentation kept.
        let json = try folder.read("overlays/prod/kubearch-patch-deployment-api.yaml")
        #expect(json.contains("- op: add\n  path: /spec/template/spec/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0/matchExpressions/-\n"))
        #expect(json.contains("values: [arm64]"))
        #expect(try folder.read("overlays/prod/kustomization.yaml") == prodKustomization + """
              - path: kubearch-patch-deployment-api.yaml
                target:
                  kind: Deployment
                  name: api

            """)
        // dev deploys a multi-arch image: nothing to add.
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("overlays/dev/kubearch-patches.yaml").path))

        // The oracle: what kustomize itself renders from the fixed tree, judged as plain files.
        let rendered = try TemporaryFolder()
        defer { rendered.remove() }
        let prod = try await renderWithKubectl("overlays/prod", in: folder, to: rendered)
        #expect(prod.contains("- key: topology.kubernetes.io/zone"), "the user's zone term is kept")
        #expect(prod.contains("- key: kubernetes.io/arch\n                operator: In\n                values:\n                - arm64"))
        _ = try await renderWithKubectl("overlays/staging", in: folder, to: rendered)
        _ = try await renderWithKubectl("overlays/dev", in: folder, to: rendered)
        try FileManager.default.copyItem(at: folder.url.appendingPathComponent("kubearch.lock"), to: rendered.url.appendingPathComponent("kubearch.lock"))
        let judged = try await BuiltBinary.run(["check", "--offline", "."], in: rendered.url)
        #expect(judged.status == 0, "\(judged.standardOutput)")
        #expect(judged.standardOutput.contains("no problems in 3 workloads"))

        let check = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(check.status == 0, "\(check.standardOutput)")
        let again = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        #expect(again.standardError.contains("fixed 0 workloads in 0 files"))
    }

    /// A managed patch is kubearch's own constraint: when the images change it is out of date
    /// (KA007) and `fix` rewrites it.
    @Test func outOfDatePatchIsReportedAndRewritten() async throws {
        let folder = try copyOfFixture()
        defer { folder.remove() }
        _ = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        let lock = try folder.read("kubearch.lock")
        let widened = lock.replacingOccurrences(of: "platforms: [linux/amd64]\n", with: "platforms: [linux/amd64, linux/arm64]\n")
        #expect(widened != lock)
        try folder.write("kubearch.lock", widened)

        let check = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(check.standardOutput.contains("[KA007 constraint-out-of-date]"), "\(check.standardOutput)")
        #expect(check.standardOutput.contains("(kustomization overlays/staging)"))
        let fix = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        #expect(fix.status == 0, "\(fix.standardError)")
        #expect(try folder.read("overlays/staging/kubearch-patches.yaml").contains("values: [amd64, arm64]"))
        // The entry is listed once, however often fix runs.
        let kustomization = try folder.read("overlays/staging/kustomization.yaml")
        #expect(kustomization.components(separatedBy: "kubearch-patches.yaml").count == 2)
        let clean = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(clean.status == 0, "\(clean.standardOutput)")
    }

    /// A root that cannot be rendered may read the same base: nothing of the tree is written.
    @Test func brokenRootStopsKustomizeEdits() async throws {
        let folder = try copyOfFixture()
        defer { folder.remove() }
        try folder.write("overlays/broken/kustomization.yaml", "resources:\n- ../../base\n- missing.yaml\n")
        let result = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        #expect(result.standardError.contains("root overlays/broken cannot be rendered"))
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("overlays/staging/kubearch-patches.yaml").path))
    }

    /// `explain` shows a rendered workload as its root renders it: where the image was set, the
    /// findings at the source lines, and exactly the patch `fix` would write for that root.
    @Test func explainShowsTheRenderingAndTheRootsPatch() async throws {
        let folder = try copyOfFixture()
        defer { folder.remove() }
        let ambiguous = try await BuiltBinary.run(["explain", "--offline", "base/deployment.yaml"], in: folder.url)
        #expect(ambiguous.status != 0)
        #expect(ambiguous.standardError.contains("--kustomization overlays/prod\n  --kustomization overlays/staging"), "\(ambiguous.standardError)")

        let prod = try await BuiltBinary.run(["explain", "--offline", "--kustomization", "overlays/prod", "base/deployment.yaml"], in: folder.url)
        #expect(prod.status == 0, "\(prod.standardError)")
        #expect(prod.standardOutput.hasPrefix("Deployment/prod/prod-api at base/deployment.yaml:2 as kustomization overlays/prod renders it"))
        #expect(prod.standardOutput.contains("registry.example.com/api:2.0-arm64 (set at overlays/prod/kustomization.yaml:"))
        #expect(prod.standardOutput.contains("fired    KA004 missing-architecture-constraint (error, base/deployment.yaml:2)"))
        #expect(prod.standardOutput.contains("+++ b/overlays/prod/kubearch-patch-deployment-api.yaml"))
        #expect(prod.standardOutput.contains("+++ b/overlays/prod/kustomization.yaml"))
        #expect(!prod.standardOutput.contains("overlays/staging/"))

        // By its rendered name; what it shows is what fix then writes.
        let staging = try await BuiltBinary.run(["explain", "--offline", "Deployment/staging/api"], in: folder.url)
        #expect(staging.status == 0, "\(staging.standardError)")
        #expect(staging.standardOutput.contains("--- /dev/null\n+++ b/overlays/staging/kubearch-patches.yaml"))
        _ = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        let written = try folder.read("overlays/staging/kubearch-patches.yaml")
        #expect(staging.standardOutput.contains(written.split(separator: "\n").map { "+" + $0 }.joined(separator: "\n")))
        let after = try await BuiltBinary.run(["explain", "--offline", "Deployment/staging/api"], in: folder.url)
        #expect(after.standardOutput.contains("Fix:\n  nothing to change"))
    }

    /// A base whose own image is locked looks fixable as a plain file; it must be fixed as the
    /// overlay renders it (arm64 there), and a patch file never as a plain Deployment.
    @Test func basesAndPatchesAreNeverFixedAsPlainFiles() async throws {
        let folder = try copyOfFixture()
        defer { folder.remove() }
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("overlays/staging"))
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("overlays/dev"))
        let base = try folder.read("base/deployment.yaml").replacingOccurrences(of: "example/api:1.0", with: "registry.example.com/api:2.0-amd64")
        try folder.write("base/deployment.yaml", base)
        let overlay = try folder.read("overlays/prod/kustomization.yaml").replacingOccurrences(of: "- name: example/api", with: "- name: registry.example.com/api")
        try folder.write("overlays/prod/kustomization.yaml", overlay)
        // Under `prefer`, every Deployment without a preferred term would get one, patch files too.
        try folder.write(".kubearch.yaml", "version: 1\npolicy:\n  strategy: prefer\n  preferredArchitecture: arm64\n")
        let zones = try folder.read("overlays/prod/zones.yaml")
        let result = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        let fixed = try folder.read("base/deployment.yaml")
        #expect(!fixed.contains("values: [amd64]"), "\(fixed)")
        #expect(try folder.read("overlays/prod/zones.yaml") == zones)
        #expect(try folder.read("overlays/prod/kubearch-patch-deployment-api.yaml").contains("values: [arm64]"))
        let check = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(check.status == 0, "\(check.standardOutput)")
    }
}
