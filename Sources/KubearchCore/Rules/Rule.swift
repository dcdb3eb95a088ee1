/// Whether `fix` can repair what a rule reports.
public enum RuleFixability: Sendable, Hashable {
    case never
    case always
    /// Only in some cases; `condition` says which.
    case sometimes(condition: String)
}

/// One rule of SPEC §5. The evaluator decides *when* rules fire (their precedence is global, so it
/// lives in one place, `WorkloadEvaluator`); each rule type words its findings, says whether they
/// can be fixed, and documents itself with examples that the test suite runs.
public protocol Rule {
    static var id: RuleID { get }
    static var fixability: RuleFixability { get }
    /// Manifests that trigger the rule (at a line) and manifests that must not.
    static var examples: [RuleExample] { get }
}

extension Rule {
    public static var name: String { id.name }
    public static var defaultSeverity: Severity { id.defaultSeverity }
    public static var summary: String { id.summary }
}
