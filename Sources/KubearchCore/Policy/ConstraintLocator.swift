/// Which part of a pod's constraints is at fault when A is wrong: where KA003 points, and whether
/// `fix` can narrow it (it edits affinity, never a nodeSelector).
struct ConstraintLocation: Sendable {
    enum Kind: Sendable {
        case nodeSelector(key: String, value: String)
        /// An arch expression of required term `term` (0-based).
        case expression(SelectorExpression, term: Int)
        /// A required term with no arch expression: it allows every cluster architecture.
        case termWithoutArchitecture(term: Int)
    }

    var kind: Kind
    var node: YAMLNode

    var isNodeSelector: Bool {
        if case .nodeSelector = kind { return true }
        return false
    }

    /// Looks first for the constraint that lets pods onto architectures outside `supported`, then
    /// for one that allows none of `cluster`; the user's own expressions before kubearch's.
    static func locate(in constraints: NodeConstraints, cluster: Set<String>, supported: Set<String>) -> ConstraintLocation? {
        let predicates: [(Set<String>) -> Bool] = [{ !$0.isSubset(of: supported) }, { $0.isEmpty }]
        let selectorAllowed = constraints.selectorArchitecture.map { cluster.intersection([$0.value]) }
        let base = selectorAllowed ?? cluster
        for isAtFault in predicates {
            if let selector = constraints.selectorArchitecture, let allowed = selectorAllowed, isAtFault(allowed) {
                return ConstraintLocation(kind: .nodeSelector(key: selector.key, value: selector.value), node: selector.node)
            }
            for (index, term) in constraints.requiredTerms.enumerated() where isAtFault(term.allowedArchitectures(within: base)) {
                let expressions = term.architectureExpressions
                guard !expressions.isEmpty else {
                    return ConstraintLocation(kind: .termWithoutArchitecture(term: index), node: term.node)
                }
                let userExpressions = expressions.filter { !$0.isManaged }
                let culprit = userExpressions.first { isAtFault($0.filter(base)) } ?? userExpressions.first ?? expressions[0]
                return ConstraintLocation(kind: .expression(culprit, term: index), node: culprit.node)
            }
        }
        return nil
    }

    /// "nodeSelector kubernetes.io/arch: amd64", "required term 2 (kubernetes.io/arch NotIn [s390x])".
    var description: String {
        switch kind {
        case .nodeSelector(let key, let value):
            "nodeSelector \(key): \(value)"
        case .expression(let expression, let term):
            "required node affinity term \(term + 1) (\(RuleText.expression(expression)))"
        case .termWithoutArchitecture(let term):
            "required node affinity term \(term + 1), which has no \(NodeLabel.architecture) expression,"
        }
    }
}
