import Foundation
import Testing

/// A bad file, and where and what `check` must report about it.
struct BadFileCase: CustomStringConvertible, Sendable {
    var description: String
    var bytes: [UInt8]
    /// (line, column, words the message contains) of each KA008 finding, in order; empty: none.
    var expected: [(line: Int, column: Int, message: String)]

    init(_ description: String, _ text: String, _ expected: [(Int, Int, String)]) {
        self.init(description, Array(text.utf8), expected)
    }

    init(_ description: String, _ bytes: [UInt8], _ expected: [(Int, Int, String)]) {
        self.description = description
        self.bytes = bytes
        self.expected = expected.map { (line: $0.0, column: $0.1, message: $0.2) }
    }
}

private let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n"

/// Nine levels of nine aliases each: 9^9 nodes if expanded.
private func aliasLevels(indent: String, first: String) -> String {
    var lines = ["\(indent)l0: &l0 \(first)"]
    for level in 1...8 {
        lines.append("\(indent)l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]")
    }
    return lines.joined(separator: "\n") + "\n"
}

private let syntaxCases: [BadFileCase] = [
    BadFileCase("empty file: a valid stream of no documents", "", []),
    BadFileCase("invalid UTF-8 in the middle", Array("\(pod)  containers:\n  - name: a".utf8) + [0xFF, 0xFE] + Array("\n    image: nginx\n".utf8), [
        (7, 12, "invalid YAML: invalid leading UTF-8 octet"),
    ]),
    BadFileCase("10,000-deep flow nesting", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n", [
        (1, 1001, "nesting deeper than 1000 levels"),
    ]),
    BadFileCase("10,000-deep block nesting", String(repeating: "- ", count: 10_000) + "x\n", [
        (1, 2001, "nesting deeper than 1000 levels"),
    ]),
    BadFileCase("tab indentation", "\(pod)\tcontainers:\n\t- image: nginx\n", [
        (6, 1, "found character that cannot start any token"),
    ]),
    BadFileCase("last line cut without a line break", "\(pod)  containers:\n  - image: \"nginx", [
        (7, 18, "found unexpected end of stream while scanning a quoted scalar"),
    ]),
    BadFileCase("image as a number and as a list", "\(pod)  containers:\n  - name: a\n    image: 42\n  - name: b\n    image: [a, b]\n", [
        (8, 12, "`image` in `spec.containers` must be a string, found the non-string value `42`"),
        (10, 12, "`image` in `spec.containers` must be a string, found a list"),
    ]),
    BadFileCase("containers as a mapping", "\(pod)  containers:\n    name: a\n    image: nginx\n", [
        (7, 5, "`spec.containers` must be a list, found a mapping"),
    ]),
    BadFileCase("image twice", "\(pod)  containers:\n  - name: a\n    image: \(BadInputFolder.multiImage)\n    image: \(BadInputFolder.armImage)\n", [
        (9, 5, "duplicate key `image` (first at 8:5)"),
    ]),
    BadFileCase("containers twice", "\(pod)  containers:\n  - name: a\n    image: \(BadInputFolder.multiImage)\n  containers:\n  - name: b\n    image: \(BadInputFolder.multiImage)\n", [
        (9, 3, "duplicate key `containers` (first at 6:3)"),
    ]),
    BadFileCase("UTF-16 with a BOM", [0xFF, 0xFE] + "kind: Pod\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, [
        (1, 1, "UTF-16 text is not supported"),
    ]),
    BadFileCase("alias bomb as containers", """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: bomb
        spec:
          template:
            spec:
        \(aliasLevels(indent: "      ", first: "[{name: lol, image: nginx}]"))      containers: *l8

        """, Array(repeating: (15, 11, "each entry of `spec.template.spec.containers` must be a mapping, found a list"), count: 9)),
]

// Serialized: one child `kubearch` at a time, so these tests do not starve the timing-sensitive
// tests of other suites on a 2-core machine.
@Suite("Bad input: kubearch check", .serialized)
struct BadInputCheckTests {
    /// Each bad file is reported at its line and column, alone among the findings for it; the good
    /// file next to it is still judged; the run is quick; exit 1 (error findings remain).
    @Test(arguments: syntaxCases)
    func badFileIsLocatedAndOthersStillChecked(_ badCase: BadFileCase) async throws {
        let folder = try BadInputFolder()
        defer { folder.remove() }
        try folder.write("bad.yaml", badCase.bytes)
        let run = try await folder.check()
        #expect(run.status == 1, "\(run.standardError)")
        #expect(run.goodFileWasChecked, "\(run.findings)")
        #expect(run.files == 2)
        let reported = run.findings(in: "bad.yaml")
        #expect(reported.map(\.rule) == Array(repeating: "KA008", count: badCase.expected.count), "\(reported)")
        for (finding, expected) in zip(reported, badCase.expected) {
            #expect(finding.line == expected.line && finding.column == expected.column, "\(finding)")
            #expect(finding.message.contains(expected.message), "\(finding)")
        }
        #expect(run.seconds < 60)
    }

