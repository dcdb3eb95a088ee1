import Testing
@testable import KubearchCore

@Suite("Lockfile scalars")
struct LockfileScalarTests {
    /// Writes `text` as a block key and as a flow-sequence item, parses it back, and checks both read
    /// as exactly `text`.
    private static func readsBack(_ text: String) -> Bool {
        let rendered = PlainScalar.render(text)
        let stream = YAMLParser.parse("\(rendered):\n  k: [\(rendered), x]\n")
        guard stream.error == nil, let pair = stream.documents.first?.root.pairs?.first else { return false }
        return pair.key.scalar == text && pair.value["k"]?.sequence?.first?.scalar == text
    }

    @Test(arguments: [
        "docker.io/library/nginx:1.27",
        "docker.io/library/nginx:1.27@sha256:" + String(repeating: "c", count: 64),
        "quay.io/x@sha256:" + String(repeating: "0", count: 64),
        "localhost:5000/a/b:latest",
        "127.0.0.1:5000/mirror/app:v1",
        "[::1]:5000/a:b",
        "registry.example.com/team/app_x-y.z:1.0.0-rc.1",
        "sha256:" + String(repeating: "e", count: 64),
        "linux/arm/v7",
        "windows/amd64",
    ])
    func canonicalFormsArePlain(text: String) {
        #expect(PlainScalar.canBePlain(text) == !text.hasPrefix("["))
        #expect(Self.readsBack(text))
    }

    @Test(arguments: [
        "", " lead", "trail ", "yes", "No", "on", "OFF", "y", "null", "~", "true", "1.27", "0x1F", "12:30", "-1",
        ".inf", "-.nan", "a: b", "a #b", "#comment", "-dash", "? q", "key:", "a,b", "a[0]", "{x}", "*alias",
        "&anchor", "!tag", "|", ">", "'q'", "\"q\"", "%d", "@at", "`tick`", "tab\there", "line\nbreak",
        "ünïcödé", "\u{2028}sep", "\u{7F}del", "...", "---",
    ])
    func awkwardStringsAreQuotedAndReadBack(text: String) {
        #expect(!PlainScalar.canBePlain(text))
        #expect(Self.readsBack(text))
    }

    @Test(arguments: ["back\\slash", "quote\"inside", "it's", "a:b", "a#b", "a-", "x?y"])
    func harmlessPunctuationStaysPlain(text: String) {
        #expect(PlainScalar.canBePlain(text))
        #expect(Self.readsBack(text))
    }

    @Test func awkwardReferencesRoundTripThroughALockfile() throws {
        let digest = "sha256:" + String(repeating: "d", count: 64)
        var lockfile = Lockfile()
        for key in ["yes", "1.27", "#x", "weird,ref", "ünï/x:1", "-dash"] {
            lockfile.entries[key] = LockEntry(digest: digest, platforms: [Platform(os: "linux", architecture: "amd64")])
        }
        #expect(try Lockfile.parse(bytes: Array(lockfile.render().utf8), path: "kubearch.lock") == lockfile)
    }
}
