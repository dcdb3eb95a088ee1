/// Applies the policy of SPEC §4–§6 to workloads: computes C, I, S, A and D and reports findings in
/// the precedence of §5 ("When each fires"). Pure: the caller supplies image platforms.
///
/// Decisions where the spec is silent:
/// - `kubearch.dev/architecture` may hold a comma list (`amd64,arm64`). When it names an
///   architecture outside S it is reported (KA003, not fixable) and there is no D: `fix` leaves the
///   workload alone until the owner corrects the annotation.
/// - After KA006 S is empty for a reason already reported, so rules that compare with S (KA001, the
///   annotation's KA003, KA003 for A ⊄ S) stay quiet; KA003/KA009 for a constraint that allows none
///   of the cluster's architectures still fire.
/// - A managed expression (written by `fix`) is judged as if already rewritten to D: when it is
///   stale only KA007 is reported, not also KA003/KA004 for the same expression.
/// - A constrained workload whose A is within S is fine even when A ≠ D (for example under `pin`):
///   `fix` never narrows what a user chose unless it conflicts with the images.
/// - Under `prefer` the preferred term is planned when the preferred architecture is in D and D has
///   more than one member (with no annotation D = S, as SPEC §6 says).
/// - KA007 is reported once per workload, at the first stale managed expression; `fix` rewrites all.
public struct WorkloadEvaluator: Sendable {
    public var settings: PolicySettings

    public init(settings: PolicySettings = PolicySettings()) {
        self.settings = settings
    }

    /// Evaluates every workload of a scanned file.
    public func evaluate(_ file: ScannedFile, resolve: (ContainerImage) -> ImageResolution) -> [WorkloadEvaluation] {
        file.workloads.map { evaluate($0, source: file.bytes, resolve: resolve) }
    }

    /// Evaluates one workload; `source` is the text of its file (needed to see managed markers).
    public func evaluate(_ workload: Workload, source: [UInt8], resolve: (ContainerImage) -> ImageResolution) -> WorkloadEvaluation {
        let written = NodeConstraints(podSpec: workload.podSpec, source: source)
        let os = written.operatingSystem
        let cluster = settings.clusterArchitectures(for: os)
        let resolutions = workload.images.map(resolve)
        let isSkipped = Self.namesItsNode(workload)
        var evaluation = WorkloadEvaluation(
            workload: workload, os: os, cluster: cluster, supported: nil,
            allowed: written.allowedArchitectures(within: cluster), desired: nil,
            findings: [], fixPlan: nil, resolutions: resolutions, isSkipped: isSkipped)

        // 1. Unresolved images: KA005 each, and nothing else can be said.
        var images: [ResolvedImage] = []
        var unresolved: [Finding] = []
        for (image, resolution) in zip(workload.images, resolutions) {
            switch resolution {
            case .resolved(_, let platforms):
                images.append(ResolvedImage(image: image, platforms: platforms, operatingSystem: os))
            case .unresolved(let reason):
                unresolved.append(UnresolvedImageRule.finding(workload: workload, image: image, reason: reason))
            }
        }
        if !unresolved.isEmpty {
            if !isSkipped { report(unresolved, into: &evaluation, context: nil) }
            return evaluation
        }

        // I ∩ C; a pod without images runs anywhere.
        let supported = images.reduce(cluster) { $0.intersection($1.architectures) }
        let annotated = PolicyAnnotation.architectures(in: workload.annotations)
        let desired = desiredArchitectures(supported: supported, annotated: annotated)
        let constraints = desired.map { written.replacingManagedValues(with: $0) } ?? written
        evaluation.supported = supported
        evaluation.desired = desired
        guard !isSkipped else { return evaluation }

        let context = EvaluationContext(
            workload: workload, settings: settings, operatingSystem: os, cluster: cluster, images: images,
            supported: supported, constraints: constraints, allowed: constraints.allowedArchitectures(within: cluster),
            desired: desired, annotatedArchitectures: annotated)
        report(findings(context, managed: written.managedExpressions), into: &evaluation, context: context)
        return evaluation
    }

    /// D (SPEC §4); nil when there is nothing sensible for `fix` to write.
    func desiredArchitectures(supported: Set<String>, annotated: Set<String>?) -> Set<String>? {
        if let annotated { return annotated.isSubset(of: supported) ? annotated : nil }
        guard !supported.isEmpty else { return nil }
        if settings.strategy == .pin, supported.contains(settings.preferredArchitecture) {
            return [settings.preferredArchitecture]
        }
        return supported
    }