    @Test func binaryFileIsOneLocatedSyntaxError() async throws {
        let folder = try BadInputFolder()
        defer { folder.remove() }
        // Without `{`, so that no `{{` or `{%` makes it a template (KA010) instead.
        let bytes = pseudoRandomBytes(count: 64 * 1024, seed: 7).map { $0 == UInt8(ascii: "{") ? 0 : $0 }
        try folder.write("binary.yaml", bytes + [0, 0, 0])
        let run = try await folder.check()
        #expect(run.status == 1)
        #expect(run.goodFileWasChecked)
        let reported = run.findings(in: "binary.yaml")
        #expect(reported.count == 1)
        let finding = try #require(reported.first)
        #expect(finding.rule == "KA008" && finding.message.hasPrefix("invalid YAML:"))
        #expect(finding.line >= 1 && finding.column >= 1)
        #expect(run.seconds < 60)
    }

    /// The model shares alias targets, and neither the scanner, the policy nor the fix verifier
    /// expands them: 9 levels of 9 aliases in a pod spec, in merge keys and in List items.
    @Test(arguments: ["podSpec", "mergeKeys", "listItems"])
    func aliasBombFinishesQuickly(_ variant: String) async throws {
        let folder = try BadInputFolder()
        defer { folder.remove() }
        let text: String
        switch variant {
        case "podSpec":
            text = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: bomb
                spec:
                  template:
                    spec:
                \(aliasLevels(indent: "      ", first: "[lol, lol, lol, lol, lol, lol, lol, lol, lol]"))      volumes: *l8
                      containers:
                      - name: app
                        image: \(BadInputFolder.armImage)

                """
        case "mergeKeys":
            // Each level merges nine different mappings of the level below.
            var lines = ["apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: bomb", "spec:", "  template:", "    spec:"]
            lines += (0..<9).map { "      m0_\($0): &m0_\($0) {a: \($0)}" }
            for level in 1...8 {
                let sources = (0..<9).map { "*m\(level - 1)_\($0)" }.joined(separator: ", ")
                lines += (0..<9).map { "      m\(level)_\($0): &m\(level)_\($0) {<<: [\(sources)]}" }
            }
            lines += ["      <<: *m8_0", "      containers:", "      - name: app", "        image: \(BadInputFolder.armImage)"]
            text = lines.joined(separator: "\n") + "\n"
        default:
            var lines = ["apiVersion: v1", "kind: List", "defs:",
                         "  d0: &d0 {apiVersion: v1, kind: Pod, metadata: {name: bomb}, spec: {containers: [{name: a, image: \"\(BadInputFolder.armImage)\"}]}}"]
            for level in 1...8 {
                lines.append("  d\(level): &d\(level) {kind: List, items: [" + Array(repeating: "*d\(level - 1)", count: 9).joined(separator: ", ") + "]}")
            }
            lines.append("items: [*d8]")
            text = lines.joined(separator: "\n") + "\n"
        }
        try folder.write("bomb.yaml", Array(text.utf8))
        let run = try await folder.check()
        #expect(run.status == 1)
        #expect(run.goodFileWasChecked)
        // One workload, judged once (the List's Pod is reported where it is written).
        #expect(run.findings(in: "bomb.yaml").map(\.rule) == ["KA004"], "\(run.findings)")
        #expect(run.seconds < 30)

        let fixed = try await runBinary(["fix", "--offline", "--dry-run", "bomb.yaml"], in: folder.url)
        #expect([0, 2].contains(fixed.status), "\(fixed.standardError)")
        #expect(!fixed.standardError.contains("internal error"))
    }

    /// 50 MB of Deployments in one file: bounded time and memory (both bounds generous).
    @Test func fiftyMegabyteFile() async throws {
        let folder = try BadInputFolder()
        defer { folder.remove() }
        // Clean (multi-arch) workloads, so that the output stays small.
        let document = "---\n" + BadInputFolder.deployment("big", image: BadInputFolder.multiImage)
        let count = 50 * 1024 * 1024 / document.utf8.count + 1
        let url = folder.url.appendingPathComponent("big.yaml")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        let chunk = Data(String(repeating: document, count: 1000).utf8)
        for _ in 0..<(count / 1000 + 1) { handle.write(chunk) }
        try handle.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        #expect(size >= 50 * 1024 * 1024)

        let started = Date()
        let result = try await runBinary(["check", "--offline", "."], in: folder.url)
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("good.yaml:2:1: error"))
        #expect(!result.standardOutput.contains("big.yaml"))
        #expect(result.standardOutput.contains("1 error, 0 warnings, 0 notes in \((size / document.utf8.count) + 1) workloads across 2 files"),
                "\(result.standardOutput.suffix(300))")
        #expect(seconds < 600, "took \(seconds) s")
        // Measured ~1.6 GB in a debug build: the whole file's tree is held at once (about 3 KB of
        // model per 160-byte Deployment). Above the ~1 GB aimed for; this bound catches a blow-up.
        #expect(peakChildResidentBytes() < 3 << 30, "peak RSS \(peakChildResidentBytes() >> 20) MB")
    }

    @Test func symbolicLinkLoopsUnderAScannedFolder() async throws {
        let folder = try BadInputFolder()
        defer { folder.remove() }
        let manager = FileManager.default
        try manager.createDirectory(at: folder.url.appendingPathComponent("loop"), withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: folder.url.appendingPathComponent("loop/self").path, withDestinationPath: "..")
        try manager.createSymbolicLink(atPath: folder.url.appendingPathComponent("loop/up.yaml").path, withDestinationPath: "..")
        try manager.createSymbolicLink(atPath: folder.url.appendingPathComponent("a.yaml").path, withDestinationPath: "b.yaml")
        try manager.createSymbolicLink(atPath: folder.url.appendingPathComponent("b.yaml").path, withDestinationPath: "a.yaml")
        let run = try await folder.check()
        // Links to folders are not followed; the two links that point at each other cannot be read.
        #expect(run.status == 2)
        #expect(run.goodFileWasChecked)
        #expect(run.files == 1)
        #expect(run.standardError.contains("kubearch: a.yaml: cannot read: Too many levels of symbolic links"), "\(run.standardError)")
        #expect(run.standardError.contains("kubearch: b.yaml: cannot read:"))
        #expect(run.seconds < 60)
    }

    /// Root reads a chmod 000 file anyway, so these are the unreadable files every user has: a
    /// dangling link (walked to and named) and a FIFO named on the command line (skipped when
    /// walking). Both are reported, exit 2, and the good file is still judged.
    @Test func unreadableFilesAreReportedAndOthersStillChecked() async throws {
        let folder = try BadInputFolder()
        defer { folder.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: folder.url.appendingPathComponent("dangling.yaml").path, withDestinationPath: "nowhere.yaml")
        #expect(mkfifo(folder.url.appendingPathComponent("pipe.yaml").path, 0o644) == 0)

        let walked = try await folder.check()
        #expect(walked.status == 2)
        #expect(walked.goodFileWasChecked)
        #expect(walked.standardError.contains("kubearch: dangling.yaml: cannot read: No such file or directory"), "\(walked.standardError)")
        #expect(!walked.standardError.contains("pipe.yaml"))

        let named = try await folder.check(["pipe.yaml", "dangling.yaml", "good.yaml"])
        #expect(named.status == 2)
        #expect(named.goodFileWasChecked)
        #expect(named.standardError.contains("kubearch: pipe.yaml: cannot read: not a regular file"), "\(named.standardError)")
        #expect(named.standardError.contains("kubearch: dangling.yaml: cannot read: No such file or directory"))
        #expect(named.seconds < 60)
    }

    @Test(.enabled(if: getuid() != 0, "root reads a chmod 000 file; covered by the dangling link and FIFO test"))
    func permissionDenied() async throws {
        let folder = try BadInputFolder()
        defer { folder.remove() }
        try folder.write("secret.yaml", Array(BadInputFolder.deployment("secret").utf8))
        #expect(chmod(folder.url.appendingPathComponent("secret.yaml").path, 0) == 0)
        let run = try await folder.check()
        #expect(run.status == 2)
        #expect(run.goodFileWasChecked)
        #expect(run.standardError.contains("kubearch: secret.yaml: cannot read: Permission denied"))
    }

    /// A folder named like a manifest is a folder: walked, not read.
    @Test func folderNamedLikeAManifest() async throws {
        let folder = try BadInputFolder()
        defer { folder.remove() }
        try folder.write("x.yaml/inner.yaml", Array(BadInputFolder.deployment("inner").utf8))
        for arguments in [["."], ["x.yaml", "good.yaml"]] {
            let run = try await folder.check(arguments)
            #expect(run.status == 1)
            #expect(run.goodFileWasChecked)
            #expect(run.findings(in: "x.yaml/inner.yaml").map(\.rule) == ["KA004"], "\(arguments)")
            #expect(run.standardError.isEmpty, "\(run.standardError)")
        }
    }

    @Test func emptyFileAloneIsClean() async throws {
        let folder = try BadInputFolder()
        defer { folder.remove() }
        try folder.write("empty.yaml", [])
        let run = try await folder.check(["empty.yaml"])
        #expect(run.status == 0)
        #expect(run.findings.isEmpty)
        #expect(run.files == 1)
    }
}


/// A folder holding `good.yaml` (an arm64-only Deployment, so `check` reports KA004 for it: proof
/// that it was scanned) and a lockfile, for putting one bad input next to.
struct BadInputFolder {
    static let armImage = "example.com/arm:1"
    static let multiImage = "example.com/multi:1"
    static let lockfile = """
        version: 1
        images:
          \(armImage):
            digest: sha256:\(String(repeating: "1", count: 64))
            platforms: [linux/arm64/v8]
          \(multiImage):
            digest: sha256:\(String(repeating: "2", count: 64))
            platforms: [linux/amd64, linux/arm64/v8]

        """

    static func deployment(_ name: String, image: String = armImage) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
        spec:
          template:
            spec:
              containers:
              - name: app
                image: \(image)

        """
    }

    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder("kubearch-bad-input")
        try folder.write("kubearch.lock", Self.lockfile)
        try folder.write("good.yaml", Self.deployment("good"))
    }

