import Testing
@testable import KubearchCore

/// One example of one rule, named for test output.
struct LabeledExample: Sendable, CustomTestStringConvertible {
    var rule: RuleID
    var index: Int
    var example: RuleExample

    var testDescription: String { "\(rule.rawValue) #\(index + 1) \(example)" }

    /// Manifest examples; kustomization examples (KA011) are run by the kustomize layer's tests.
    static let all: [LabeledExample] = RuleRegistry.all.flatMap { rule in
        rule.examples.enumerated().map { LabeledExample(rule: rule.id, index: $0.offset, example: $0.element) }
    }.filter { !$0.example.isKustomization }
}

@Suite("Rule examples")
struct RuleExampleTests {
    @Test func registryHoldsEveryRuleOnceWithExamplesBothWays() {
        let ids = RuleRegistry.all.map { $0.id }
        #expect(ids == RuleID.allCases)
        for rule in RuleRegistry.all {
            let examples: [RuleExample] = rule.examples
            let triggering = examples.filter { $0.triggers }.count
            #expect(triggering > 0, "\(rule.id) has no triggering example")
            #expect(examples.count > triggering, "\(rule.id) has no passing example")
        }
    }

    /// A triggering example reports exactly its rule (and at its line); a passing one never reports it.
    @Test(arguments: LabeledExample.all)
    func example(_ labeled: LabeledExample) throws {
        let findings = labeled.example.findings()
        let described = findings.map { "\($0.rule.rawValue)@\($0.line): \($0.message)" }
        if labeled.example.triggers {
            #expect(!findings.isEmpty, "expected \(labeled.rule.rawValue)")
            #expect(findings.allSatisfy { $0.rule == labeled.rule }, "\(described)")
            let line = try #require(labeled.example.line)
            #expect(findings.contains { $0.line == line }, "\(described)")
        } else {
            #expect(!findings.contains { $0.rule == labeled.rule }, "\(described)")
        }
    }
}
