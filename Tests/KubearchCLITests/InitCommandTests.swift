import Foundation
import KubearchCore
import Testing

private let deployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      template:
        spec:
          containers:
          - name: web
            image: IMAGE

    """

@Suite("kubearch init")
struct InitCommandTests {
    /// A git repository folder, so the configuration search stops there.
    private func repository() throws -> TemporaryFolder {
        let folder = try TemporaryFolder("kubearch-init")
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        return folder
    }

    @Test func writesAConfigurationKubearchReadsWithTheChosenValues() async throws {
        let folder = try repository()
        defer { folder.remove() }
        let result = try await BuiltBinary.run(
            ["init", "--no-lock", "--cluster-arch", "arm64,amd64,s390x", "--strategy", "pin", "--preferred-arch", "arm64"], in: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        let text = try folder.read(".kubearch.yaml")
        let configuration = try Configuration.parse(bytes: Array(text.utf8), path: ".kubearch.yaml")
        #expect(configuration.architectures == ["arm64", "amd64", "s390x"])
        #expect(configuration.windowsArchitectures == ["amd64"])
        #expect(configuration.strategy == .pin)
        #expect(configuration.preferredArchitecture == "arm64")
        // Defaults are named beside the chosen values, and the optional sections are there, commented.
        #expect(text.contains("Default: [amd64, arm64]."))
        #expect(text.contains("# rules:\n#   KA004: warning"))
        // Uncommenting the examples still gives a configuration kubearch accepts.
        let uncommented = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("# ") && (line.dropFirst(2).first.map { !$0.isUppercase } ?? false) ? String(line.dropFirst(2)) : String(line)
        }.joined(separator: "\n")
        let full = try Configuration.parse(bytes: Array(uncommented.utf8), path: ".kubearch.yaml")
        #expect(full.rules[.missingArchitectureConstraint] == .warning)
        #expect(full.registries["registry.internal:5000"]?.insecure == true)

        #expect(result.standardOutput.hasPrefix("Wrote .kubearch.yaml (cluster: arm64, amd64, s390x; strategy: pin).\n"))
        #expect(result.standardOutput.contains("Not locked (--no-lock): run `kubearch lock`"))
        #expect(result.standardOutput.contains("- id: kubearch-check"))
        #expect(result.standardOutput.contains("run: kubearch check --offline --format github"))
        // The configuration is the one `check` now finds.
        let check = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(check.status == 0, "\(check.standardOutput)\(check.standardError)")
    }

    @Test func defaultsAreTheConfigurationDefaults() async throws {
        let folder = try repository()
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("deploy"), withIntermediateDirectories: true)
        let result = try await BuiltBinary.run(["init", "--no-lock", "deploy"], in: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        let configuration = try Configuration.load(path: folder.url.appendingPathComponent("deploy/.kubearch.yaml").path)
        #expect(configuration == .default)
        #expect(result.standardOutput.contains("run `kubearch lock deploy`"))
    }

    @Test func refusesToOverwriteAConfiguration() async throws {
        let folder = try repository()
        defer { folder.remove() }
        for name in [".kubearch.yaml", ".kubearch.yml"] {
            try folder.write(name, "version: 1\n# mine\n")
            let result = try await BuiltBinary.run(["init", "--no-lock"], in: folder.url)
            #expect(result.status == 2)
            #expect(result.standardError.contains("\(name) already exists; init never overwrites a configuration"))
            #expect(try folder.read(name) == "version: 1\n# mine\n")
            try FileManager.default.removeItem(at: folder.url.appendingPathComponent(name))
        }
        let missing = try await BuiltBinary.run(["init", "--no-lock", "nowhere"], in: folder.url)
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("nowhere: no such folder"))
    }

    @Test func badFlagsAreArgumentErrors() async throws {
        let folder = try repository()
        defer { folder.remove() }
        let result = try await BuiltBinary.run(["init", "--no-lock", "--cluster-arch", "AMD64"], in: folder.url)
        #expect(result.status == 64)
        #expect(result.standardError.contains("--cluster-arch takes lowercase architecture names"))
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent(".kubearch.yaml").path))
    }

    /// No registry answers (a closed loopback port): the configuration is written all the same, and
    /// init says that `lock` could not run and why, with the offline way forward.
    @Test func saysSoWhenTheRegistryCannotBeReached() async throws {
        let folder = try repository()
        defer { folder.remove() }
        try folder.write("web.yaml", deployment.replacingOccurrences(of: "IMAGE", with: "127.0.0.1:1/team/web:1"))
        let result = try await BuiltBinary.run(["init"], in: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent(".kubearch.yaml").path))
        #expect(result.standardOutput.contains("Could not lock every image"))
        #expect(result.standardOutput.contains("Run `kubearch lock` where the registries can be reached"))
        #expect(result.standardError.contains("kubearch: could not connect to 127.0.0.1:1. No network? `kubearch check --offline`"))
    }

    @Test(.enabled(if: LoopbackRegistry.isAvailable, "needs /usr/bin/docker-registry"))
    func locksTheImagesWhenTheRegistryAnswers() async throws {
        let folder = try repository()
        defer { folder.remove() }
        let registry = try await offPool { try LoopbackRegistry.start() }
        defer { registry.stop() }
        let pushed = try await offPool { try registry.pushImage("team/web", tag: "1", platform: "linux/amd64") }
        try folder.write("web.yaml", deployment.replacingOccurrences(of: "IMAGE", with: "\(registry.host)/team/web:1"))
        let result = try await BuiltBinary.run(["init"], in: folder.url)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("Ran `kubearch lock`: the images under . are locked in kubearch.lock"))
        let lockfile = try Lockfile.parse(bytes: Array(try folder.read("kubearch.lock").utf8), path: "kubearch.lock")
        #expect(lockfile.lookup("\(registry.host)/team/web:1") == LockEntry(digest: pushed.digest, platforms: [Platform(os: "linux", architecture: "amd64")]))
        let check = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(check.status == 1)
        #expect(check.standardOutput.contains("[KA004 missing-architecture-constraint]"))
    }
}
