import Testing
@testable import KubearchCore

@Suite("Lockfile index")
struct LockfileIndexTests {
    private static let digestA = "sha256:" + String(repeating: "a", count: 64)

    /// Many images in the shapes `kubearch lock` writes: tags and digest references, registries with
    /// ports, sha512 digests, and platform lists of every length (including none).
    static let large: Lockfile = {
        let registries = ["docker.io/library", "quay.io/acme", "ghcr.io/example", "localhost:5000/team", "registry.example:5000/a/b"]
        let platformSets: [[String]] = [
            ["linux/amd64"], ["linux/amd64", "linux/arm64/v8"], ["linux/arm64"], ["linux/arm/v7", "linux/arm64/v8"],
            ["linux/amd64", "linux/arm/v6", "linux/arm/v7", "linux/arm64/v8", "linux/ppc64le", "linux/s390x"],
            ["windows/amd64"], ["linux/amd64", "windows/amd64"], ["linux/386", "linux/amd64"], [],
        ]
        var entries: [String: LockEntry] = [:]
        for index in 0..<600 {
            let hex = String(repeating: String(index % 16, radix: 16), count: 64)
            let digest = index % 7 == 0 ? "sha512:" + hex + hex : "sha256:" + hex
            let name = "\(registries[index % registries.count])/service-\(index)"
            let reference = index % 5 == 0 ? "\(name)@\(digest)" : "\(name):v\(index % 9).\(index % 4)"
            let platforms = platformSets[(index * 7) % platformSets.count].compactMap(Platform.init(parsing:))
            entries[reference] = LockEntry(digest: digest, platforms: platforms)
        }
        return Lockfile(entries: entries)
    }()

    private static func entry(_ key: String, platforms: String = "[linux/amd64]") -> String {
        "  \(key):\n    digest: \(digestA)\n    platforms: \(platforms)\n"
    }

    /// What the YAML parser alone makes of `bytes`, as `Lockfile.parse` reports it.
    private static func viaYAMLParser(_ bytes: [UInt8]) -> Result<Lockfile, LockfileError> {
        do {
            return .success(try LockfileParser.parse(bytes))
        } catch {
            return .failure(LockfileError(path: "kubearch.lock", position: error.position, message: error.message))
        }
    }

    private static func viaLockfileParse(_ bytes: [UInt8]) -> Result<Lockfile, LockfileError> {
        do {
            return .success(try Lockfile.parse(bytes: bytes, path: "kubearch.lock"))
        } catch {
            return .failure(error)
        }
    }

    @Test(arguments: [
        Lockfile.header + "\n",
        "# generated for kubearch benchmarks\n",
        "",
        "# two lines\n#\tof header\n",
    ])
    func readsRenderedLockfilesAsTheYAMLParserDoes(header: String) throws {
        let rendered = Self.large.render()
        let text = header + rendered.split(separator: "\n", maxSplits: 1)[1]
        let bytes = Array(text.utf8)
        let index = try #require(LockfileIndex(bytes))
        let parsed = try LockfileParser.parse(bytes)
        #expect(index.count == Self.large.entries.count)
        #expect(index.allEntries() == parsed.entries)
        #expect(index.allEntries() == Self.large.entries)
        for (reference, entry) in parsed.entries {
            #expect(index.lookup(reference) == entry, "\(reference)")
        }
        let sortedKeys = parsed.entries.keys.sorted(by: Lockfile.bytewiseLess)
        let absent = ["", "a", "docker.io", "zzz/zzz:1", sortedKeys[0] + "0", String(sortedKeys[10].dropLast()), sortedKeys[20] + "/"]
        for reference in absent {
            #expect(index.lookup(reference) == nil, "\(reference)")
        }
    }

    @Test func emptyLockfilesAreIndexed() throws {
        let empty = try #require(LockfileIndex(Array(Lockfile().render().utf8)))
        #expect(empty.count == 0)
        #expect(empty.lookup("docker.io/library/nginx:1.27") == nil)
        let noImages = try #require(LockfileIndex(Array("version: 1\nimages:\n".utf8)))
        #expect(noImages.allEntries() == (try LockfileParser.parse(Array("version: 1\nimages:\n".utf8))).entries)
    }

