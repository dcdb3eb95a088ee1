/// What the configuration's `rules:` section sets a rule to.
public enum RuleSetting: String, Sendable, Hashable, CaseIterable {
    case error
    case warning
    case note
    /// The rule reports nothing.
    case off

    /// The severity findings of the rule get; nil for `off`.
    public var severity: Severity? {
        switch self {
        case .error: .error
        case .warning: .warning
        case .note: .note
        case .off: nil
        }
    }
}
