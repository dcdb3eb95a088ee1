import Foundation
import Testing

/// `kubearch report` over the whole shared corpus, with the synthetic lockfile of
/// fixtures/report/make_corpus_lockfile.py: the JSON's numbers are recomputed here from its own rows,
/// the statuses from `check --format json`'s image platforms (another command's output), the
/// markdown headline from the JSON, and the HTML's SVG bars from the JSON.
@Suite("kubearch report over the shared corpus", .enabled(if: CorpusReport.isAvailable, "needs ../shared/corpus and python3"))
struct ReportCorpusTests {
    @Test("summary, blockers and groups equal a second computation over the JSON rows")
    func crossCheck() async throws {
        let corpus = try await CorpusReport.shared()
        let json = corpus.json
        let rows = try #require(json["workloads"] as? [[String: Any]])
        let statuses = ["ready", "upgradable", "blocked", "unknown"]
        #expect(rows.count > 40)

        // Summary.
        let summary = try #require(json["summary"] as? [String: [String: Int]])
        for status in statuses {
            let mine = rows.filter { $0["status"] as? String == status }
            #expect(summary["workloads"]?[status] == mine.count, "workloads \(status)")
            #expect(summary["cpuMillis"]?[status] == mine.reduce(0) { $0 + ($1["cpuMillis"] as? Int ?? -1) }, "cpu \(status)")
            #expect(summary["memoryBytes"]?[status] == mine.reduce(0) { $0 + ($1["memoryBytes"] as? Int ?? -1) }, "memory \(status)")
        }

        // Blockers: one entry per image named by a row, ranked by CPU.
        var expected: [String: (workloads: Int, only: Int, cpu: Int, memory: Int, teams: Set<String>)] = [:]
        for row in rows {
            let blockers = row["blockers"] as? [String] ?? []
            for image in blockers {
                var entry = expected[image] ?? (0, 0, 0, 0, [])
                entry.workloads += 1
                if blockers.count == 1 { entry.only += 1 }
                entry.cpu += row["cpuMillis"] as? Int ?? 0
                entry.memory += row["memoryBytes"] as? Int ?? 0
                entry.teams.insert(row["team"] as? String ?? "?")
                expected[image] = entry
            }
        }
        let blockers = try #require(json["blockers"] as? [[String: Any]])
        #expect(blockers.count == expected.count)
        #expect(!blockers.isEmpty)
        for blocker in blockers {
            let image = try #require(blocker["image"] as? String)
            let entry = try #require(expected[image])
            #expect(blocker["workloads"] as? Int == entry.workloads, "\(image)")
            #expect(blocker["onlyBlockerOf"] as? Int == entry.only, "\(image)")
            #expect(blocker["cpuMillis"] as? Int == entry.cpu, "\(image)")
            #expect(blocker["memoryBytes"] as? Int == entry.memory, "\(image)")
            #expect(Set(blocker["teams"] as? [String] ?? []) == entry.teams, "\(image)")
        }
        let cpus = blockers.map { $0["cpuMillis"] as? Int ?? 0 }
        #expect(cpus == cpus.sorted(by: >))

        // Groups by namespace and by team.
        let groups = try #require(json["groups"] as? [String: [[String: Any]]])
        for (key, name) in [("namespaces", { (row: [String: Any]) in ((row["object"] as? [String: Any])?["namespace"] as? String) ?? "(no namespace)" }),
                            ("teams", { (row: [String: Any]) in row["team"] as? String ?? "?" })] {
            let listed = try #require(groups[key])
            #expect(Set(listed.compactMap { $0["name"] as? String }) == Set(rows.map(name)), "\(key)")
            for group in listed {
                let members = rows.filter { name($0) == group["name"] as? String }
                for status in statuses {
                    let mine = members.filter { $0["status"] as? String == status }
                    #expect((group["workloads"] as? [String: Int])?[status] == mine.count, "\(key) \(group["name"] ?? "") \(status)")
                    #expect((group["cpuMillis"] as? [String: Int])?[status] == mine.reduce(0) { $0 + ($1["cpuMillis"] as? Int ?? 0) })
                }
            }
        }
    }