    @Test func keysOutOfOrderAreStillFound() throws {
        let keys = ["quay.io/z:1", "docker.io/b:1", "localhost:5000/a:1", "docker.io/a:1", "docker.io/a-b:1"]
        let text = "version: 1\nimages:\n" + keys.map { Self.entry($0) }.joined()
        let index = try #require(LockfileIndex(Array(text.utf8)))
        let parsed = try LockfileParser.parse(Array(text.utf8))
        #expect(parsed.entries.count == keys.count)
        for key in keys {
            #expect(index.lookup(key) == parsed.lookup(key), "\(key)")
            #expect(index.lookup(key) != nil, "\(key)")
        }
        #expect(index.lookup("docker.io/c:1") == nil)
    }

    @Test(arguments: [
        ("quoted key", "version: 1\nimages:\n  \"a b\":\n    digest: sha256:\(String(repeating: "a", count: 64))\n    platforms: [linux/amd64]\n"),
        ("comment between entries", "version: 1\nimages:\n  # note\n" + entry("x.io/a:1")),
        ("flow platforms on two lines", "version: 1\nimages:\n  x.io/a:1:\n    digest: \(digestA)\n    platforms:\n    - linux/amd64\n"),
        ("bad digest", "version: 1\nimages:\n  x.io/a:1:\n    digest: sha256:abc\n    platforms: [linux/amd64]\n"),
        ("upper-case digest", "version: 1\nimages:\n  x.io/a:1:\n    digest: sha256:\(String(repeating: "A", count: 64))\n    platforms: [linux/amd64]\n"),
        ("bad platform", "version: 1\nimages:\n" + entry("x.io/a:1", platforms: "[linux]")),
        ("platform not canonical", "version: 1\nimages:\n" + entry("x.io/a:1", platforms: "[linux/x86_64]")),
        ("platform in capitals", "version: 1\nimages:\n" + entry("x.io/a:1", platforms: "[Linux/amd64]")),
        ("empty platform item", "version: 1\nimages:\n" + entry("x.io/a:1", platforms: "[linux/amd64,]")),
        ("leading comma", "version: 1\nimages:\n" + entry("x.io/a:1", platforms: "[, linux/amd64]")),
        ("no space after comma", "version: 1\nimages:\n" + entry("x.io/a:1", platforms: "[linux/amd64,linux/arm64]")),
        ("two spaces after comma", "version: 1\nimages:\n" + entry("x.io/a:1", platforms: "[linux/amd64,  linux/arm64]")),
        ("trailing space", "version: 1\nimages:\n  x.io/a:1: \n    digest: \(digestA)\n    platforms: [linux/amd64]\n"),
        ("key without a slash", "version: 1\nimages:\n" + entry("true")),
        ("key ending in a colon", "version: 1\nimages:\n" + entry("x.io/a:")),
        ("key too long for an implicit key", "version: 1\nimages:\n" + entry("x.io/" + String(repeating: "a", count: 1100))),
        ("control character in a comment", "# a\u{1}b\nversion: 1\nimages: {}\n"),
        ("non-ASCII in a comment", "# é\nversion: 1\nimages: {}\n"),
        ("entry cut short", "version: 1\nimages:\n  x.io/a:1:\n    digest: \(digestA)\n"),
        ("blank line between entries", "version: 1\nimages:\n" + entry("x.io/a:1") + "\n" + entry("x.io/b:1")),
        ("something after images: {}", "version: 1\nimages: {}\nimages: {}\n"),
        ("no final newline", "version: 1\nimages: {}"),
        ("version 2", "version: 2\nimages: {}\n"),
        ("CRLF", "version: 1\r\nimages: {}\r\n"),
    ])
    func anythingElseIsLeftToTheYAMLParser(_ name: String, _ text: String) {
        #expect(LockfileIndex(Array(text.utf8)) == nil, "\(name)")
    }

