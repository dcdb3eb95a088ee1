import Foundation
import Testing
@testable import KubearchCore

/// One folder of `fixtures/golden/fix`: `input.(yaml|json)` and the reviewed `expected.*`.
/// Every workload of the input gets the same plan; `allowed` is A per workload afterwards, within
/// the cluster [amd64, arm64].
struct GoldenFixCase: Sendable, CustomTestStringConvertible {
    var name: String
    var architectures: [String]
    var preferred: String? = nil
    var allowed: [[String]]

    var testDescription: String { name }
}

/// Golden files are written (instead of compared) with KUBEARCH_UPDATE_GOLDEN=1; review them by eye.
@Suite("Fix golden files")
struct FixGoldenTests {
    static let cluster: Set<String> = ["amd64", "arm64"]

    static let cases: [GoldenFixCase] = [
        GoldenFixCase(name: "no-affinity", architectures: ["amd64"], allowed: [["amd64"]]),
        GoldenFixCase(name: "pod-affinity-only", architectures: ["arm64"], allowed: [["arm64"]]),
        GoldenFixCase(name: "preferred-only", architectures: ["amd64"], allowed: [["amd64"]]),
        GoldenFixCase(name: "two-required-terms", architectures: ["arm64"], allowed: [["arm64"]]),
        GoldenFixCase(name: "conflicting-in-list", architectures: ["arm64"], allowed: [["arm64"]]),
        GoldenFixCase(name: "ka007-rewrite", architectures: ["arm64"], allowed: [["arm64"]]),
        GoldenFixCase(name: "flow-pod-spec", architectures: ["amd64"], allowed: [["amd64"]]),
        GoldenFixCase(name: "json", architectures: ["arm64"], allowed: [["arm64"]]),
        GoldenFixCase(name: "crlf-bom", architectures: ["amd64"], allowed: [["amd64"]]),
        GoldenFixCase(name: "four-space-indented-seq", architectures: ["arm64"], allowed: [["arm64"]]),
        GoldenFixCase(name: "two-space-flat-seq", architectures: ["amd64"], allowed: [["amd64"]]),
        GoldenFixCase(name: "cronjob", architectures: ["arm64"], allowed: [["arm64"]]),
        GoldenFixCase(name: "kind-list", architectures: ["amd64"], allowed: [["amd64"], ["amd64"]]),
        GoldenFixCase(name: "comments-around", architectures: ["arm64"], allowed: [["arm64"]]),
        GoldenFixCase(name: "pin-one-arch", architectures: ["arm64"], allowed: [["arm64"]]),
        GoldenFixCase(name: "prefer", architectures: ["amd64", "arm64"], preferred: "arm64", allowed: [["amd64", "arm64"]]),
        GoldenFixCase(name: "prefer-only-existing-required", architectures: [], preferred: "amd64", allowed: [["amd64", "arm64"]]),
        GoldenFixCase(name: "empty-affinity", architectures: ["amd64"], allowed: [["amd64"]]),
        GoldenFixCase(name: "match-fields-and-empty-terms", architectures: ["arm64"], allowed: [["arm64"], ["arm64"]]),
        GoldenFixCase(name: "no-final-newline", architectures: ["amd64"], allowed: [["amd64"]]),
    ]

    @Test(arguments: cases)
    func golden(_ golden: GoldenFixCase) throws {
        let folder = TestPaths.fixtures.appendingPathComponent("golden/fix/\(golden.name)")
        let fileExtension = FileManager.default.fileExists(atPath: folder.appendingPathComponent("input.json").path) ? "json" : "yaml"
        let input = Array(try Data(contentsOf: folder.appendingPathComponent("input.\(fileExtension)")))
        let file = ManifestScanner.scan(path: "input.\(fileExtension)", bytes: input)
        #expect(file.workloads.count == golden.allowed.count)
        let plan = FixPlan(architectures: golden.architectures, preferredArchitecture: golden.preferred, fixes: [.missingArchitectureConstraint])
        let fixed = try #require(try Fixer.fix(file: file, plans: file.workloads.map { ($0, plan) }))

        let expectedURL = folder.appendingPathComponent("expected.\(fileExtension)")
        if ProcessInfo.processInfo.environment["KUBEARCH_UPDATE_GOLDEN"] != nil {
            try Data(fixed).write(to: expectedURL)
        }
        let expected = Array(try Data(contentsOf: expectedURL))
        #expect(fixed == expected, "\(UnifiedDiff.render(old: expected, new: fixed, path: golden.name))")

        // Re-scanning the output gives the expected A, and fixing it again changes nothing.
        let rescanned = ManifestScanner.scan(path: "expected.\(fileExtension)", bytes: fixed)
        #expect(rescanned.findings.isEmpty)
        let allowed = rescanned.workloads.map {
            NodeConstraints(podSpec: $0.podSpec, source: fixed).allowedArchitectures(within: Self.cluster).sorted()
        }
        #expect(allowed == golden.allowed)
        #expect(try Fixer.fix(file: rescanned, plans: rescanned.workloads.map { ($0, plan) }) == nil)
        #expect(fixed.starts(with: [0xEF, 0xBB, 0xBF]) == input.starts(with: [0xEF, 0xBB, 0xBF]))
    }
}
