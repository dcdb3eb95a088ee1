/// One problem found in one file, located to a 1-based line and column.
public struct Finding: Sendable, Hashable {
    public var rule: RuleID
    public var severity: Severity
    /// Path relative to the current folder, without a leading `./` (or `-` for stdin).
    public var file: String
    public var line: Int
    public var column: Int
    public var object: ObjectIdentity?
    public var message: String
    public var fixable: Bool
    /// The kustomization root (or GitOps object) whose rendering this finding is about; nil for
    /// plain files (SPEC §10).
    public var kustomization: String?

    public init(
        rule: RuleID, severity: Severity? = nil, file: String, line: Int, column: Int,
        object: ObjectIdentity? = nil, message: String, fixable: Bool = false, kustomization: String? = nil
    ) {
        self.rule = rule
        self.severity = severity ?? rule.defaultSeverity
        self.file = file
        self.line = line
        self.column = column
        self.object = object
        self.message = message
        self.fixable = fixable
        self.kustomization = kustomization
    }
}

extension Finding {
    /// Report order: file, then position, then rule.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.file != b.file { return a.file < b.file }
        if a.line != b.line { return a.line < b.line }
        if a.column != b.column { return a.column < b.column }
        if a.rule != b.rule { return a.rule < b.rule }
        return (a.kustomization ?? "") < (b.kustomization ?? "")
    }
}
