import Foundation
import KubearchCore
import KubearchReporters
import Testing

@Suite("JSON")
struct JSONReporterTests {
    let reporter = JSONReporter()

    private func parse(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func topLevelShape() throws {
        let document = try parse(reporter.render(SampleReports.full))
        #expect(Set(document.keys) == ["version", "findings", "workloads", "summary"])
        #expect(document["version"] as? Int == 1)
        let summary = try #require(document["summary"] as? [String: Int])
        #expect(summary == ["files": 8, "workloads": 6, "errors": 4, "warnings": 1, "notes": 2, "fixable": 3])
    }

    @Test func findingFields() throws {
        let findings = try #require(try parse(reporter.render(SampleReports.full))["findings"] as? [[String: Any]])
        #expect(findings.count == SampleReports.findings.count)
        let gap = try #require(findings.first)
        #expect(Set(gap.keys) == ["rule", "name", "severity", "file", "line", "column", "object", "message", "fixable"])
        #expect(gap["rule"] as? String == "KA002")
        #expect(gap["name"] as? String == "daemonset-architecture-gap")
        #expect(gap["severity"] as? String == "error")
        #expect(gap["file"] as? String == "base/node agent.yaml")
        #expect(gap["line"] as? Int == 2)
        #expect(gap["column"] as? Int == 1)
        #expect(gap["fixable"] as? Bool == true)
        #expect((gap["message"] as? String)?.contains("“exec format error” ✗") == true)
        let object = try #require(gap["object"] as? [String: Any])
        #expect(Set(object.keys) == ["apiVersion", "kind", "namespace", "name"])
        #expect(object["namespace"] is NSNull, "a missing namespace is null, never \"default\"")
        #expect(object["kind"] as? String == "DaemonSet")

        let invalid = try #require(findings.first { $0["rule"] as? String == "KA008" })
        #expect(invalid["object"] is NSNull)
        #expect(invalid["fixable"] as? Bool == false)
    }

    @Test func workloadFields() throws {
        let workloads = try #require(try parse(reporter.render(SampleReports.full))["workloads"] as? [[String: Any]])
        #expect(workloads.count == 6)
        let web = try #require(workloads.first { ($0["object"] as? [String: Any])?["name"] as? String == "web" })
        #expect(Set(web.keys) == ["file", "line", "object", "podSpecPath", "images", "supported", "allowed"])
        #expect(web["podSpecPath"] as? String == "spec.template.spec")
        #expect(web["supported"] as? [String] == ["amd64"])
        #expect(web["allowed"] as? [String] == ["amd64", "arm64"])
        let images = try #require(web["images"] as? [[String: Any]])
        #expect(images.first.map { Set($0.keys) } == ["container", "reference", "canonical", "platforms"])
        #expect(images.first?["reference"] as? String == "busybox")
        #expect(images.first?["canonical"] as? String == "docker.io/library/busybox:latest")

        let migrate = try #require(workloads.first { $0["file"] as? String == "jobs/migrate.yaml" })
        #expect(migrate["supported"] is NSNull)
        let unresolved = try #require(migrate["images"] as? [[String: Any]])
        #expect(unresolved.allSatisfy { $0["platforms"] is NSNull })
        #expect(unresolved.last?["container"] is NSNull)
        #expect(unresolved.last?["canonical"] is NSNull)
    }

    @Test func keysComeInDocumentedOrder() throws {
        let text = reporter.render(SampleReports.full)
        func positions(_ keys: [String]) -> [String.Index] {
            keys.compactMap { text.range(of: "\"\($0)\": ")?.lowerBound }
        }
        let top = positions(["version", "findings", "workloads", "summary"])
        #expect(top.count == 4 && top == top.sorted())
        let finding = positions(["rule", "severity", "file", "column", "object", "message", "fixable"])
        #expect(finding.count == 7 && finding == finding.sorted())
        #expect(text.hasPrefix("{\n  \"version\": 1,\n  \"findings\": [\n"))
    }

    @Test func stableAndUnescaped() {
        let text = reporter.render(SampleReports.full)
        #expect(text == reporter.render(SampleReports.full))
        #expect(text.contains("\"apiVersion\": \"apps/v1\""))
        #expect(!text.contains("\\/"))
        #expect(text.hasSuffix("}\n"))
        #expect(reporter.renderImages([]).hasSuffix("}\n"))
    }

    @Test func imagesDocumentOmitsResolution() throws {
        let document = try parse(reporter.renderImages(SampleReports.workloads))
        #expect(Array(document.keys) == ["workloads"])
        let workloads = try #require(document["workloads"] as? [[String: Any]])
        #expect(workloads.count == SampleReports.workloads.count)
        for workload in workloads {
            #expect(Set(workload.keys) == ["file", "line", "object", "podSpecPath", "images"])
            let images = try #require(workload["images"] as? [[String: Any]])
            #expect(images.allSatisfy { Set($0.keys) == ["container", "reference", "canonical"] })
        }
    }

    @Test func emptyCollectionsAreCompact() {
        let text = reporter.render(SampleReports.empty)
        #expect(text.contains("\"findings\": [],"))
        #expect(text.contains("\"workloads\": [],"))
    }
}

@Suite("JSON writer")
struct JSONValueTests {
    @Test(arguments: [
        ("plain", "\"plain\""),
        ("quote \" and \\ backslash", "\"quote \\\" and \\\\ backslash\""),
        ("line\nfeed\ttab", "\"line\\nfeed\\ttab\""),
        ("crlf\r\n", "\"crlf\\r\\n\""),
        ("bell\u{07} esc\u{1B}", "\"bell\\u0007 esc\\u001b\""),
        ("a/b", "\"a/b\""),
        ("ünïcödé ✓ 🚀", "\"ünïcödé ✓ 🚀\""),
    ])
    func stringEscaping(value: String, expected: String) throws {
        let rendered = JSONValue.string(value).rendered()
        #expect(rendered == expected + "\n")
        // And it reads back as the same string.
        let parsed = try JSONSerialization.jsonObject(with: Data(rendered.utf8), options: .fragmentsAllowed)
        #expect(parsed as? String == value)
    }

