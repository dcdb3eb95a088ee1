import Foundation
import Testing
@testable import KubearchCore

/// The report scans lean (keeping `resources`, `overhead` and `labels`): over every file of the
/// shared corpus and the fixtures it must read what a full scan reads.
@Suite("Report: its lean scan reads what a full scan reads")
struct ReportLeanScanTests {
    static func manifestFiles() -> [URL] {
        var roots = [TestPaths.fixtures]
        if TestPaths.hasSharedCorpus { roots.append(TestPaths.sharedCorpus.appendingPathComponent("manifests")) }
        return roots.flatMap { root in
            (FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
                .filter { ["yaml", "yml", "json"].contains($0.pathExtension) }
        }
    }

    @Test("weights, replicas, teams and autoscalers")
    func sameReadings() throws {
        let files = Self.manifestFiles()
        #expect(files.count > 50)
        var workloads = 0
        for url in files {
            let bytes = Array(try Data(contentsOf: url))
            let full = ManifestScanner.scan(path: url.path, bytes: bytes, detail: .full)
            let lean = ManifestScanner.scan(path: url.path, bytes: bytes, detail: WorkloadReadiness.scanDetail)
            let resolve = { (_: ContainerImage) in ImageResolution.resolved(digest: nil, platforms: [Platform(os: "linux", architecture: "amd64")]) }
            let fullRows = WorkloadEvaluator().evaluate(full, resolve: resolve).map { WorkloadReadiness(evaluation: $0, target: "arm64") }
            let leanRows = WorkloadEvaluator().evaluate(lean, resolve: resolve).map { WorkloadReadiness(evaluation: $0, target: "arm64") }
            #expect(fullRows == leanRows, "\(url.path)")
            var fullProblems: [ReportProblem] = []
            var leanProblems: [ReportProblem] = []
            #expect(Autoscaler.collect(from: full, problems: &fullProblems) == Autoscaler.collect(from: lean, problems: &leanProblems), "\(url.path)")
            #expect(fullProblems == leanProblems)
            workloads += fullRows.count
        }
        #expect(workloads > 20)
    }
}
