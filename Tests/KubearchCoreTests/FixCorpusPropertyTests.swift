import Foundation
import Testing
@testable import KubearchCore

/// Every workload of every real manifest: D = [arm64] → fix → the verifier accepts the result, the
/// result allows exactly A ∩ D, and a second fix changes nothing.
@Suite("Fix on real manifests")
struct FixCorpusPropertyTests {
    static let cluster: Set<String> = ["amd64", "arm64"]

    /// `fixtures/manifests`, plus `../shared/corpus/manifests` when it is there.
    static func manifestFiles() -> [URL] {
        var roots = [TestPaths.fixtures.appendingPathComponent("manifests")]
        if TestPaths.hasSharedCorpus { roots.append(TestPaths.sharedCorpus.appendingPathComponent("manifests")) }
        var files: [URL] = []
        for root in roots {
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where ["yaml", "yml", "json"].contains(url.pathExtension) {
                files.append(url)
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    @Test func fixtureManifestsAreFound() {
        #expect(Self.manifestFiles().count >= 10)
    }

    @Test(.enabled(if: TestPaths.hasSharedCorpus, "needs ../shared/corpus/manifests"))
    func sharedCorpusIsIncluded() {
        #expect(Self.manifestFiles().contains { $0.path.contains("shared/corpus/manifests") })
    }

    @Test func everyWorkloadOneByOne() throws {
        var fixedCount = 0
        var refused: [String] = []
        for url in Self.manifestFiles() {
            let bytes = Array(try Data(contentsOf: url))
            let file = ManifestScanner.scan(path: url.lastPathComponent, bytes: bytes)
            guard file.stream.error == nil, !file.isTemplate else { continue }
            for workload in file.workloads {
                let label = "\(url.lastPathComponent) \(workload.object.kind ?? "?")/\(workload.object.name ?? "?")"
                do {
                    if try checkFix(file: file, workloads: [workload], label: label) { fixedCount += 1 }
                } catch FixError.sharedNode {
                    refused.append(label)  // anchors and merge keys: refused by design
                }
            }
        }
        #expect(fixedCount >= 20)
        // Only the merge-key fixture shares its pod spec; everything else must be fixable.
        #expect(refused.allSatisfy { $0.contains("merge") || $0.contains("anchor") }, "\(refused)")
    }

    @Test func allWorkloadsOfAFileAtOnce() throws {
        for url in Self.manifestFiles() {
            let bytes = Array(try Data(contentsOf: url))
            let file = ManifestScanner.scan(path: url.lastPathComponent, bytes: bytes)
            guard file.stream.error == nil, !file.isTemplate, !file.workloads.isEmpty else { continue }
            do {
                _ = try checkFix(file: file, workloads: file.workloads, label: url.lastPathComponent)
            } catch FixError.sharedNode {
                continue
            }
        }
    }

    /// Returns whether the fix changed the file.
    private func checkFix(file: ScannedFile, workloads: [Workload], label: String) throws -> Bool {
        let plan = FixPlan(architectures: ["arm64"], fixes: [.missingArchitectureConstraint])
        let before = workloads.map { NodeConstraints(podSpec: $0.podSpec, source: file.bytes).allowedArchitectures(within: Self.cluster) }
        guard let fixed = try Fixer.fix(file: file, plans: workloads.map { ($0, plan) }) else {
            // Nothing to do only when every workload already allows arm64 at most.
            #expect(before.allSatisfy { $0.isSubset(of: ["arm64"]) }, "\(label)")
            return false
        }
        let rescanned = ManifestScanner.scan(path: file.path, bytes: fixed)
        #expect(rescanned.findings.map(\.rule) == file.findings.map(\.rule), "\(label)")
        #expect(rescanned.workloads.count == file.workloads.count, "\(label)")
        let again = rescanned.workloads.filter { new in
            workloads.contains { $0.documentIndex == new.documentIndex && $0.itemPath == new.itemPath }
        }
        for (workload, old) in zip(again, before) {
            let after = NodeConstraints(podSpec: workload.podSpec, source: fixed).allowedArchitectures(within: Self.cluster)
            #expect(after == old.intersection(["arm64"]), "\(label)")
        }
        #expect(try Fixer.fix(file: rescanned, plans: again.map { ($0, plan) }) == nil, "\(label)")
        // The diff only adds lines; a line shows as removed only when it comes back extended (JSON's
        // `]` → `],`) or gains the line break it lacked at the end of the file.
        let diff = UnifiedDiff.render(old: file.bytes, new: fixed, path: label)
        let lines = diff.split(separator: "\n").map(String.init)
        let removed = lines.filter { $0.hasPrefix("-") && !$0.hasPrefix("---") }.map { $0.dropFirst() }
        let added = lines.filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }.map { $0.dropFirst() }
        #expect(removed.allSatisfy { line in added.contains { $0.hasPrefix(line) } }, "\(label)\n\(diff)")
        return true
    }
}