    @Test func nestedLayout() {
        let value = JSONValue.object([("b", .int(-2)), ("a", .array([.bool(true), .null])), ("c", .object([]))])
        #expect(value.rendered() == "{\n  \"b\": -2,\n  \"a\": [\n    true,\n    null\n  ],\n  \"c\": {}\n}\n")
    }
}

/// Rows given in parts are rendered part by part on several threads and spliced in order: the
/// document is byte for byte the one a single sequence of the same rows gives, whichever parts
/// are empty (the first, the last, several in a row) and however the rows are split.
@Suite("JSON rows in parts")
struct JSONRowPartsTests {
    @Test(arguments: [[6], [0, 6], [1, 0, 0, 5], [2, 2, 2], [0, 0], [3, 0, 3, 0], [1, 1, 1, 1, 1, 1, 0]])
    func partsRenderAsOneSequence(sizes: [Int]) {
        var rows: [WorkloadReport] = []
        for _ in 0..<3 { rows += SampleReports.workloads }
        let total = sizes.reduce(0, +)
        let used = Array(rows.prefix(total))
        var parts: [WorkloadRowParts.Part] = []
        var start = 0
        for size in sizes {
            parts.append(WorkloadRowParts.Part(count: size, rows: Array(used[start..<start + size])))
            start += size
        }
        let report = CheckReport(findings: SampleReports.findings, workloads: used, files: 8)
        let expected = JSONReporter().render(report)

        var stream = JSONReporter().stream(to: ReportOutput())
        for finding in report.findings { stream.add(finding) }
        let output = stream.finish(workloads: WorkloadRowParts(parts), summary: report.summary)
        #expect(output.text == expected)
        #expect(Array(WorkloadRowParts(parts)).count == total)
    }

    /// Rows rendered ahead by workers (`renderRows`, file by file), handed back in pieces cut
    /// anywhere, then rows as values: the same document again.
    @Test(arguments: [(0, 1), (1, 3), (4, 5), (6, 1000), (6, 2), (3, 1)])
    func rowsRenderedAheadAndValuesRenderAsOneSequence(ahead: Int, pieceSize: Int) {
        var rows: [WorkloadReport] = []
        for _ in 0..<3 { rows += SampleReports.workloads }
        let used = Array(rows.prefix(ahead + 3))
        let report = CheckReport(findings: SampleReports.findings, workloads: used, files: 8)
        let expected = JSONReporter().render(report)

        var rendered: [UInt8] = []
        for row in used.prefix(ahead) { JSONReporter.renderRows([row], into: &rendered) }
        if rendered.first == UInt8(ascii: ",") { rendered.removeFirst() }  // the first element's separator
        let pieces = stride(from: 0, to: rendered.count, by: pieceSize).map { Array(rendered[$0..<min($0 + pieceSize, rendered.count)]) }
        var stream = JSONReporter().stream(to: ReportOutput())
        for finding in report.findings { stream.add(finding) }
        let values = Array(used.dropFirst(ahead))
        let output = stream.finish(
            workloads: WorkloadRowParts([WorkloadRowParts.Part(count: values.count, rows: values)], renderedAhead: Pieces(count: ahead, pieces: pieces)),
            summary: report.summary)
        #expect(output.text == expected)
    }

    private struct Pieces: RenderedJSONRows {
        var count: Int
        var pieces: [[UInt8]]
        func forEachPiece(_ body: (UnsafeRawBufferPointer) -> Void) { pieces.forEach { $0.withUnsafeBytes(body) } }
    }
}
