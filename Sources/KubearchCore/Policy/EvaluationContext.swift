/// Everything the rules need to word and place a finding about one workload.
struct EvaluationContext: Sendable {
    var workload: Workload
    var settings: PolicySettings
    var operatingSystem: String
    /// C.
    var cluster: Set<String>
    var images: [ResolvedImage]
    /// S.
    var supported: Set<String>
    /// The constraints as `fix` will leave its own expressions (see `replacingManagedValues`).
    var constraints: NodeConstraints
    /// A, computed from `constraints`.
    var allowed: Set<String>
    /// D.
    var desired: Set<String>?
    /// The architectures named by `kubearch.dev/architecture`.
    var annotatedArchitectures: Set<String>?

    func finding(_ rule: RuleID, at position: SourcePosition, message: String, fixable: Bool = false) -> Finding {
        Finding(
            rule: rule, file: workload.file, line: position.line, column: position.column,
            object: workload.object, message: message, fixable: fixable)
    }

    /// Images with no entry for `architecture` on the pod's OS, worded for a message.
    func imagesLacking(_ architecture: String) -> [String] {
        images.filter { !$0.architectures.contains(architecture) }.map {
            "\(RuleText.image($0.image)) has no \(operatingSystem)/\(architecture) entry"
        }
    }

    /// Why the images leave out the cluster architectures not in S, one clause per image and architecture.
    var unsupportedDetail: String {
        cluster.subtracting(supported).sorted().flatMap(imagesLacking).joined(separator: "; ")
    }

    /// Why D is narrower than S: the owner's annotation or the `pin` strategy.
    var desiredReason: String? {
        guard let desired, desired != supported else { return nil }
        if annotatedArchitectures != nil {
            return "annotation \(PolicyAnnotation.architecture) asks for \(RuleText.list(desired))"
        }
        return "strategy \(settings.strategy.rawValue) wants \(RuleText.list(desired))"
    }

    /// "images run only on [arm64] (…) and strategy pin wants [amd64]": why D differs from C.
    var narrowingReason: String {
        var reasons: [String] = []
        if supported != cluster {
            let detail = unsupportedDetail
            reasons.append("images run only on \(RuleText.list(supported))" + (detail.isEmpty ? "" : " (\(detail))"))
        }
        if let reason = desiredReason { reasons.append(reason) }
        return reasons.joined(separator: " and ")
    }

    /// The pod's metadata annotation value node for `key`, for findings about an annotation.
    func annotationPosition(_ key: String) -> SourcePosition? {
        workload.objectNode.value(at: ["metadata", "annotations"])?.pair(forKey: key)?.value.start
    }
}
