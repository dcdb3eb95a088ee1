import Foundation
import Testing
@testable import KubearchCore

private let cluster: Set<String> = ["amd64", "arm64", "s390x"]

/// Parses a pod spec (the root mapping of `yaml`) into its constraints.
private func constraints(_ yaml: String) throws -> NodeConstraints {
    let bytes = Array(yaml.utf8)
    let root = try #require(YAMLParser.parse(bytes).documents.first?.root)
    return NodeConstraints(podSpec: root, source: bytes)
}

/// A pod spec with one required term holding `expressions` (flow mappings, one per line).
private func requiredTerms(_ terms: [[String]]) -> String {
    var text = "affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n"
    for term in terms {
        text += "      - matchExpressions:\n" + term.map { "        - \($0)\n" }.joined()
    }
    return text
}

@Suite("Policy node constraints")
struct PolicyNodeConstraintsTests {
    @Test(arguments: [
        ("{key: kubernetes.io/arch, operator: In, values: [arm64, ppc64le]}", ["arm64"]),
        ("{key: kubernetes.io/arch, operator: NotIn, values: [arm64]}", ["amd64", "s390x"]),
        ("{key: kubernetes.io/arch, operator: Exists}", ["amd64", "arm64", "s390x"]),
        ("{key: kubernetes.io/arch, operator: DoesNotExist}", []),
        ("{key: beta.kubernetes.io/arch, operator: In, values: [s390x]}", ["s390x"]),
        ("{key: kubernetes.io/arch, operator: Gt, values: ['1']}", []),
    ] as [(String, Set<String>)])
    func operators(_ expression: String, _ allowed: Set<String>) throws {
        let parsed = try constraints(requiredTerms([[expression]]))
        #expect(parsed.isConstrained)
        #expect(parsed.allowedArchitectures(within: cluster) == allowed)
    }

    @Test func termsAreOredAndExpressionsAnded() throws {
        let parsed = try constraints(requiredTerms([
            ["{key: kubernetes.io/arch, operator: In, values: [amd64, arm64]}", "{key: kubernetes.io/arch, operator: NotIn, values: [arm64]}"],
            ["{key: kubernetes.io/arch, operator: In, values: [s390x]}"],
        ]))
        #expect(parsed.allowedArchitectures(within: cluster) == ["amd64", "s390x"])
    }

    @Test func aTermWithoutAnArchExpressionAllowsTheWholeCluster() throws {
        let parsed = try constraints(requiredTerms([
            ["{key: kubernetes.io/arch, operator: In, values: [arm64]}"],
            ["{key: node-role, operator: Exists}"],
        ]))
        #expect(parsed.isConstrained)
        #expect(parsed.allowedArchitectures(within: cluster) == cluster)
    }

    @Test func nodeSelectorIntersectsTheTerms() throws {
        let parsed = try constraints("nodeSelector: {kubernetes.io/arch: arm64}\n" + requiredTerms([
            ["{key: kubernetes.io/arch, operator: NotIn, values: [s390x]}"],
        ]))
        #expect(parsed.allowedArchitectures(within: cluster) == ["arm64"])
        #expect(parsed.selectorArchitecture?.value == "arm64")
    }

    @Test func osKeysDoNotConstrainArchitecture() throws {
        let parsed = try constraints("nodeSelector: {kubernetes.io/os: linux}\n" + requiredTerms([
            ["{key: kubernetes.io/os, operator: In, values: [windows]}"],
        ]))
        #expect(!parsed.isConstrained)
        #expect(parsed.operatingSystem == "windows")
        #expect(parsed.allowedArchitectures(within: cluster) == cluster)
    }

    @Test func unconstrainedPodAllowsTheCluster() throws {
        let parsed = try constraints("containers: []\n")
        #expect(!parsed.isConstrained)
        #expect(parsed.operatingSystem == "linux")
        #expect(parsed.allowedArchitectures(within: cluster) == cluster)
    }

    @Test func managedMarkerIsFoundOnlyOnTheExpressionItFollows() throws {
        let parsed = try constraints("""
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - key: kubernetes.io/arch
                      operator: In
                      values: [amd64]  # managed by kubearch
                    - key: zone
                      operator: In
                      values: [a] # a user's comment
                  - matchExpressions:
                    - {key: kubernetes.io/arch, operator: In, values: [arm64]} # managed by kubearch
                  - matchExpressions:
                    - key: kubernetes.io/arch
                      operator: In
                      values:
                      - s390x # managed by kubearch
                  - matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
            """)
        let managed = parsed.requiredTerms.map { $0.expressions.map(\.isManaged) }
        #expect(managed == [[true, false], [true], [true], [false]])
        #expect(parsed.managedExpressions.map(\.values) == [["amd64"], ["arm64"], ["s390x"]])
    }

    @Test func jsonHasNoManagedExpressions() throws {
        let parsed = try constraints("""
            {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
              {"matchExpressions": [{"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64"]}]}]}}}}
            """)
        #expect(parsed.isConstrained)
        #expect(parsed.managedExpressions.isEmpty)
    }

    @Test func managedValuesAreReplacedForJudgement() throws {
        let parsed = try constraints(requiredTerms([
            ["{key: kubernetes.io/arch, operator: NotIn, values: [s390x]}"],
        ]).replacingOccurrences(of: "[s390x]}", with: "[s390x]} # managed by kubearch"))
        #expect(parsed.allowedArchitectures(within: cluster) == ["amd64", "arm64"])
        let rewritten = parsed.replacingManagedValues(with: ["arm64"])
        #expect(rewritten.allowedArchitectures(within: cluster) == ["arm64"])
        #expect(rewritten.requiredTerms.first?.expressions.first?.operator == .in)
    }
}

@Suite("Policy annotations")
struct PolicyAnnotationTests {
    @Test func architectureList() {
        #expect(PolicyAnnotation.architectures(in: [:]) == nil)
        #expect(PolicyAnnotation.architectures(in: ["kubearch.dev/architecture": " , "]) == nil)
        #expect(PolicyAnnotation.architectures(in: ["kubearch.dev/architecture": "arm64"]) == ["arm64"])
        #expect(PolicyAnnotation.architectures(in: ["kubearch.dev/architecture": "arm64, amd64,"]) == ["amd64", "arm64"])
    }

    @Test func ignoredRules() {
        #expect(PolicyAnnotation.ignoredRules(in: ["kubearch.dev/ignore": "KA004,ka002, bogus"]) == [.missingArchitectureConstraint, .daemonSetArchitectureGap])
        #expect(PolicyAnnotation.ignoredRules(in: ["kubearch.dev/ignore": "All"]) == Set(RuleID.allCases))
        #expect(PolicyAnnotation.ignoredRules(in: ["kubearch.dev/ignore": "constraint-out-of-date"]) == [.constraintOutOfDate])
        #expect(PolicyAnnotation.ignoredRules(in: [:]).isEmpty)
    }
}
