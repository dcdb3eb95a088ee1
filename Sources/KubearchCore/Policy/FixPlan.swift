/// What `fix` should do to one workload, decided by the policy (SPEC §6).
public struct FixPlan: Sendable, Hashable {
    /// D, sorted: the managed `kubernetes.io/arch In [...]` expression ANDed into every required
    /// node selector term (a new term only when there are none). ANDing into each term is what turns
    /// a conflicting user constraint A into A∩D without touching the user's own expressions.
    public var architectures: [String]
    /// Under the `prefer` strategy: the architecture of a managed preferred term of weight 100.
    public var preferredArchitecture: String?
    /// The findings this plan fixes (KA002, KA003, KA004, KA007).
    public var fixes: [RuleID]

    public init(architectures: [String], preferredArchitecture: String? = nil, fixes: [RuleID]) {
        self.architectures = architectures.sorted()
        self.preferredArchitecture = preferredArchitecture
        self.fixes = fixes
    }
}
