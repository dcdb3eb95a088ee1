import Testing
@testable import KubearchCore

@Suite("Lockfile fast reader")
struct LockfileFastReaderTests {
    static let sample: Lockfile = {
        var entries: [String: LockEntry] = [:]
        for index in 0..<50 {
            let platforms = ["linux/amd64", "linux/arm64/v8", "linux/arm/v7", "windows/amd64"].prefix(1 + index % 4)
            entries["registry.example:5000/team/app-\(index):v\(index)"] = LockEntry(
                digest: "sha256:" + String(repeating: String(index % 10), count: 64), platforms: platforms.compactMap(Platform.init(parsing:)))
        }
        entries["docker.io/library/nginx@sha256:" + String(repeating: "f", count: 64)] = LockEntry(
            digest: "sha256:" + String(repeating: "f", count: 64), platforms: [Platform(os: "linux", architecture: "amd64")])
        return Lockfile(entries: entries)
    }()

    @Test func readsWhatTheRendererWritesExactlyAsTheYAMLParserDoes() throws {
        let bytes = Array(Self.sample.render().utf8)
        let fast = try #require(LockfileFastReader.read(bytes))
        #expect(fast == Self.sample)
        #expect(try LockfileParser.parse(bytes) == fast)
        #expect(LockfileFastReader.read(Array(Lockfile().render().utf8)) == Lockfile())
    }

    @Test(arguments: [
        ("quoted key", "version: 1\nimages:\n  \"a b\":\n    digest: sha256:\(String(repeating: "a", count: 64))\n    platforms: [linux/amd64]\n"),
        ("comment between entries", "version: 1\nimages:\n  # note\n  x.io/a:1:\n    digest: sha256:\(String(repeating: "a", count: 64))\n    platforms: [linux/amd64]\n"),
        ("flow platforms on two lines", "version: 1\nimages:\n  x.io/a:1:\n    digest: sha256:\(String(repeating: "a", count: 64))\n    platforms:\n    - linux/amd64\n"),
        ("bad digest", "version: 1\nimages:\n  x.io/a:1:\n    digest: sha256:abc\n    platforms: [linux/amd64]\n"),
        ("bad platform", "version: 1\nimages:\n  x.io/a:1:\n    digest: sha256:\(String(repeating: "a", count: 64))\n    platforms: [linux]\n"),
        ("no final newline", "version: 1\nimages: {}"),
        ("version 2", "version: 2\nimages: {}\n"),
        ("CRLF", "version: 1\r\nimages: {}\r\n"),
    ])
    func anythingElseIsLeftToTheYAMLParser(_ name: String, _ text: String) {
        #expect(LockfileFastReader.read(Array(text.utf8)) == nil, "\(name)")
    }

    @Test func duplicateKeysFallBackAndAreReportedWithTheirLine() throws {
        let entry = "  x.io/a:1:\n    digest: sha256:\(String(repeating: "a", count: 64))\n    platforms: [linux/amd64]\n"
        let text = "version: 1\nimages:\n" + entry + entry
        #expect(LockfileFastReader.read(Array(text.utf8)) == nil)
        let error = try #require(throws: LockfileError.self) { try Lockfile.parse(bytes: Array(text.utf8), path: "kubearch.lock") }
        #expect(error.position?.line == 6)
    }
}