    @Test("statuses follow check's image platforms, and the markdown headline follows the JSON")
    func statusesAndHeadline() async throws {
        let corpus = try await CorpusReport.shared()
        let reportRows = try #require(corpus.json["workloads"] as? [[String: Any]])
        let checkRows = try #require(corpus.check["workloads"] as? [[String: Any]])
        let key = { (row: [String: Any]) in "\(row["file"] ?? ""):\(row["line"] ?? "")" }
        let checked = Dictionary(checkRows.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        #expect(reportRows.count == checkRows.count)  // the corpus has no windows pods
        for row in reportRows {
            let images = try #require(checked[key(row)]?["images"] as? [[String: Any]], "\(key(row))")
            let platforms = images.map { $0["platforms"] as? [String] }
            let status: String
            if platforms.contains(where: { $0 == nil }) {
                status = "unknown"
            } else {
                status = platforms.allSatisfy { $0?.contains { $0 == "linux/arm64" || $0.hasPrefix("linux/arm64/") } == true } ? "ready" : "blocked"
            }
            #expect(row["status"] as? String == status, "\(key(row))")
        }
        let summary = try #require(corpus.json["summary"] as? [String: [String: Int]])
        let ready = summary["workloads"]?["ready"] ?? -1
        let total = summary["workloads"]?.values.reduce(0, +) ?? -1
        let readyCPU = Double(summary["cpuMillis"]?["ready"] ?? 0)
        let allCPU = Double(summary["cpuMillis"]?.values.reduce(0, +) ?? 0)
        let percent = (1000 * readyCPU / allCPU).rounded() / 10
        #expect(corpus.markdown.contains("**\(ready) of \(total) workloads, \(percent) % of requested CPU, can run on arm64 today.**"))
    }

    @Test("the SVG bars' heights are the JSON's CPU on the chart's scale")
    func svgBarHeights() async throws {
        let corpus = try await CorpusReport.shared()
        let plotHeight = 240.0
        let teams = try #require((corpus.json["groups"] as? [String: Any])?["teams"] as? [[String: Any]])
        let totals = teams.map { ($0["cpuMillis"] as? [String: Int] ?? [:]).values.reduce(0, +) }
        let largest = Double(try #require(totals.max()))
        #expect(largest > 0)
        let bars = SVGBars.parse(corpus.html)
        let teamBars = bars.filter { $0.attributes["data-team"] != nil }
        var expectedTeamBars = 0
        for team in teams {
            for (status, millis) in team["cpuMillis"] as? [String: Int] ?? [:] where millis > 0 {
                expectedTeamBars += 1
                let bar = try #require(teamBars.first { $0.attributes["data-team"] == team["name"] as? String && $0.attributes["data-status"] == status },
                                       "no bar for \(team["name"] ?? "") \(status)")
                #expect(abs(bar.height - Double(millis) / largest * plotHeight) <= 0.005, "\(team["name"] ?? "") \(status)")
            }
        }
        #expect(teamBars.count == expectedTeamBars)

        let blockers = try #require(corpus.json["blockers"] as? [[String: Any]]).prefix(15)
        let paretoBars = bars.filter { $0.attributes["data-image"] != nil }
        #expect(paretoBars.map { $0.attributes["data-image"] } == blockers.map { $0["image"] as? String })
        let tallest = Double(blockers.first?["cpuMillis"] as? Int ?? 0)
        for (bar, blocker) in zip(paretoBars, blockers) {
            #expect(abs(bar.height - Double(blocker["cpuMillis"] as? Int ?? 0) / tallest * plotHeight) <= 0.005)
        }
        // Self-contained: no script, no external reference.
        #expect(!corpus.html.contains("<script"))
        #expect(!corpus.html.contains("http://") && !corpus.html.contains("https://") && !corpus.html.contains("url("))
    }

    @Test("chromium renders the HTML report: a full-size, non-blank screenshot with the charts' colours")
    func screenshot() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else {
            print("SKIPPED: /usr/bin/chromium is not installed (apt-get install -y chromium); the HTML report was not rendered in a browser")
            return
        }
        let corpus = try await CorpusReport.shared()
        let folder = try TemporaryFolder("kubearch-report-html")
        defer { folder.remove() }
        let page = try folder.write("report.html", corpus.html)
        let png = folder.url.appendingPathComponent("report.png")
        let result = try await runTool([
            "/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--screenshot=\(png.path)", "--window-size=1200,1600", page.absoluteString,
        ], in: folder.url, environment: ["HOME": folder.path])
        let bytes = try Data(contentsOf: png)
        #expect(result.status == 0, "\(result.output.suffix(800))")
        // PNG signature, then the IHDR chunk: width and height, big-endian, at bytes 16…23.
        #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR")
        let bigEndian = { (range: Range<Int>) in bytes[range].reduce(0) { $0 << 8 | Int($1) } }
        #expect(bigEndian(16..<20) == 1200)
        #expect(bigEndian(20..<24) == 1600)
        // Decoded pixels (Python's zlib; Foundation on Linux has no inflate): a blank page is all one colour.
        let census = try await runTool(["python3", "-c", PNGCensus.script, png.path], in: folder.url)
        #expect(census.status == 0, "\(census.output)")
        let counts = Dictionary(uniqueKeysWithValues: census.output.split(separator: "\n").compactMap { line -> (String, Double)? in
            let parts = line.split(separator: "=")
            guard parts.count == 2, let value = Double(parts[1]) else { return nil }
            return (String(parts[0]), value)
        })
        #expect((counts["nonwhite"] ?? 0) > 0.03, "share of non-white pixels: \(counts["nonwhite"] ?? -1)")
        #expect((counts["red"] ?? 0) > 0.002, "blocked-red pixels (#c62828): \(counts["red"] ?? -1)")
        #expect((counts["green"] ?? 0) > 0.001, "ready-green pixels (#2e7d32): \(counts["green"] ?? -1)")
    }
}

