import ArgumentParser
import KubearchCore
import KubearchReporters

extension RuleID: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules, or print one rule's full help with its examples.")

    @Argument(help: ArgumentHelp("A rule id, e.g. KA002.", valueName: "id"))
    var rule: RuleID?

    func run() {
        Output.standardOutput(rule.map(RuleDocumentation.help(for:)) ?? RuleDocumentation.list())
    }
}
