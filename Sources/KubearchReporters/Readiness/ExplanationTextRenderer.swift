import KubearchCore

/// `kubearch explain`'s text: images as written → canonical → digest and platforms, the sets of
/// SPEC §4, each rule's verdict and reason, then the edit `fix` would make.
public struct ExplanationTextRenderer: Sendable {
    /// A workload as a kustomize root renders it: where its source document is, and the text that
    /// decided each image (in the explanation's image order).
    public struct Rendering: Sendable {
        public var kustomization: String
        public var file: String
        public var line: Int
        public var imageSources: [String?]

        public init(kustomization: String, file: String, line: Int, imageSources: [String?]) {
            self.kustomization = kustomization
            self.file = file
            self.line = line
            self.imageSources = imageSources
        }
    }

    public init() {}

    public func render(_ explanation: WorkloadExplanation, rendering: Rendering? = nil, fixDiff: String?, fixFailure: String?) -> String {
        let evaluation = explanation.evaluation
        let workload = evaluation.workload
        let list = { (set: Set<String>?) -> String in set.map { "[" + $0.sorted().joined(separator: ", ") + "]" } ?? "unknown (an image is unresolved)" }
        let place = rendering.map { "\($0.file):\($0.line) as kustomization \($0.kustomization) renders it" } ?? "\(workload.file):\(workload.kindPosition.line)"
        var out = "\(ReportFigures.name(workload.object)) at \(place) (pod spec `\(workload.podSpecPathDescription)`, \(evaluation.os) pod)\n\n"
        out += "Images:\n"
        if explanation.images.isEmpty { out += "  (none)\n" }
        for (index, image) in explanation.images.enumerated() {
            let role = image.isInitContainer ? "init container" : "container"
            let source = rendering.flatMap { $0.imageSources.indices.contains(index) ? $0.imageSources[index] : nil }.map { " (set at \($0))" } ?? ""
            out += "  \(role) \(image.container ?? "(unnamed)"): \(image.reference)\(source)\n"
            out += "    → \(image.canonical ?? "(invalid reference)")\n"
            if let reason = image.unresolvedReason {
                out += "    → unresolved: \(reason)\n"
            } else {
                out += "    → \(image.digest ?? "(no digest)") from \(image.source)\n"
                out += "      platforms: \((image.platforms ?? []).map(\.description).joined(separator: ", "))\n"
            }
        }
        out += "\nSets (SPEC §4):\n"
        out += "  I (architectures every image has for \(evaluation.os)): \(list(explanation.imageArchitectures))\n"
        out += "  C (the cluster's \(evaluation.os) architectures):      \(list(evaluation.cluster))\n"
        out += "  S = I ∩ C:                                   \(list(evaluation.supported))\n"
        out += "  A (allowed by the pod's constraints):         \(list(evaluation.allowed))\(explanation.isConstrained ? "" : " (no architecture constraint)")\n"
        out += "  D (what fix would constrain it to):           \(evaluation.desired.map { list($0) } ?? "none")\n"
        out += "\nRules:\n"
        for verdict in explanation.verdicts {
            let label = "\(verdict.rule.rawValue) \(verdict.rule.name)"
            if !verdict.findings.isEmpty {
                for finding in verdict.findings {
                    out += "  fired    \(label) (\(finding.severity.rawValue), \(rendering == nil ? "line " : "\(finding.file):")\(finding.line)): \(finding.message)\n"
                }
            } else if let silenced = verdict.silenced {
                out += "  silenced \(label): would report \"\(silenced.message)\" but is off in the configuration or ignored by kubearch.dev/ignore\n"
            } else {
                out += "  no       \(label): \(verdict.reason)\n"
            }
        }
        out += "\nFix:\n"
        if let fixFailure {
            out += "  fix would not change this workload: \(fixFailure)\n"
        } else if let fixDiff, !fixDiff.isEmpty {
            out += fixDiff
        } else {
            out += "  nothing to change\n"
        }
        return out
    }
}
