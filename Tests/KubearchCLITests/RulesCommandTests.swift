import Foundation
import KubearchCore
import Testing

@Suite("kubearch rules and completions")
struct RulesCommandTests {
    @Test func listsEveryRuleWithItsSummary() async throws {
        let result = try await BuiltBinary.run(["rules"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        for id in RuleID.allCases {
            let line = try #require(lines.first { $0.hasPrefix(id.rawValue + " ") }, "\(id.rawValue) missing")
            #expect(line.contains(id.name))
            #expect(line.contains(id.defaultSeverity.rawValue))
            #expect(line.hasSuffix(id.summary))
        }
    }

    /// Each rule's help quotes every one of its examples, line by line, and what kubearch reports
    /// for the ones that trigger it: the examples the rule tests run, so the help cannot drift.
    @Test(arguments: RuleID.allCases)
    func helpShowsTheRulesOwnExamples(_ id: RuleID) async throws {
        let result = try await BuiltBinary.run(["rules", id.rawValue.lowercased()])
        #expect(result.status == 0)
        let help = result.standardOutput
        #expect(help.hasPrefix("\(id.rawValue) \(id.name): "))
        #expect(help.contains(id.summary))
        let rule = try #require(RuleRegistry.rule(for: id))
        #expect(!rule.examples.isEmpty)
        for (number, example) in rule.examples.enumerated() {
            #expect(help.contains("Example \(number + 1): " + (example.triggers ? "reported at line \(example.line ?? 0)" : "not reported")))
            for line in example.yaml.split(separator: "\n") {
                #expect(help.contains(" | " + line), "example \(number + 1) line missing: \(line)")
            }
            for finding in example.findings() where finding.rule == id {
                #expect(help.contains("kubearch: example.yaml:\(finding.line):\(finding.column): \(finding.severity.rawValue): \(finding.message)\n"))
            }
        }
    }

    @Test func unknownRuleIsAnArgumentError() async throws {
        let result = try await BuiltBinary.run(["rules", "KA999"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("KA999"))
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsNameTheSubcommands(_ shell: String) async throws {
        let result = try await BuiltBinary.run(["--generate-completion-script", shell])
        #expect(result.status == 0)
        for command in ["check", "fix", "lock", "inspect", "images", "init", "rules"] {
            #expect(result.standardOutput.contains(command), "\(shell) completion lacks \(command)")
        }
    }
}