    var url: URL { folder.url }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }

    func remove() { folder.remove() }

    /// `kubearch check --offline --format json ARGS` in the folder, timed.
    func check(_ arguments: [String] = ["."]) async throws -> CheckRun {
        let started = Date()
        let result = try await runBinary(["check", "--offline", "--format", "json"] + arguments, in: url)
        return try CheckRun(result: result, seconds: Date().timeIntervalSince(started))
    }
}

/// One finding of `check --format json`.
struct ReportedFinding: Equatable, CustomStringConvertible {
    var rule: String
    var file: String
    var line: Int
    var column: Int
    var message: String

    var description: String { "\(file):\(line):\(column) \(rule) \(message)" }
}

struct CheckRun {
    var status: Int32
    var findings: [ReportedFinding]
    var files: Int
    var standardError: String
    var seconds: Double

    init(result: BuiltBinary.Result, seconds: Double) throws {
        status = result.status
        standardError = result.standardError
        self.seconds = seconds
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any],
            "not JSON: \(result.standardOutput.prefix(500)) / \(result.standardError.prefix(500))")
        let entries = try #require(json["findings"] as? [[String: Any]])
        findings = try entries.map { entry in
            ReportedFinding(
                rule: try #require(entry["rule"] as? String), file: try #require(entry["file"] as? String),
                line: try #require(entry["line"] as? Int), column: try #require(entry["column"] as? Int),
                message: try #require(entry["message"] as? String))
        }
        let summary = try #require(json["summary"] as? [String: Any])
        files = try #require(summary["files"] as? Int)
    }

    func findings(in file: String) -> [ReportedFinding] { findings.filter { $0.file == file } }

    /// The good file next to the bad one was scanned and judged.
    var goodFileWasChecked: Bool {
        findings(in: "good.yaml").map(\.rule) == ["KA004"]
    }
}

/// `BuiltBinary.run` (which already runs off the concurrency pool).
func runBinary(_ arguments: [String], in directory: URL) async throws -> BuiltBinary.Result {
    try await BuiltBinary.run(arguments, in: directory)
}

/// Largest resident set of any child this test process has waited for, in bytes. An upper bound
/// for the one just run (other tests' children count too), so "below" assertions stay sound.
func peakChildResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024  // kilobytes on Linux
}

/// Deterministic bytes that look random (a 64-bit LCG), NULs included.
func pseudoRandomBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 33)
    }
}
