import Foundation
import Testing

private let lockfile = """
    version: 1
    images:
      example.com/arm-only:1:
        digest: sha256:\(String(repeating: "d", count: 64))
        platforms: [linux/arm64]
      example.com/multi:1:
        digest: sha256:\(String(repeating: "e", count: 64))
        platforms: [linux/amd64, linux/arm64]

    """

private func pod(_ name: String, image: String) -> String {
    "apiVersion: v1\nkind: Pod\nmetadata: {name: \(name)}\nspec:\n  containers:\n  - name: main\n    image: \(image)\n"
}

@Suite("Pre-commit hooks")
struct PreCommitHookTests {
    /// The pre-commit framework passes the staged file names as arguments, from the repository root.
    @Test func asThePreCommitFrameworkRunsIt() async throws {
        let repo = try TemporaryFolder("kubearch-precommit")
        defer { repo.remove() }
        try repo.write(".kubearch.yaml", "version: 1\n")
        try repo.write("kubearch.lock", lockfile)
        try repo.write("apps/good.yaml", pod("good", image: "example.com/multi:1"))
        try repo.write("apps/bad.yaml", pod("bad", image: "example.com/arm-only:1"))
        try await runTool(["git", "init", "-q"], in: repo.url)
        // From a subfolder too: the configuration and lockfile are found by walking up.
        let good = try await BuiltBinary.run(["check", "--offline", "good.yaml"], in: repo.url.appendingPathComponent("apps"))
        #expect(good.status == 0)
        #expect(good.standardOutput == "no problems in 1 workload across 1 file\n")
        let both = try await BuiltBinary.run(["check", "--offline", "apps/good.yaml", "apps/bad.yaml"], in: repo.url)
        #expect(both.status == 1)
        #expect(both.standardOutput.contains("apps/bad.yaml:2:1: error: "))
        #expect(!both.standardOutput.contains("apps/good.yaml"))
    }

    /// The plain git hook checks what is staged, not the working tree.
    @Test func asAGitHook() async throws {
        let repo = try TemporaryFolder("kubearch-githook")
        defer { repo.remove() }
        let git = { (arguments: [String]) async throws -> (status: Int32, output: String) in
            try await runTool(["git", "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments, in: repo.url)
        }
        _ = try await git(["init", "-q"])
        try repo.write(".kubearch.yaml", "version: 1\n")
        try repo.write("kubearch.lock", lockfile)
        try repo.write("README.md", "not yaml\n")
        try repo.write("deploy/app.yaml", pod("app", image: "example.com/multi:1"))
        _ = try await git(["add", "."])
        let hook = BuiltBinary.packageRoot.appendingPathComponent("hooks/pre-commit").path
        let env = ["KUBEARCH": BuiltBinary.url.path]

        let clean = try await runTool(["bash", hook], in: repo.url, environment: env)
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("no problems in 1 workload across 1 file"))

        // Stage a bad version, then repair only the working tree: the hook still sees the staged one.
        try repo.write("deploy/app.yaml", pod("app", image: "example.com/arm-only:1"))
        _ = try await git(["add", "deploy/app.yaml"])
        try repo.write("deploy/app.yaml", pod("app", image: "example.com/multi:1"))
        let staged = try await runTool(["bash", hook], in: repo.url, environment: env)
        #expect(staged.status == 1)
        #expect(staged.output.contains("deploy/app.yaml:2:1: error: "))
        #expect(staged.output.contains("KA004"))

        // Installed as .git/hooks/pre-commit, it blocks the commit.
        try FileManager.default.copyItem(atPath: hook, toPath: repo.url.appendingPathComponent(".git/hooks/pre-commit").path)
        let commit = try await runTool(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "x"], in: repo.url, environment: env)
        #expect(commit.status != 0)
        _ = try await git(["add", "deploy/app.yaml"])
        let fixed = try await runTool(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "x"], in: repo.url, environment: env)
        #expect(fixed.status == 0, "\(fixed.output)")
    }

    /// A staged base of a kustomize tree is judged as its overlays deploy it (SPEC §11), whether
    /// the framework names the file or the plain hook lays out the index.
    @Test func stagedKustomizeBaseIsJudgedThroughItsOverlays() async throws {
        let repo = try TemporaryFolder("kubearch-githook-kustomize")
        defer { repo.remove() }
        let git = { (arguments: [String]) async throws -> (status: Int32, output: String) in
            try await runTool(["git", "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments, in: repo.url)
        }
        _ = try await git(["init", "-q"])
        try repo.write("kubearch.lock", lockfile)
        try repo.write("base/kustomization.yaml", "resources:\n- app.yaml\n")
        try repo.write("base/app.yaml", pod("app", image: "example.com/multi:1"))
        try repo.write("overlays/edge/kustomization.yaml", "resources:\n- ../../base\nimages:\n- name: example.com/multi\n  newName: example.com/arm-only\n")
        _ = try await git(["add", "."])
        _ = try await git(["commit", "-qm", "tree"])
        // Only the base changes (a comment): on its own it is fine, as the overlay renders it it is not.
        try repo.write("base/app.yaml", "# touched\n" + pod("app", image: "example.com/multi:1"))
        _ = try await git(["add", "base/app.yaml"])

        let named = try await BuiltBinary.run(["check", "--offline", "base/app.yaml"], in: repo.url)
        #expect(named.status == 1, "\(named.standardOutput)")
        #expect(named.standardOutput.contains("base/app.yaml:3:1: error: "))
        #expect(named.standardOutput.contains("(kustomization overlays/edge) [KA004"))

        let hook = BuiltBinary.packageRoot.appendingPathComponent("hooks/pre-commit").path
        let result = try await runTool(["bash", hook], in: repo.url, environment: ["KUBEARCH": BuiltBinary.url.path])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("base/app.yaml:3:1: error: "))
        #expect(result.output.contains("(kustomization overlays/edge)"))
    }

    @Test func nothingStagedIsFine() async throws {
        let repo = try TemporaryFolder("kubearch-githook-empty")
        defer { repo.remove() }
        try await runTool(["git", "init", "-q"], in: repo.url)
        let hook = BuiltBinary.packageRoot.appendingPathComponent("hooks/pre-commit").path
        let result = try await runTool(["bash", hook], in: repo.url, environment: ["KUBEARCH": BuiltBinary.url.path])
        #expect(result.status == 0)
        #expect(result.output.isEmpty)
    }
}
