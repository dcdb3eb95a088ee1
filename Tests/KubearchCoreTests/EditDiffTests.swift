import Testing
@testable import KubearchCore

@Suite("Unified diff")
struct EditDiffTests {
    private func render(_ old: String, _ new: String) -> String {
        UnifiedDiff.render(old: Array(old.utf8), new: Array(new.utf8), path: "deploy.yaml")
    }

    @Test func equalTextsGiveNoDiff() {
        #expect(render("a\nb\n", "a\nb\n") == "")
    }

    @Test func addOnly() {
        let old = "a\nb\nc\nd\ne\nf\n"
        let new = "a\nb\nc\nd\nX\nY\ne\nf\n"
        #expect(render(old, new) == """
            --- a/deploy.yaml
            +++ b/deploy.yaml
            @@ -2,5 +2,7 @@
             b
             c
             d
            +X
            +Y
             e
             f

            """)
    }

    @Test func changeInTheMiddle() {
        let old = (1...12).map { "line \($0)\n" }.joined()
        let new = old.replacingOccurrences(of: "line 6\n", with: "line six\n")
        #expect(render(old, new) == """
            --- a/deploy.yaml
            +++ b/deploy.yaml
            @@ -3,7 +3,7 @@
             line 3
             line 4
             line 5
            -line 6
            +line six
             line 7
             line 8
             line 9

            """)
    }

    @Test func distantChangesMakeTwoHunksAndCloseOnesOne() {
        let old = (1...20).map { "\($0)\n" }.joined()
        let twoHunks = old.replacingOccurrences(of: "\n2\n", with: "\n2b\n").replacingOccurrences(of: "\n18\n", with: "\n18b\n")
        #expect(render(old, twoHunks).components(separatedBy: "@@ -").count - 1 == 2)
        #expect(render(old, twoHunks).contains("@@ -1,5 +1,5 @@"))
        #expect(render(old, twoHunks).contains("@@ -15,6 +15,6 @@"))
        // Six unchanged lines between changes: the contexts touch, one hunk.
        let oneHunk = old.replacingOccurrences(of: "\n5\n", with: "\n5b\n").replacingOccurrences(of: "\n12\n", with: "\n12b\n")
        #expect(render(old, oneHunk).components(separatedBy: "@@ -").count - 1 == 1)
    }

    @Test func noNewlineAtEndOfFile() {
        let diff = render("a\nb", "a\nb\nc")
        #expect(diff == """
            --- a/deploy.yaml
            +++ b/deploy.yaml
            @@ -1,2 +1,3 @@
             a
            -b
            \\ No newline at end of file
            +b
            +c
            \\ No newline at end of file

            """)
    }

    @Test func insertionIntoAnEmptyFileAndDeletionOfEverything() {
        #expect(render("", "a\n").contains("@@ -0,0 +1 @@\n+a\n"))
        #expect(render("a\nb\n", "").contains("@@ -1,2 +0,0 @@\n-a\n-b\n"))
    }

    @Test func crlfLinesKeepTheirCarriageReturn() {
        let diff = render("a\r\nb\r\n", "a\r\nx\r\nb\r\n")
        #expect(diff.contains("+x\r\n"))
        #expect(diff.contains(" a\r\n"))
    }

    @Test func aFixedGoldenFileDiffsAsPureAdditions() throws {
        let old = Array("spec:\n  containers:\n  - name: a\n    image: b\n".utf8)
        let file = ManifestScanner.scan(path: "pod.yaml", bytes: Array("kind: Pod\n".utf8) + old)
        let plan = FixPlan(architectures: ["arm64"], fixes: [.missingArchitectureConstraint])
        let fixed = try #require(try Fixer.fix(file: file, plans: file.workloads.map { ($0, plan) }))
        let diff = UnifiedDiff.render(old: file.bytes, new: fixed, path: "pod.yaml")
        #expect(diff.hasPrefix("--- a/pod.yaml\n+++ b/pod.yaml\n@@ -3,3 +3,11 @@\n"))
        #expect(!diff.split(separator: "\n").dropFirst(3).contains { $0.hasPrefix("-") })
    }
}