    /// Steps 2–6 of SPEC §5 "When each fires", in order.
    private func findings(_ context: EvaluationContext, managed: [SelectorExpression]) -> [Finding] {
        var findings: [Finding] = []
        let supported = context.supported

        // 2. An image with nothing for the pod's OS.
        let mismatched = context.images.filter { $0.architectures.isEmpty }
        findings += mismatched.map { OSMismatchRule.finding(context, image: $0) }
        let judgesSupport = mismatched.isEmpty

        // 3. The owner's annotation asks for what the images or the cluster cannot give.
        if judgesSupport, let annotated = context.annotatedArchitectures, !annotated.isSubset(of: supported) {
            findings.append(ConstraintConflictRule.annotationFinding(context, annotated: annotated))
        }

        if !context.constraints.isConstrained {
            // 4. Unconstrained.
            if supported.isEmpty {
                if judgesSupport { findings.append(NoCommonArchitectureRule.finding(context)) }
            } else if let desired = context.desired, desired != context.cluster {
                findings.append(context.workload.isDaemonSet
                    ? DaemonSetArchitectureGapRule.finding(context, desired: desired)
                    : MissingArchitectureConstraintRule.finding(context, desired: desired))
            }
        } else {
            // 5. Constrained.
            let allowed = context.allowed
            let location = ConstraintLocation.locate(in: context.constraints, cluster: context.cluster, supported: supported)
            if allowed.isEmpty {
                findings.append(context.workload.isDaemonSet
                    ? DaemonSetPartialCoverageRule.noArchitectureFinding(context)
                    : ConstraintConflictRule.noArchitectureFinding(context, location: location))
            } else if supported.isEmpty {
                if judgesSupport { findings.append(NoCommonArchitectureRule.finding(context)) }
            } else if !allowed.isSubset(of: supported) {
                findings.append(ConstraintConflictRule.unsupportedFinding(context, location: location))
            } else if context.workload.isDaemonSet, allowed != context.cluster {
                findings.append(DaemonSetPartialCoverageRule.partialFinding(context))
            }
        }

        // 6. A constraint kubearch wrote that no longer says D.
        if let desired = context.desired,
           let stale = managed.first(where: { $0.operator != .in || Set($0.values) != desired }) {
            findings.append(ConstraintOutOfDateRule.finding(context, expression: stale, desired: desired))
        }
        return findings
    }

    /// Applies severities and `kubearch.dev/ignore`, then plans the fix for what is left.
    private func report(_ findings: [Finding], into evaluation: inout WorkloadEvaluation, context: EvaluationContext?) {
        evaluation.findings = settings.apply(to: findings, annotations: evaluation.workload.annotations)
        let fixed = evaluation.findings.filter(\.fixable).map(\.rule)
        guard let desired = context?.desired else { return }
        var preferred: String?
        if settings.strategy == .prefer, desired.count > 1, desired.contains(settings.preferredArchitecture) {
            preferred = settings.preferredArchitecture
        }
        if !fixed.isEmpty {
            evaluation.fixPlan = FixPlan(architectures: desired.sorted(), preferredArchitecture: preferred, fixes: fixed)
        } else if let preferred, evaluation.findings.isEmpty {
            // Under `prefer` a workload with nothing wrong still gets its preferred term; an empty
            // required set tells the editor to add only that (it does nothing when the term is there).
            evaluation.fixPlan = FixPlan(architectures: [], preferredArchitecture: preferred, fixes: [])
        }
    }

    /// The severity-adjusted scanner findings of a file (KA008, KA010). `kubearch.dev/ignore` applies
    /// to a finding inside a workload the scanner still found (a bad image in one container);
    /// file-level findings, and objects too broken to be workloads, only get severities.
    public func scannerFindings(of file: ScannedFile) -> [Finding] {
        file.findings.compactMap { finding in
            let owner = file.workloads.first { workload in
                finding.object != nil && workload.object == finding.object
                    && (workload.objectNode.start.line...workload.objectNode.end.line).contains(finding.line)
            }
            return settings.apply(to: [finding], annotations: owner?.annotations ?? [:]).first
        }
    }

    /// A pod that names its node bypasses the scheduler, so its constraints do not matter.
    public static func namesItsNode(_ workload: Workload) -> Bool {
        guard let nodeName = workload.podSpec["nodeName"], !nodeName.isNull, let name = nodeName.scalar else { return false }
        return !name.isEmpty
    }
}
