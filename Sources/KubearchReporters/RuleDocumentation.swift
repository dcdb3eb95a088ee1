import KubearchCore

/// What `kubearch rules` prints: the list of rules, and one rule's full help. The help is built from
/// the rule's own summary, remedy (`RuleHelp`, which SARIF shows too) and examples (which the test
/// suite runs), and quotes what kubearch reports for each example, so it cannot drift from the code.
public enum RuleDocumentation {
    /// One line per rule: id, name, default severity, whether `fix` repairs it, and its summary.
    public static func list() -> String {
        let rows = RuleRegistry.all.map { rule in
            ["\(rule.id.rawValue)", rule.name, rule.defaultSeverity.rawValue, fixability(rule.fixability, short: true), rule.summary]
        }
        let header = ["id", "name", "severity", "fixable", "summary"]
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < row.count - 1 { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
            + "\n\nkubearch rules ID prints a rule's full help with examples.\n"
    }

    /// The full help of one rule: summary, what to do, how it is fixed, and every example with what
    /// kubearch reports for it.
    public static func help(for id: RuleID) -> String {
        let help = RuleHelp.help(for: id)
        var text = "\(id.rawValue) \(id.name): \(help.title)\n\n"
        text += "\(id.summary)\n\n"
        text += "Severity: \(id.defaultSeverity.rawValue) (change it or turn it off in .kubearch.yaml: `rules: {\(id.rawValue): warning}`).\n"
        guard let rule = RuleRegistry.rule(for: id) else { return text }
        text += "Fixable: \(fixability(rule.fixability, short: false)).\n\n"
        text += "What to do: \(help.remedy)\n"
        for (number, example) in rule.examples.enumerated() {
            text += "\nExample \(number + 1): " + (example.triggers ? "reported at line \(example.line ?? 0)" : "not reported") + "\n"
            text += indented(example.yaml)
            for (image, platforms) in example.images.sorted(by: { $0.key < $1.key }) {
                text += "  image \(image) runs on: \(platforms.joined(separator: ", "))\n"
            }
            if let settings = settingsNote(example.settings) { text += "  with \(settings)\n" }
            for finding in example.findings() where finding.rule == id {
                text += "  kubearch: example.yaml:\(finding.line):\(finding.column): \(finding.severity.rawValue): \(finding.message)\n"
            }
        }
        return text
    }

    private static func fixability(_ fixability: RuleFixability, short: Bool) -> String {
        switch fixability {
        case .never: "no"
        case .always: short ? "yes" : "yes, `kubearch fix` repairs it"
        case .sometimes(let condition): short ? "partly" : "when \(condition)"
        }
    }

    private static func indented(_ yaml: String) -> String {
        let numbered = yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            let number = String(index + 1)
            return "  " + String(repeating: " ", count: max(0, 3 - number.count)) + number + " | " + line
        }
        return numbered.joined(separator: "\n") + "\n"
    }

    /// The example's settings where they differ from a run without configuration.
    private static func settingsNote(_ settings: PolicySettings) -> String? {
        let defaults = PolicySettings()
        var parts: [String] = []
        if settings.clusterArchitectures != defaults.clusterArchitectures {
            parts.append("cluster.architectures: [\(settings.clusterArchitectures.sorted().joined(separator: ", "))]")
        }
        if settings.windowsArchitectures != defaults.windowsArchitectures {
            parts.append("cluster.windowsArchitectures: [\(settings.windowsArchitectures.sorted().joined(separator: ", "))]")
        }
        if settings.strategy != defaults.strategy { parts.append("policy.strategy: \(settings.strategy.rawValue)") }
        if settings.preferredArchitecture != defaults.preferredArchitecture {
            parts.append("policy.preferredArchitecture: \(settings.preferredArchitecture)")
        }
        for (rule, severity) in settings.severityOverrides.sorted(by: { $0.key < $1.key }) {
            parts.append("rules.\(rule.rawValue): \(severity?.rawValue ?? "off")")
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }
}
