import Testing
@testable import KubearchCore

@Suite("Report: tag versions for --suggest-upgrades")
struct ReportTagVersionTests {
    @Test("the lowest newer tag first, same family only")
    func candidates() {
        let tags = ["1.24", "1.25.2", "1.25.3", "1.25.10", "1.26.0", "1.25.4-alpine", "1.26.0-alpine", "latest", "2.0.0", "1.25.3-rc1", "v1.25.4"]
        #expect(TagVersion.newerCandidates(than: "1.25.3", among: tags) == ["1.25.10", "1.26.0", "2.0.0"])
        #expect(TagVersion.newerCandidates(than: "1.25.3-alpine", among: tags) == ["1.25.4-alpine", "1.26.0-alpine"])
        #expect(TagVersion.newerCandidates(than: "latest", among: tags) == [])
        #expect(TagVersion.newerCandidates(than: "v1.25.3", among: tags) == ["v1.25.4"])
    }

    @Test("numbers in the suffix order within a family", arguments: [("1.2.3-debian-11-r5", "1.2.3-debian-11-r12", true), ("3.18-alpine3.18", "3.18-alpine3.19", true), ("1.10", "1.9", false)])
    func order(_ lower: String, _ higher: String, _ expected: Bool) throws {
        let a = try #require(TagVersion(lower))
        let b = try #require(TagVersion(higher))
        #expect(a.family == b.family)
        #expect((a < b) == expected)
    }

    @Test("not versions", arguments: ["latest", "main", "sha-abc", "1.2.3alpine", "head"])
    func notVersions(_ tag: String) {
        #expect(TagVersion(tag) == nil)
    }
}
