/// The object annotations kubearch reads (SPEC §5).
public enum PolicyAnnotation {
    /// The owner's choice of architectures, like Noe's preferred-arch label. A comma-separated list
    /// is accepted (`amd64,arm64`): a workload may be meant for several architectures.
    public static let architecture = "kubearch.dev/architecture"
    /// Rules silenced for this object: `KA004,KA002` (ids or names), or `all`.
    public static let ignore = "kubearch.dev/ignore"

    /// The architectures named by `kubearch.dev/architecture`, nil when absent or empty.
    public static func architectures(in annotations: [String: String]) -> Set<String>? {
        guard let value = annotations[architecture] else { return nil }
        let names = Set(commaList(value))
        return names.isEmpty ? nil : names
    }

    /// The rules silenced by `kubearch.dev/ignore`; every rule for `all`. Unknown entries are ignored.
    public static func ignoredRules(in annotations: [String: String]) -> Set<RuleID> {
        guard let value = annotations[ignore] else { return [] }
        var rules: Set<RuleID> = []
        for entry in commaList(value) {
            if entry.lowercased() == "all" { return Set(RuleID.allCases) }
            if let rule = RuleID(rawValue: entry.uppercased()) ?? RuleID.allCases.first(where: { $0.name == entry.lowercased() }) {
                rules.insert(rule)
            }
        }
        return rules
    }

    private static func commaList(_ text: String) -> [String] {
        text.split(separator: ",").map { entry in
            String(entry.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }.filter { !$0.isEmpty }
    }
}
