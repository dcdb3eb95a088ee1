extension NodeConstraints {
    /// These constraints as `fix` will leave them: each expression kubearch wrote earlier reads
    /// `In desired`. Rules other than KA007 judge this view, so a stale managed expression is
    /// reported once (as KA007) and not again as a conflict.
    func replacingManagedValues(with desired: Set<String>) -> NodeConstraints {
        var copy = self
        copy.requiredTerms = requiredTerms.map { term in
            var term = term
            term.expressions = term.expressions.map { expression in
                guard expression.isManaged, NodeLabel.isArchitecture(expression.key) else { return expression }
                var rewritten = expression
                rewritten.operator = .in
                rewritten.values = desired.sorted()
                return rewritten
            }
            return term
        }
        return copy
    }
}
