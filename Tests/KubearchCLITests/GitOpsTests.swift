import Foundation
import KubearchCore
import Testing

/// `check` and `fix` on GitOps repositories (SPEC §11): Flux Kustomizations and Argo CD
/// Applications render the folder they name with their own overrides, and findings name the object.
@Suite("kubearch on GitOps repositories")
struct GitOpsTests {
    /// A copy of `fixtures/gitops/NAME` as a git repository whose `origin` is `remote`.
    func repository(_ name: String, remote: String) async throws -> TemporaryFolder {
        let folder = try TemporaryFolder("kubearch-gitops")
        try FileManager.default.removeItem(at: folder.url)
        try FileManager.default.copyItem(at: BuiltBinary.fixtures.appendingPathComponent("gitops/\(name)"), to: folder.url)
        try await runTool(["git", "init", "-q"], in: folder.url)
        try await runTool(["git", "remote", "add", "origin", remote], in: folder.url)
        return folder
    }

    func findings(_ folder: TemporaryFolder) async throws -> [[String: Any]] {
        let result = try await BuiltBinary.run(["check", "--offline", "--format", "json", "."], in: folder.url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any], "\(result.standardError)")
        return try #require(object["findings"] as? [[String: Any]])
    }

    /// One Flux Kustomization and one Argo CD Application per override kind, each naming the same
    /// amd64-only base (or plain folder): the override alone decides the verdict.
    @Test func eachOverrideChangesWhatIsJudged() async throws {
        let folder = try await repository("overrides", remote: "https://github.com/example-org/fleet")
        defer { folder.remove() }
        let found = try await findings(folder)
        let byObject = Dictionary(grouping: found) { $0["kustomization"] as? String ?? "-" }
        func rules(_ object: String) -> [String] { (byObject[object] ?? []).map { "\($0["rule"] ?? "") \($0["file"] ?? "")" }.sorted() }
        // Without overrides the base needs a constraint…
        #expect(rules("clusters/none.yaml#none") == ["KA004 base/app/deployment.yaml"])
        // …images (Flux `spec.images`, Argo CD `images` strings), patches and components each make it safe.
        for object in ["clusters/images.yaml#images", "argocd/images.yaml#images", "clusters/patches.yaml#patches",
                       "argocd/patches.yaml#patches", "clusters/components.yaml#components", "argocd/components.yaml#components"] {
            #expect(rules(object) == [], "\(object)")
        }
        // A Flux patch names the object before the object's prefix and suffix, as Flux merges both
        // into one kustomization; Argo CD's affixes rename the finding's object.
        #expect(rules("clusters/affixes.yaml#affixes") == [])
        let renamed = try #require(byObject["argocd/affixes.yaml#affixes"]?.first?["object"] as? [String: Any])
        #expect(renamed["name"] as? String == "prod-app-v2")
        // targetNamespace / namespace: the finding is about the object in its new namespace.
        for (object, namespace) in [("clusters/namespace.yaml#namespace", "team-a"), ("argocd/namespace.yaml#namespace", "team-b")] {
            let identity = try #require(byObject[object]?.first?["object"] as? [String: Any], "\(object)")
            #expect(identity["namespace"] as? String == namespace)
        }
        // A folder with its own namespace, prefix and multi-arch image: the objects' overrides
        // replace all three (the controllers write them into that kustomization), so the
        // amd64-only tag they pin is judged under their names, not `base-app` in `base-ns`.
        for (object, namespace, name) in [("clusters/merged.yaml#merged", "team-c", "flux-app"), ("argocd/merged.yaml#merged", "team-d", "argo-app")] {
            #expect(rules(object) == ["KA004 base/app/deployment.yaml"], "\(object)")
            let identity = try #require(byObject[object]?.first?["object"] as? [String: Any], "\(object)")
            #expect(identity["namespace"] as? String == namespace)
            #expect(identity["name"] as? String == name)
        }
        // A plain folder: Flux renders every manifest under it, Argo CD only the folder's own files
        // unless `directory.recurse`.
        #expect(rules("clusters/folder.yaml#folder") == ["KA004 plain/a.yaml", "KA004 plain/sub/b.yaml"])
        #expect(rules("argocd/folder.yaml#folder") == ["KA004 plain/a.yaml"])
        #expect(rules("argocd/folder-recurse.yaml#folder-recurse") == ["KA004 plain/a.yaml", "KA004 plain/sub/b.yaml"])
        // Named folders are judged only through the objects.
        #expect(found.allSatisfy { ($0["kustomization"] as? String)?.contains("#") == true })
    }

    /// A Flux `clusters/prod` tree as `flux bootstrap` lays it out and an Argo CD app of apps.
    @Test func checkAndFixAFleetRepository() async throws {
        // origin in scp-like ssh form; the objects spell it ssh://…, https://….git and git@….git.
        let folder = try await repository("fleet", remote: "git@github.com:example-org/fleet.git")
        defer { folder.remove() }
        let found = try await findings(folder)
        let summary = found.map { "\($0["rule"] ?? "") \($0["file"] ?? ""):\($0["line"] ?? "") \($0["kustomization"] ?? "-")" }.sorted()
        #expect(summary == [
            "KA004 apps/base/web/deployment.yaml:2 clusters/prod/apps.yaml#apps",
            "KA004 guestbook/base/guestbook-ui.yaml:2 argocd/apps/guestbook.yaml#guestbook",
            "KA004 infrastructure/controllers/metrics.yaml:2 clusters/prod/infrastructure.yaml#infrastructure",
            "KA011 argocd/apps/helm-guestbook.yaml:10 argocd/apps/helm-guestbook.yaml#helm-guestbook",
            "KA011 clusters/prod/podinfo.yaml:2 clusters/prod/podinfo.yaml#podinfo",
            "KA011 clusters/prod/team-a.yaml:20 clusters/prod/team-a.yaml#team-a",
        ])
        let text = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(text.standardOutput.contains("(GitOps object clusters/prod/apps.yaml#apps)"))
        #expect(text.standardOutput.contains("Flux Kustomization team-a deploys another repository (`https://github.com/example-org/team-a`"))

        let fix = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        #expect(fix.standardError.contains("fixed"), "\(fix.standardError)")
        // Only apps renders apps/prod, and its constraint comes from apps/prod's own images: a
        // managed patch beside that kustomization.
        #expect(try folder.read("apps/prod/kustomization.yaml").hasSuffix("patches:\n- path: kubearch-patches.yaml\n"))
        #expect(try folder.read("apps/prod/kubearch-patches.yaml").contains("values: [amd64]"))
        // guestbook/base is shared with the ApplicationSet and the Application's image decides: the
        // patch goes into the Application, its comment kept.
        let application = try folder.read("argocd/apps/guestbook.yaml")
        #expect(application.contains("      # the registry mirror builds amd64 only\n"))
        #expect(application.contains("      patches:\n      - patch: |\n          # managed by kubearch fix\n"))
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("guestbook/base/kubearch-patches.yaml").path))
        // A plain folder's manifest rendered by one object is edited in place.
        #expect(try folder.read("infrastructure/controllers/metrics.yaml").contains("values: [amd64] # managed by kubearch"))
        let after = try await findings(folder)
        #expect(after.allSatisfy { $0["rule"] as? String == "KA011" }, "\(after)")
        let before = try folder.read("argocd/apps/guestbook.yaml")
        _ = try await BuiltBinary.run(["fix", "--offline", "."], in: folder.url)
        #expect(try folder.read("argocd/apps/guestbook.yaml") == before)
    }

    @Test func imagesListWhatObjectsDeploy() async throws {
        let folder = try await repository("fleet", remote: "https://github.com/example-org/fleet")
        defer { folder.remove() }
        let result = try await BuiltBinary.run(["images", "--format", "json", "."], in: folder.url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let rows = try #require(object["workloads"] as? [[String: Any]])
        let references = rows.compactMap { row -> String? in
            guard let root = row["kustomization"] as? String, let images = row["images"] as? [[String: Any]] else { return nil }
            return "\(root) \(images.first?["reference"] ?? "")"
        }
        #expect(references.contains("argocd/apps/guestbook.yaml#guestbook registry.example.com/guestbook:1.1"))
        #expect(references.contains("argocd/apps/guestbook-envs.yaml#guestbook-envs example/guestbook:1.0"))
        #expect(references.contains("clusters/prod/apps.yaml#apps example/web:2.0-amd64"))
        // The base's own text is never listed on its own.
        #expect(!rows.contains { $0["kustomization"] == nil && ($0["file"] as? String)?.hasPrefix("apps/base") == true })
    }

    /// argoproj/argocd-example-apps as it is: an app of apps that is a Helm chart (Argo CD detects
    /// it by its Chart.yaml), a plain folder and a kustomization with a namePrefix.
    @Test func argoCDExampleApps() async throws {
        let folder = try await repository("argocd-example-apps", remote: "git@github.com:argoproj/argocd-example-apps.git")
        defer { folder.remove() }
        let found = try await findings(folder)
        let summary = found.map { finding -> String in
            let name = (finding["object"] as? [String: Any])?["name"] as? String ?? "-"
            return "\(finding["rule"] ?? "") \(finding["file"] ?? ""):\(finding["line"] ?? "") \(name) \(finding["kustomization"] ?? "-")"
        }.sorted()
        // No lockfile: offline, the one image is unresolved — in each rendering, under its name there.
        #expect(summary == [
            "KA005 guestbook/guestbook-ui-deployment.yaml:17 guestbook-ui bootstrap/guestbook.yaml#example.guestbook",
            "KA005 kustomize-guestbook/guestbook-ui-deployment.yaml:17 kustomize-guestbook-ui bootstrap/guestbook.yaml#example.kustomize-guestbook",
            "KA010 apps/templates/applications.yaml:1 - -",
            "KA011 bootstrap/apps.yaml:12 - bootstrap/apps.yaml#apps",
        ])
        let text = try await BuiltBinary.run(["check", "--offline", "."], in: folder.url)
        #expect(text.standardOutput.contains("Argo CD renders `apps` as a Helm chart (it holds a Chart.yaml)"))
    }

    /// A base named on its own (as the pre-commit hook names staged files) is judged through the
    /// GitOps objects that deploy it, with their overrides: prod's amd64-only tag under `apps`, the
    /// base's own tag under `web-canary` — not through apps/prod as a bare kustomize root.
    @Test func namedBaseIsJudgedThroughTheObjectsDeployingIt() async throws {
        let folder = try await repository("fleet", remote: "git@github.com:example-org/fleet.git")
        defer { folder.remove() }
        let result = try await BuiltBinary.run(["check", "--offline", "--format", "json", "apps/base/web/deployment.yaml"], in: folder.url)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any], "\(result.standardError)")
        let found = try #require(object["findings"] as? [[String: Any]])
        #expect(found.map { "\($0["rule"] ?? "") \($0["kustomization"] ?? "-")" } == ["KA004 clusters/prod/apps.yaml#apps"])
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["workloads"] as? Int == 2, "\(summary)")
        #expect(result.status == 1)
    }
}
