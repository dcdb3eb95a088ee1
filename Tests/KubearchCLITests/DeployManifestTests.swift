import Foundation
import Testing

/// The webhook's own manifests (`deploy/`, SPEC §13) pass `kubearch check`, given what the README's
/// build produces: an image for amd64 and arm64.
@Suite struct DeployManifestTests {
    static let lockfile = """
        version: 1
        images:
          ghcr.io/example-org/kubearch-webhook:0.1.0:
            digest: sha256:\(String(repeating: "a", count: 64))
            platforms: [linux/amd64, linux/arm64]

        """

    @Test func checkPassesOnDeploy() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let lockfile = try folder.write("kubearch.lock", Self.lockfile)
        let result = try await BuiltBinary.run(["check", "--offline", "--lockfile", lockfile.path, "deploy"])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("no problems in 1 workload across 8 files"), "\(result.standardOutput)")
    }

    /// The same manifests with a single-architecture image would be caught: the test can fail.
    @Test func checkCatchesASingleArchitectureWebhookImage() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let lockfile = try folder.write("kubearch.lock", Self.lockfile.replacingOccurrences(of: "[linux/amd64, linux/arm64]", with: "[linux/amd64]"))
        let result = try await BuiltBinary.run(["check", "--offline", "--lockfile", lockfile.path, "deploy"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("KA004"), "\(result.standardOutput)")
    }

    @Test func webhookConfigurationHasTheSettingsOfSPEC13() throws {
        let text = String(decoding: try Data(contentsOf: BuiltBinary.packageRoot.appendingPathComponent("deploy/mutatingwebhookconfiguration.yaml")), as: UTF8.self)
        for setting in [
            "admissionReviewVersions: [v1]", "sideEffects: None", "timeoutSeconds: 5", "failurePolicy: Ignore",
            "reinvocationPolicy: IfNeeded", "values: [kube-system, kubearch]", "cert-manager.io/inject-ca-from: kubearch/kubearch-webhook",
            "path: /mutate", "operations: [CREATE]", "resources: [pods]",
        ] {
            #expect(text.contains(setting), "missing \(setting)")
        }
    }
}
