import Foundation
import Testing
@testable import KubearchCore

/// A lean scan (irrelevant values skipped) must say exactly what a full scan says.
@Suite("Lean scan")
struct LeanScanTests {
    static func manifestFiles() throws -> [URL] {
        var roots = [TestPaths.fixtures.appendingPathComponent("manifests"), TestPaths.fixtures.appendingPathComponent("golden/fix")]
        if TestPaths.hasSharedCorpus { roots.append(TestPaths.sharedCorpus.appendingPathComponent("manifests")) }
        var files: [URL] = []
        for root in roots {
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where ["yaml", "yml", "json"].contains(url.pathExtension) { files.append(url) }
        }
        return files
    }

    /// Everything a report or the policy reads from a scan, as comparable text.
    static func summary(_ file: ScannedFile) -> [String] {
        let settings = PolicySettings(strategy: .prefer)
        let evaluator = WorkloadEvaluator(settings: settings)
        let evaluations = evaluator.evaluate(file) { image in
            // A stable fake answer per image: arm64-only for some, multi-arch for others.
            image.reference.count % 3 == 0
                ? .resolved(digest: nil, platforms: [Platform(os: "linux", architecture: "arm64")])
                : .resolved(digest: nil, platforms: [Platform(os: "linux", architecture: "amd64"), Platform(os: "linux", architecture: "arm64")])
        }
        var lines = file.findings.map { "\($0.rule) \($0.line):\($0.column) \($0.message)" }
        for evaluation in evaluations {
            let workload = evaluation.workload
            lines.append("\(workload.object) \(workload.kindPosition) \(workload.podSpecPathDescription) \(workload.annotations.sorted { $0.key < $1.key })")
            lines += workload.images.map { "  \($0.container ?? "-") \($0.reference) \($0.position) \($0.isInitContainer)" }
            lines.append("  S=\(evaluation.supported?.sorted() ?? []) A=\(evaluation.allowed.sorted()) D=\(evaluation.desired?.sorted() ?? []) plan=\(String(describing: evaluation.fixPlan))")
            lines += evaluation.findings.map { "  \($0.rule) \($0.line):\($0.column) \($0.message)" }
        }
        return lines
    }

    @Test func leanAndFullAgreeOnEveryManifest() throws {
        let files = try Self.manifestFiles()
        #expect(files.count >= 40)
        for url in files {
            let bytes = Array(try Data(contentsOf: url))
            let full = ManifestScanner.scan(path: url.lastPathComponent, bytes: bytes, detail: .full)
            let lean = ManifestScanner.scan(path: url.lastPathComponent, bytes: bytes, detail: .lean)
            #expect(Self.summary(lean) == Self.summary(full), "\(url.path)")
        }
    }

    @Test func duplicateKeysInAndOfSkippedValuesAreStillFound() throws {
        let text = """
            kind: Pod
            metadata: {name: p, labels: {a: 1, a: 2}}
            spec:
              containers:
              - name: a
                image: nginx
                env:
                - {name: X, value: "1", value: "2"}
                env: []
                resources: {limits: {cpu: 1}}
            """
        let full = ManifestScanner.scan(path: "p.yaml", bytes: Array(text.utf8), detail: .full)
        let lean = ManifestScanner.scan(path: "p.yaml", bytes: Array(text.utf8), detail: .lean)
        #expect(full.findings.filter { $0.rule == .invalidManifest }.count == 3)
        #expect(Self.summary(lean) == Self.summary(full))
    }

    @Test func aliasIntoASkippedValueFallsBackToAFullParse() throws {
        let text = """
            kind: Pod
            metadata:
              labels: &labels {app: x}
              annotations: *labels
            spec:
              containers:
              - name: a
                image: nginx
                env: &env [{name: A, value: "1"}]
              - name: b
                image: busybox
                env: *env
            """
        let lean = YAMLParser.parse(Array(text.utf8), skippingValuesOf: ManifestScanner.irrelevantKeys)
        #expect(lean.error == nil)
        #expect(lean.documents.first?.root["metadata"]?["annotations"]?["app"]?.scalar == "x")
        let skipped = YAMLParser.parse(Array("a: {labels: {x: 1}, keep: 2}\n".utf8), skippingValuesOf: ["labels"])
        #expect(skipped.documents.first?.root["a"]?["labels"] == nil)
        #expect(skipped.documents.first?.root["a"]?["keep"]?.scalar == "2")
    }
}