    @Test(arguments: [false, true])
    func duplicateKeysAreLeftToTheYAMLParserAndReportedWithTheirLine(outOfOrder: Bool) throws {
        let duplicate = Self.entry("x.io/a:1")
        let text = "version: 1\nimages:\n" + duplicate + (outOfOrder ? Self.entry("a.io/b:1") : "") + duplicate
        #expect(LockfileIndex(Array(text.utf8)) == nil)
        let error = try #require(throws: LockfileError.self) { try Lockfile.parse(bytes: Array(text.utf8), path: "kubearch.lock") }
        #expect(error.position?.line == (outOfOrder ? 9 : 6))
        #expect(error.message.hasPrefix("duplicate key"))
    }

    /// Every one-byte change of a rendered lockfile (replaced, deleted or inserted) reads the same
    /// through `Lockfile.parse` — the index when it accepts the text — as through the YAML parser
    /// alone: the same entries, or the same error at the same line and column.
    @Test func everyOneByteEditReadsAsTheYAMLParserReadsIt() throws {
        var entries: [String: LockEntry] = [:]
        for (index, reference) in ["docker.io/library/nginx:1.27", "localhost:5000/a@sha256:\(String(repeating: "0", count: 64))"].enumerated() {
            let platforms = [["linux/amd64", "linux/arm/v7"], []][index].compactMap(Platform.init(parsing:))
            entries[reference] = LockEntry(digest: "sha256:" + String(repeating: "0", count: 64), platforms: platforms)
        }
        let original = Array(("# h\n" + Lockfile(entries: entries).render().split(separator: "\n", maxSplits: 1)[1]).utf8)
        // Bytes that start or end YAML constructs, and ordinary ones the index must accept or refuse exactly.
        let replacements = Array(" \t\n\r:#\"[,{-@/0aA".utf8) + [0xFF]
        var mutants: [[UInt8]] = []
        for position in original.indices {
            var deleted = original
            deleted.remove(at: position)
            mutants.append(deleted)
            for byte in replacements {
                var replaced = original
                replaced[position] = byte
                if replaced != original { mutants.append(replaced) }
                var inserted = original
                inserted.insert(byte, at: position)
                mutants.append(inserted)
            }
        }
        var indexed = 0
        for mutant in mutants {
            if LockfileIndex(mutant) != nil { indexed += 1 }
            let expected = Self.viaYAMLParser(mutant)
            let actual = Self.viaLockfileParse(mutant)
            #expect(actual == expected, "\(String(decoding: mutant, as: UTF8.self))")
        }
        // The index must have been the reader for a good share of them, or this compares the parser with itself.
        #expect(indexed > 1000)
        #expect(mutants.count - indexed > 5000)
    }

    @Test func anIndexedLockfileBehavesAsOneBuiltFromEntries() throws {
        let bytes = Array(Self.large.render().utf8)
        var lockfile = try Lockfile.parse(bytes: bytes, path: "kubearch.lock")
        #expect(lockfile == Self.large)
        let digestReference = try #require(Self.large.entries.keys.first { Lockfile.isDigestReference($0) })
        let tagReference = try #require(Self.large.entries.keys.first { !Lockfile.isDigestReference($0) })
        for refreshTags in [false, true] {
            for reference in [digestReference, tagReference, "docker.io/library/missing:1"] {
                #expect(lockfile.needsRefresh(reference, refreshTags: refreshTags) == Self.large.needsRefresh(reference, refreshTags: refreshTags))
                #expect(lockfile.usableEntry(for: reference, refreshTags: refreshTags) == Self.large.usableEntry(for: reference, refreshTags: refreshTags))
            }
        }
        let added = LockEntry(digest: Self.digestA, platforms: [Platform(os: "linux", architecture: "riscv64")])
        lockfile.entries["docker.io/library/new:1"] = added
        #expect(lockfile.lookup("docker.io/library/new:1") == added)
        #expect(lockfile.entries.count == Self.large.entries.count + 1)
        #expect(lockfile.lookup(tagReference) == Self.large.lookup(tagReference))
    }
}
