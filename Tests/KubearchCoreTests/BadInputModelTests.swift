import Foundation
import Testing
@testable import KubearchCore

private func scan(_ text: String) -> ScannedFile {
    ManifestScanner.scan(path: "test.yaml", bytes: Array(text.utf8))
}

/// Nine levels of nine merge keys, each level merging nine different mappings of the level below:
/// 9^8 lookups for a missing key if every path were followed.
private let mergeBomb: String = {
    var lines = (0..<9).map { "m0_\($0): &m0_\($0) {a: \($0)}" }
    for level in 1...8 {
        let sources = (0..<9).map { "*m\(level - 1)_\($0)" }.joined(separator: ", ")
        lines += (0..<9).map { "m\(level)_\($0): &m\(level)_\($0) {<<: [\(sources)]}" }
    }
    lines.append("top: {<<: *m8_0, own: 1}")
    return lines.joined(separator: "\n") + "\n"
}()

@Suite("Bad input: YAML model and scanner")
struct BadInputModelTests {
    @Test func duplicateKeysAreRecordedAtTheSecondKey() throws {
        let stream = YAMLParser.parse("a: 1\nb: {x: 1, x: 2}\na: 3\n<<: {c: 1}\n<<: {d: 1}\n\"a\": 4\n")
        #expect(stream.error == nil)
        #expect(stream.duplicateKeys.map(\.key) == ["x", "a", "a"])
        #expect(stream.duplicateKeys.map(\.position.description) == ["2:11", "3:1", "6:1"])
        #expect(stream.duplicateKeys.map(\.firstPosition.description) == ["2:5", "1:1", "1:1"])
        // The model keeps the first value, as before.
        #expect(stream.documents.first?.root["a"]?.scalar == "1")
    }

    @Test func duplicateKeysInLargeMappings() {
        let keys = (0..<40).map { "k\($0): \($0)" } + ["k7: again", "k39: again"]
        let stream = YAMLParser.parse(keys.joined(separator: "\n") + "\n")
        #expect(stream.duplicateKeys.map(\.key) == ["k7", "k39"])
        #expect(stream.duplicateKeys.map(\.position.line) == [41, 42])
        #expect(stream.duplicateKeys.map(\.firstPosition.line) == [8, 40])
    }

    @Test func duplicateKeyIsAnInvalidManifestFinding() throws {
        let file = scan("kind: Pod\nspec:\n  containers:\n  - name: a\n    image: a:1\n    image: b:1\n")
        let finding = try #require(file.findings.first)
        #expect(file.findings.count == 1)
        #expect(finding.rule == .invalidManifest && finding.line == 6 && finding.column == 5)
        #expect(finding.message == "duplicate key `image` (first at 5:5); Kubernetes rejects the object")
        #expect(file.workloads.first?.images.map(\.reference) == ["a:1"])
    }

