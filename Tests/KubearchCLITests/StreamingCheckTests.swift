import Foundation
import Testing

/// `check --offline FOLDER` prints findings while it still judges later files; naming the same
/// folder twice takes the path that judges every file first and sorts at the end. Both must print
/// the same bytes in every format, on trees where plain files, kustomize roots (whose findings sort
/// between plain files) and GitOps objects (which claim folders, or are KA011 without a known
/// repository) mix.
@Suite("check prints as it goes, in report order")
struct StreamingCheckTests {
    /// A copy of `fixtures/PATH`, a git repository with `origin` when `remote` is given.
    func copy(_ path: String, remote: String? = nil) async throws -> TemporaryFolder {
        let folder = try TemporaryFolder("kubearch-streaming")
        try FileManager.default.removeItem(at: folder.url)
        try FileManager.default.copyItem(at: BuiltBinary.fixtures.appendingPathComponent(path), to: folder.url)
        if let remote {
            try await runTool(["git", "init", "-q"], in: folder.url)
            try await runTool(["git", "remote", "add", "origin", remote], in: folder.url)
        }
        return folder
    }

    /// Asserts the streamed and the sorted-at-the-end outputs are equal; returns the streamed text output.
    @discardableResult
    func expectSameOutput(_ folder: TemporaryFolder, lockfile: String? = nil) async throws -> String {
        let lock = lockfile.map { ["--lockfile", $0] } ?? []
        var text = ""
        for format in ["text", "json", "sarif", "github"] {
            let streamed = try await BuiltBinary.run(["check", "--offline", "--format", format] + lock + ["."], in: folder.url)
            let sorted = try await BuiltBinary.run(["check", "--offline", "--format", format] + lock + [".", "."], in: folder.url)
            #expect(streamed.standardOutput == sorted.standardOutput, "\(format)")
            #expect(streamed.standardError == sorted.standardError, "\(format)")
            #expect(streamed.status == sorted.status, "\(format)")
            if format == "text" { text = streamed.standardOutput }
        }
        return text
    }

    /// Objects of this repository claim folders (found by a marker search before any file is judged).
    @Test func gitOpsObjectsOfThisRepository() async throws {
        let folder = try await copy("gitops/overrides", remote: "https://github.com/example-org/fleet")
        defer { folder.remove() }
        let text = try await expectSameOutput(folder)
        #expect(text.contains("(GitOps object clusters/none.yaml#none)"))
    }

    /// Without a known repository every object is KA011 at its own file; the files after the first
    /// object wait for the end of the walk.
    @Test func gitOpsObjectsWithoutARepository() async throws {
        let folder = try await copy("gitops/overrides")
        defer { folder.remove() }
        try folder.write("zz-last/late.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: late}\nspec:\n  containers: [{name: c, image: nginx}]\n")
        try folder.write("argocd/broken.yaml", "kind: [\n")
        let text = try await expectSameOutput(folder)
        #expect(text.contains("KA011"))
        #expect(text.contains("zz-last/late.yaml"))
    }

    @Test func fleetOfKustomizeOverlays() async throws {
        let folder = try await copy("gitops/fleet", remote: "git@github.com:example-org/fleet.git")
        defer { folder.remove() }
        try await expectSameOutput(folder)
    }

    /// Kustomize roots whose findings land between plain files, plain files with syntax errors and templates.
    @Test func kustomizeTreesAndPlainManifests() async throws {
        for path in ["kustomize/real/podinfo", "kustomize/real/flux2-multi-tenancy", "manifests/kube-linter-testdata"] {
            let folder = try await copy(path)
            defer { folder.remove() }
            try folder.write("a-plain.yaml", "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: early}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: nginx}]\n")
            try folder.write("m-broken.yaml", "kind: Deployment\nspec: [\n")
            try await expectSameOutput(folder)
        }
    }
}
