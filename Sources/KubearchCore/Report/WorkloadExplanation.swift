/// Why one workload is judged as it is (`kubearch explain`, SPEC §12): its images from as written to
/// platforms, the sets of SPEC §4, and each rule with whether it fired and why. The verdicts are the
/// evaluator's own (nothing here decides a rule); the reasons given for rules that did not fire
/// restate the facts the evaluator worked from.
public struct WorkloadExplanation: Sendable {
    public struct Image: Sendable {
        public var container: String?
        public var isInitContainer: Bool
        public var reference: String
        public var canonical: String?
        public var digest: String?
        public var platforms: [Platform]?
        /// `lockfile PATH` or `registry`; the reason when unresolved.
        public var source: String
        public var unresolvedReason: String?
    }

    public struct Verdict: Sendable {
        public var rule: RuleID
        /// The findings it reported (after severities and `kubearch.dev/ignore`).
        public var findings: [Finding]
        /// Set when the rule would have fired but is turned off or ignored.
        public var silenced: Finding?
        /// Why it did not fire (empty when it fired).
        public var reason: String
    }

    public var evaluation: WorkloadEvaluation
    public var images: [Image]
    /// I: architectures every image has for the pod's OS; nil when an image is unresolved.
    public var imageArchitectures: Set<String>?
    public var isConstrained: Bool
    public var verdicts: [Verdict]

    /// `unsilenced` is the same workload evaluated with default severities and no
    /// `kubearch.dev/ignore`, to tell a rule that did not fire from one that was silenced.
    public init(evaluation: WorkloadEvaluation, unsilenced: WorkloadEvaluation, source: [UInt8], origin: (ContainerImage) -> String) {
        self.evaluation = evaluation
        let workload = evaluation.workload
        images = zip(workload.images, evaluation.resolutions).map { image, resolution in
            var digest: String?
            var platforms: [Platform]?
            var reason: String?
            switch resolution {
            case .resolved(let found, let list):
                digest = found
                platforms = list
            case .unresolved(let why): reason = why
            }
            return Image(
                container: image.container, isInitContainer: image.isInitContainer, reference: image.reference,
                canonical: image.canonicalReference, digest: digest, platforms: platforms,
                source: reason == nil ? origin(image) : "unresolved", unresolvedReason: reason)
        }
        let os = evaluation.os
        if images.contains(where: { $0.platforms == nil }) {
            imageArchitectures = nil
        } else {
            // Not within C: I is what the images run on; a pod without images runs anywhere (I = C).
            let perImage = images.map { Set(($0.platforms ?? []).filter { $0.os == os }.map(\.nodeArchitecture)) }
            imageArchitectures = perImage.first.map { first in perImage.dropFirst().reduce(first) { $0.intersection($1) } } ?? evaluation.cluster
        }
        let constraints = NodeConstraints(podSpec: workload.podSpec, source: source)
        isConstrained = constraints.isConstrained
        let facts = Facts(evaluation: evaluation, constraints: constraints)
        verdicts = Self.explained.map { rule in
            let findings = evaluation.findings.filter { $0.rule == rule }
            let silenced = findings.isEmpty ? unsilenced.findings.first { $0.rule == rule } : nil
            return Verdict(rule: rule, findings: findings, silenced: silenced, reason: findings.isEmpty ? facts.reason(rule) : "")
        }
    }

    /// The policy rules, in the order SPEC §5 applies them.
    static let explained: [RuleID] = [
        .unresolvedImage, .osMismatch, .noCommonArchitecture, .daemonSetArchitectureGap, .missingArchitectureConstraint,
        .constraintConflict, .daemonSetPartialCoverage, .constraintOutOfDate,
    ]

    /// The facts a non-firing rule is explained by.
    struct Facts {
        var evaluation: WorkloadEvaluation
        var constraints: NodeConstraints

        func reason(_ rule: RuleID) -> String {
            let e = evaluation
            if e.isSkipped { return "not judged: the pod names its node (nodeName), so the scheduler never places it" }
            if rule == .unresolvedImage { return "every image resolved" }
            guard let supported = e.supported else { return "not judged: an image is unresolved, and nothing else can be said until it is" }
            let isDaemonSet = e.workload.isDaemonSet
            let annotation = PolicyAnnotation.architectures(in: e.workload.annotations)
            let list = { (set: Set<String>) in "[" + set.sorted().joined(separator: ", ") + "]" }
            switch rule {
            case .osMismatch:
                return "every image has a \(e.os) entry"
            case .noCommonArchitecture:
                return supported.isEmpty ? "S is empty, but for a reason already reported (an image without a \(e.os) entry, or a constraint allowing nothing)" : "S = \(list(supported)) is not empty"
            case .daemonSetArchitectureGap:
                if !isDaemonSet { return "not a DaemonSet" }
                if constraints.isConstrained { return "the DaemonSet has an architecture constraint (judged by KA003/KA009)" }
                return "D = C = \(list(e.cluster)): its images run on every cluster architecture"
            case .missingArchitectureConstraint:
                if isDaemonSet { return "a DaemonSet (KA002 covers it)" }
                if constraints.isConstrained { return "constrained: A = \(list(e.allowed))" }
                if supported.isEmpty { return "S is empty: there is nothing to constrain to" }
                if let desired = e.desired { return desired == e.cluster ? "D = C = \(list(e.cluster)): no constraint needed" : "D = \(list(desired))" }
                return "no D: the annotation \(PolicyAnnotation.architecture) asks for what S lacks"
            case .constraintConflict:
                if let annotation, !annotation.isSubset(of: supported) { return "the annotation's \(list(annotation)) is outside S (reported only when S is judged)" }
                if !constraints.isConstrained { return "no architecture constraint" + (annotation == nil ? "" : "; the annotation's \(list(annotation ?? [])) is within S") }
                return "A = \(list(e.allowed)) is within S = \(list(supported))"
            case .daemonSetPartialCoverage:
                if !isDaemonSet { return "not a DaemonSet" }
                if !constraints.isConstrained { return "the DaemonSet has no architecture constraint" }
                return "A = \(list(e.allowed)) covers C"
            case .constraintOutOfDate:
                return constraints.managedExpressions.isEmpty ? "no constraint written by kubearch fix" : "kubearch's constraint already says D"
            default:
                return ""
            }
        }
    }
}
