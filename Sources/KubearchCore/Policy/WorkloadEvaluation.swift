/// What the policy concluded about one workload: the sets of SPEC §4 and the findings of §5.
public struct WorkloadEvaluation: Sendable {
    public var workload: Workload
    /// The pod's OS: `windows` or `linux`.
    public var os: String
    /// C: the cluster's architectures for the pod's OS.
    public var cluster: Set<String>
    /// S = I ∩ C; nil when any image is unresolved.
    public var supported: Set<String>?
    /// A: what the constraints as written allow, within C.
    public var allowed: Set<String>
    /// D: what `fix` would constrain the pod to; nil when an image is unresolved, when S is empty,
    /// or when the `kubearch.dev/architecture` annotation names something outside S.
    public var desired: Set<String>?
    /// Findings after severity overrides and `kubearch.dev/ignore`, in the order of SPEC §5.
    public var findings: [Finding]
    /// Present only when a fixable finding is reported.
    public var fixPlan: FixPlan?
    /// What the lookup said about each of `workload.images`, in the same order.
    public var resolutions: [ImageResolution]
    /// The pod names its node (`nodeName`), so the scheduler is not involved and nothing is reported.
    public var isSkipped: Bool

    public init(
        workload: Workload, os: String, cluster: Set<String>, supported: Set<String>?, allowed: Set<String>,
        desired: Set<String>?, findings: [Finding], fixPlan: FixPlan?, resolutions: [ImageResolution], isSkipped: Bool
    ) {
        self.workload = workload
        self.os = os
        self.cluster = cluster
        self.supported = supported
        self.allowed = allowed
        self.desired = desired
        self.findings = findings
        self.fixPlan = fixPlan
        self.resolutions = resolutions
        self.isSkipped = isSkipped
    }
}
