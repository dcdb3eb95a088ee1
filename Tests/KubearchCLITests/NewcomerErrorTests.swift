import Foundation
import Testing

@Suite("first-run errors name the next step")
struct NewcomerErrorTests {
    @Test func offlineWithoutALockfileNamesKubearchLock() async throws {
        let folder = try TemporaryFolder("kubearch-newcomer")
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try folder.write("web.yaml", "kind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: example.com/web:1}]\n")
        let result = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(result.status == 1)
        #expect(result.standardError == "kubearch: there is no lockfile kubearch.lock, so offline every image is unresolved (KA005): "
            + "run `kubearch lock` once where the registries can be reached, or name a lockfile with --lockfile\n")
        #expect(result.standardOutput.contains("[KA005 unresolved-image]"))
        // With a lockfile, even one that lacks the image, the per-image finding says enough.
        try folder.write("kubearch.lock", "version: 1\nimages: {}\n")
        let locked = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(locked.standardError.isEmpty)
    }

    /// A registry that cannot be reached (a closed loopback port) gets one line naming `--offline`.
    @Test func unreachableRegistryNamesOfflineMode() async throws {
        let folder = try TemporaryFolder("kubearch-newcomer")
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try folder.write("web.yaml", "kind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: 127.0.0.1:1/web:1}]\n")
        let result = try await BuiltBinary.run(["check", "."], in: folder.url)
        #expect(result.status == 1)
        #expect(result.standardError.contains("kubearch: could not connect to 127.0.0.1:1. No network? `kubearch check --offline` and `kubearch fix --offline` use only the lockfile"))
        #expect(result.standardOutput.contains("cannot connect to http://127.0.0.1:1/v2/web/manifests/1"))
    }
}