/// The corpus reports, made once per test run.
struct CorpusReport: Sendable {
    /// Texts are kept (they are Sendable) and parsed where a test reads them.
    let jsonText: String
    let checkText: String
    let markdown: String
    let html: String

    var json: [String: Any] { Self.object(jsonText) }
    var check: [String: Any] { Self.object(checkText) }

    static func object(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: BuiltBinary.sharedCorpus.path) && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
    }

    private static let made = Task { try await make() }

    static func shared() async throws -> CorpusReport { try await made.value }

    private static func make() async throws -> CorpusReport {
        let folder = try TemporaryFolder("kubearch-report-corpus")
        defer { folder.remove() }
        let corpus = BuiltBinary.sharedCorpus.path
        let images = try await BuiltBinary.run(["images", "--format", "json", corpus])
        let script = BuiltBinary.fixtures.appendingPathComponent("report/make_corpus_lockfile.py").path
        let lockfile = try await offPool { () throws -> String in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [script]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(Data(images.standardOutput.utf8))
            try input.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let lock = try folder.write("kubearch.lock", lockfile).path
        let common = ["--offline", "--lockfile", lock, corpus]
        let json = try await BuiltBinary.run(["report", "--format", "json"] + common)
        let markdown = try await BuiltBinary.run(["report", "--format", "markdown"] + common)
        let html = try await BuiltBinary.run(["report", "--format", "html"] + common)
        let check = try await BuiltBinary.run(["check", "--format", "json"] + common)
        for result in [json, markdown, html] where result.status != 0 {
            throw LoopbackRegistryError("report exited \(result.status): \(result.standardError.suffix(500))")
        }
        return CorpusReport(jsonText: json.standardOutput, checkText: check.standardOutput, markdown: markdown.standardOutput, html: html.standardOutput)
    }
}

/// `<rect …>` elements of the report's SVG, with their attributes.
struct SVGBars {
    var attributes: [String: String]
    var height: Double

    static func parse(_ html: String) -> [SVGBars] {
        var bars: [SVGBars] = []
        var rest = html[...]
        while let start = rest.range(of: "<rect ") {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            let tag = rest[start.upperBound..<end]
            var attributes: [String: String] = [:]
            var cursor = tag[...]
            while let equals = cursor.range(of: "=\"") {
                let name = cursor[..<equals.lowerBound].split(separator: " ").last.map(String.init) ?? ""
                guard let close = cursor[equals.upperBound...].firstIndex(of: "\"") else { break }
                attributes[name] = String(cursor[equals.upperBound..<close])
                    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
                    .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
                cursor = cursor[cursor.index(after: close)...]
            }
            bars.append(SVGBars(attributes: attributes, height: Double(attributes["height"] ?? "") ?? -1))
            rest = rest[end...]
        }
        return bars
    }
}

/// Decodes an 8-bit RGB(A) PNG (filters included) and prints the shares of non-white pixels and of
/// the report's red and green.
enum PNGCensus {
    static let script = #"""
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
pos, idat, width, height, depth, colour = 8, b"", 0, 0, 0, 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
assert depth == 8 and colour in (2, 6), (depth, colour)
channels = 3 if colour == 2 else 4
raw = zlib.decompress(idat)
stride = width * channels
previous = bytearray(stride)
nonwhite = red = green = 0
offset = 0
for _ in range(height):
    kind = raw[offset]; line = bytearray(raw[offset + 1:offset + 1 + stride]); offset += 1 + stride
    for i in range(stride):
        left = line[i - channels] if i >= channels else 0
        up = previous[i]
        upleft = previous[i - channels] if i >= channels else 0
        if kind == 1: line[i] = (line[i] + left) & 255
        elif kind == 2: line[i] = (line[i] + up) & 255
        elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - upleft
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else upleft)) & 255
    for i in range(0, stride, channels):
        r, g, b = line[i], line[i + 1], line[i + 2]
        if r < 245 or g < 245 or b < 245: nonwhite += 1
        if abs(r - 0xc6) < 12 and abs(g - 0x28) < 12 and abs(b - 0x28) < 12: red += 1
        if abs(r - 0x2e) < 12 and abs(g - 0x7d) < 12 and abs(b - 0x32) < 12: green += 1
    previous = line
total = width * height
print(f"nonwhite={nonwhite / total}\nred={red / total}\ngreen={green / total}")
"""#
}
