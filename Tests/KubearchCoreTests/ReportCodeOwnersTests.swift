import Testing
@testable import KubearchCore

@Suite("Report: CODEOWNERS")
struct ReportCodeOwnersTests {
    /// GitHub's documented examples (docs "About code owners"), last match winning.
    let owners = CodeOwners(text: """
        # comment line
        *       @global-owner1 @global-owner2
        *.js    @js-owner #This is an inline comment.
        *.go docs@example.com
        /build/logs/ @doctocat
        docs/*  docs@example.com
        apps/ @octocat
        /docs/ @doctocat
        /scripts/ @doctocat @octocat
        **/logs @octocat
        /apps/ @octocat
        /apps/github
        deploy/\\#hash.yaml @escaped

        """)

    @Test("documented patterns", arguments: [
        ("README.md", ["@global-owner1", "@global-owner2"]),
        ("src/app.js", ["@js-owner"]),
        ("main.go", ["docs@example.com"]),
        ("build/logs/today.log", ["@octocat"]),  // `**/logs` comes later than `/build/logs/`
        ("docs/getting-started.md", ["@doctocat"]),  // `/docs/` is later than `docs/*`
        ("docs/build-app/troubleshooting.md", ["@doctocat"]),
        ("deep/apps/x.yaml", ["@octocat"]),
        ("scripts/run.sh", ["@doctocat", "@octocat"]),
        ("deeply/nested/logs/a.txt", ["@octocat"]),
        ("apps/web/deploy.yaml", ["@octocat"]),
        ("deploy/#hash.yaml", ["@escaped"]),
    ])
    func documented(_ path: String, _ expected: [String]) {
        #expect(owners.owners(of: path) == expected)
    }

    @Test("a matching line without owners leaves the path unowned")
    func unowned() {
        #expect(owners.owners(of: "apps/github/deployment.yaml") == [])
    }

    @Test("docs/* does not reach into nested folders; anchoring; folder-only patterns")
    func gitignoreRules() {
        let rules = CodeOwners(text: "docs/* @flat\nteam-a/ @a\n/root.yaml @root\nk8s/**/prod @prod\n")
        #expect(rules.owners(of: "docs/a.md") == ["@flat"])
        #expect(rules.owners(of: "docs/b/c.md") == nil)
        #expect(rules.owners(of: "x/team-a/d.yaml") == ["@a"])
        #expect(rules.owners(of: "team-a") == nil)  // a file named like the folder pattern
        #expect(rules.owners(of: "root.yaml") == ["@root"])
        #expect(rules.owners(of: "sub/root.yaml") == nil)
        #expect(rules.owners(of: "k8s/prod/web.yaml") == ["@prod"])
        #expect(rules.owners(of: "k8s/eu/west/prod/web.yaml") == ["@prod"])
        #expect(rules.owners(of: "k8s/eu/staging/web.yaml") == nil)
    }
}
