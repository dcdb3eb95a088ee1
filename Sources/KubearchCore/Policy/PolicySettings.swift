/// The knobs of the policy: the cluster's architectures, the fix strategy and per-rule severities
/// (SPEC §4, §6, §7). The config file and command-line options fill this in.
public struct PolicySettings: Sendable, Hashable {
    /// C for linux pods.
    public var clusterArchitectures: Set<String>
    /// C for windows pods.
    public var windowsArchitectures: Set<String>
    public var strategy: Strategy
    public var preferredArchitecture: String
    /// A rule mapped to a severity reports at that severity; mapped to nil, the rule is `off`.
    public var severityOverrides: [RuleID: Severity?]

    public init(
        clusterArchitectures: Set<String> = ["amd64", "arm64"],
        windowsArchitectures: Set<String> = ["amd64"],
        strategy: Strategy = .required,
        preferredArchitecture: String = "amd64",
        severityOverrides: [RuleID: Severity?] = [:]
    ) {
        self.clusterArchitectures = clusterArchitectures
        self.windowsArchitectures = windowsArchitectures
        self.strategy = strategy
        self.preferredArchitecture = preferredArchitecture
        self.severityOverrides = severityOverrides
    }

    /// C for a pod running on `operatingSystem`.
    public func clusterArchitectures(for operatingSystem: String) -> Set<String> {
        operatingSystem == "windows" ? windowsArchitectures : clusterArchitectures
    }

    /// Sets the severity of `rule`; nil turns it `off`. (Assigning `severityOverrides[rule] = nil`
    /// would remove the override instead, hence this method.)
    public mutating func setSeverity(_ severity: Severity?, for rule: RuleID) {
        severityOverrides.updateValue(severity, forKey: rule)
    }

    /// The severity `rule` reports at; nil when it is `off`.
    public func severity(for rule: RuleID) -> Severity? {
        if let override = severityOverrides[rule] { return override }
        return rule.defaultSeverity
    }
}

extension PolicySettings {
    /// Drops findings whose rule is `off` or silenced by the object's `kubearch.dev/ignore`, and sets
    /// each remaining finding's severity from the overrides.
    public func apply(to findings: [Finding], annotations: [String: String]) -> [Finding] {
        let ignored = PolicyAnnotation.ignoredRules(in: annotations)
        return findings.compactMap { finding in
            guard !ignored.contains(finding.rule), let severity = severity(for: finding.rule) else { return nil }
            var adjusted = finding
            adjusted.severity = severity
            return adjusted
        }
    }
}