    @Test func fixRefusesADocumentWithADuplicateKeyButNotItsNeighbours() throws {
        let file = scan("""
            kind: Pod
            metadata: {name: one}
            spec:
              containers: [{name: a, image: "a:1"}]
            ---
            kind: Pod
            metadata: {name: two, name: again}
            spec:
              containers: [{name: a, image: "a:1"}]

            """)
        let plan = FixPlan(architectures: ["arm64"], fixes: [.missingArchitectureConstraint])
        #expect(file.workloads.count == 2)
        #expect(throws: FixError.unsupportedShape(path: "spec", reason: "is in a document with the duplicate key `name` at 7:23")) {
            try Fixer.fix(file: file, plans: [(file.workloads[1], plan)])
        }
        #expect(try Fixer.fix(file: file, plans: [(file.workloads[0], plan)]) != nil)
    }

    /// Explicit keys first, then merge sources depth-first in order; each mapping searched once.
    @Test func mergeKeyLookupKeepsItsOrderAndStaysLinear() throws {
        let stream = YAMLParser.parse(mergeBomb + """
            base: &base {a: base, b: base}
            deeper: &deeper {<<: *base, c: deeper}
            other: &other {a: other, c: other, d: other}
            user: {<<: [*deeper, *other], b: own}

            """)
        let root = try #require(stream.documents.first?.root)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(root["top"]?["missing"] == nil)
            #expect(root["top"]?["a"]?.scalar == "0")
            #expect(root["top"]?["own"]?.scalar == "1")
        }
        #expect(elapsed < .seconds(5), "took \(elapsed)")
        let user = try #require(root["user"])
        #expect(user["b"]?.scalar == "own")
        #expect(user["a"]?.scalar == "base")
        #expect(user["c"]?.scalar == "deeper")
        #expect(user["d"]?.scalar == "other")
    }

    @Test func longMergeChainNeedsNoDeepStack() throws {
        var lines = ["c0: &c0 {end: yes}"]
        for index in 1...20_000 { lines.append("c\(index): &c\(index) {<<: *c\(index - 1)}") }
        lines.append("last: {<<: *c20000}")
        let stream = YAMLParser.parse(lines.joined(separator: "\n") + "\n")
        #expect(stream.error == nil)
        #expect(stream.documents.first?.root["last"]?["end"]?.scalar == "yes")
    }

    /// A List whose items alias Lists whose items alias ...: every object is judged once.
    @Test func listItemAliasesAreVisitedOnce() throws {
        var lines = ["kind: List", "defs:", "  d0: &d0 {kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: \"a:1\"}]}}"]
        for level in 1...8 {
            lines.append("  d\(level): &d\(level) {kind: List, items: [" + Array(repeating: "*d\(level - 1)", count: 9).joined(separator: ", ") + "]}")
        }
        lines.append("items: [*d8, {kind: Pod, metadata: {name: q}, spec: {containers: []}}]")
        let file = scan(lines.joined(separator: "\n") + "\n")
        #expect(file.workloads.map(\.object.name) == ["p", "q"])
        #expect(file.workloads.map(\.itemPath) == [[0, 0, 0, 0, 0, 0, 0, 0, 0], [1]])
    }

    @Test func endOfFileWithoutALineBreakIsOnTheLastLine() {
        for (text, expected) in [("a: b\nc", "2:2"), ("a: \"open", "1:9"), ("a: b\nc\n", "3:1"), ("a: b\r\nc", "2:2")] {
            let stream = YAMLParser.parse(text)
            #expect(stream.error?.position.description == expected, "\(text.debugDescription)")
        }
        // After a BOM, which libyaml does not count.
        #expect(YAMLParser.parse([0xEF, 0xBB, 0xBF] + Array("a: \"open".utf8)).error?.position.description == "1:9")
    }

    @Test func fifoIsRefusedNotWaitedOn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kubearch-fifo-\(UUID().uuidString).yaml").path
        #expect(mkfifo(path, 0o644) == 0)
        defer { unlink(path) }
        guard case .failure(let failure) = ManifestSet.readFile(path) else {
            Issue.record("a FIFO was read")
            return
        }
        #expect(failure.message == "not a regular file")
    }

    @Test func readFileReturnsExactlyTheBytes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kubearch-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for count in [0, 1, 4095, 4096, 4097, 3 * 1024 * 1024] {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let url = folder.appendingPathComponent("\(count).yaml")
            try Data(bytes).write(to: url)
            #expect(try ManifestSet.readFile(url.path).get() == bytes, "\(count) bytes")
        }
    }

    @Test func danglingLinkNamedExplicitlyIsASourceThatFailsToRead() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kubearch-link-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("gone.yaml").path, withDestinationPath: "nowhere")
        let finder = ManifestFinder(currentDirectory: folder.path)
        #expect(try finder.find(["gone.yaml"]).map(\.displayPath) == ["gone.yaml"])
        #expect(throws: ManifestFinderError.notFound("missing.yaml")) { try finder.find(["missing.yaml"]) }
        let set = ManifestSet.scan(try finder.find(["gone.yaml"]))
        #expect(set.unreadable.map(\.description) == ["gone.yaml: cannot read: No such file or directory"])
    }
}
