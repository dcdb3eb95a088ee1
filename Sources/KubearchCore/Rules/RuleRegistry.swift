/// Every rule kubearch has, in id order.
public enum RuleRegistry {
    public static var all: [any Rule.Type] {
        [
            NoCommonArchitectureRule.self,
            DaemonSetArchitectureGapRule.self,
            ConstraintConflictRule.self,
            MissingArchitectureConstraintRule.self,
            UnresolvedImageRule.self,
            OSMismatchRule.self,
            ConstraintOutOfDateRule.self,
            InvalidManifestRule.self,
            DaemonSetPartialCoverageRule.self,
            TemplateSkippedRule.self,
            KustomizationUnsupportedRule.self,
        ]
    }

    public static func rule(for id: RuleID) -> (any Rule.Type)? {
        all.first { $0.id == id }
    }
}
