import Foundation
import Testing
@testable import KubearchCore

@Suite("Policy on real manifests")
struct PolicyCorpusTests {
    static func fixtureFiles() throws -> [URL] {
        let root = TestPaths.fixtures.appendingPathComponent("manifests")
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        return enumerator.compactMap { $0 as? URL }.filter { ["yaml", "yml", "json"].contains($0.pathExtension) }
    }

    /// With every image amd64-only, each scheduled workload that has images and no arch constraint
    /// must be told to add one (KA004, or KA002 for a DaemonSet) with a plan for [amd64]; with every
    /// image multi-arch, nothing is reported.
    @Test func everyUnconstrainedWorkloadGetsAPlanForSingleArchitectureImages() throws {
        var checked = 0
        for url in try Self.fixtureFiles() {
            let file = ManifestScanner.scan(path: url.lastPathComponent, bytes: Array(try Data(contentsOf: url)))
            let amd64Only = WorkloadEvaluator().evaluate(file) { _ in .resolved(digest: nil, platforms: [Platform(os: "linux", architecture: "amd64")]) }
            for evaluation in amd64Only {
                let constraints = NodeConstraints(podSpec: evaluation.workload.podSpec, source: file.bytes)
                guard !evaluation.isSkipped, !evaluation.workload.images.isEmpty, !constraints.isConstrained,
                      evaluation.os == "linux" else { continue }
                let expected: RuleID = evaluation.workload.isDaemonSet ? .daemonSetArchitectureGap : .missingArchitectureConstraint
                #expect(evaluation.findings.map(\.rule) == [expected], "\(url.lastPathComponent) \(evaluation.workload.object)")
                #expect(evaluation.fixPlan?.architectures == ["amd64"])
                checked += 1
            }
            let multiArch = WorkloadEvaluator().evaluate(file) { _ in
                .resolved(digest: nil, platforms: [Platform(os: "linux", architecture: "amd64"), Platform(os: "linux", architecture: "arm64", variant: "v8")])
            }
            for evaluation in multiArch where !evaluation.isSkipped && !NodeConstraints(podSpec: evaluation.workload.podSpec, source: file.bytes).isConstrained {
                #expect(evaluation.findings.isEmpty, "\(url.lastPathComponent) \(evaluation.workload.object): \(evaluation.findings.map(\.message))")
            }
        }
        #expect(checked > 20)
    }
}
