import KubearchCore

/// The longer documentation of each rule that SARIF viewers (GitHub code scanning) show beside an
/// alert. `RuleID.summary` stays the one-sentence description; this adds a title, what to do about
/// it, and tags.
struct RuleHelp: Sendable {
    /// A few words, shown as the alert's title.
    var title: String
    /// What to do, as plain text.
    var remedy: String
    /// The same advice in Markdown.
    var remedyMarkdown: String
    var tags: [String]

    /// The full help text: the rule's summary, then the remedy.
    func text(for rule: RuleID) -> String {
        "\(rule.summary) \(remedy)"
    }

    func markdown(for rule: RuleID) -> String {
        "**\(rule.rawValue) \(rule.name)**\n\n\(rule.summary)\n\n\(remedyMarkdown)"
    }

    static func help(for rule: RuleID) -> RuleHelp {
        switch rule {
        case .noCommonArchitecture:
            RuleHelp(
                title: "No common architecture",
                remedy: "Use images that are published for at least one architecture the cluster has, or add nodes of an architecture all of them support.",
                remedyMarkdown: "Use images that are published for at least one architecture the cluster has (check with `kubearch inspect IMAGE`), or add nodes of an architecture all of them support.",
                tags: ["kubernetes", "architecture", "reliability"]
            )
        case .daemonSetArchitectureGap:
            RuleHelp(
                title: "DaemonSet architecture gap",
                remedy: "Run kubearch fix to add a kubernetes.io/arch node affinity, or use multi-architecture images.",
                remedyMarkdown: "Run `kubearch fix` to add a `kubernetes.io/arch` node affinity, or use multi-architecture images so the DaemonSet covers every node.",
                tags: ["kubernetes", "architecture", "daemonset", "reliability"]
            )
        case .constraintConflict:
            RuleHelp(
                title: "Architecture constraint conflict",
                remedy: "Narrow the nodeSelector or node affinity to architectures the images support; kubearch fix does this for affinity constraints.",
                remedyMarkdown: "Narrow the `nodeSelector` or node affinity to architectures the images support. `kubearch fix` narrows affinity constraints; a `nodeSelector` must be changed by hand.",
                tags: ["kubernetes", "architecture", "reliability"]
            )
        case .missingArchitectureConstraint:
            RuleHelp(
                title: "Missing architecture constraint",
                remedy: "Run kubearch fix to add a kubernetes.io/arch node affinity, or use multi-architecture images.",
                remedyMarkdown: "Run `kubearch fix` to add a `kubernetes.io/arch` node affinity, or use multi-architecture images.",
                tags: ["kubernetes", "architecture", "reliability"]
            )
        case .unresolvedImage:
            RuleHelp(
                title: "Unresolved image",
                remedy: "Check the reference and the registry credentials, or run kubearch lock while online so the lockfile records the image.",
                remedyMarkdown: "Check the reference and the registry credentials, or run `kubearch lock` while online so `kubearch.lock` records the image.",
                tags: ["kubernetes", "image", "registry"]
            )
        case .osMismatch:
            RuleHelp(
                title: "Image OS mismatch",
                remedy: "Use an image built for the pod's operating system, or correct the pod's kubernetes.io/os constraint.",
                remedyMarkdown: "Use an image built for the pod's operating system, or correct the pod's `kubernetes.io/os` constraint.",
                tags: ["kubernetes", "image", "os"]
            )
        case .constraintOutOfDate:
            RuleHelp(
                title: "Architecture constraint out of date",
                remedy: "Run kubearch fix to rewrite the constraint it added earlier.",
                remedyMarkdown: "Run `kubearch fix` to rewrite the constraint it added earlier (marked `# managed by kubearch`).",
                tags: ["kubernetes", "architecture", "maintainability"]
            )
        case .invalidManifest:
            RuleHelp(
                title: "Invalid manifest",
                remedy: "Correct the YAML syntax or the field's type at the reported position.",
                remedyMarkdown: "Correct the YAML syntax or the field's type at the reported position.",
                tags: ["kubernetes", "correctness"]
            )
        case .daemonSetPartialCoverage:
            RuleHelp(
                title: "DaemonSet partial coverage",
                remedy: "Nothing is wrong if this is intended; otherwise use multi-architecture images and widen the constraint.",
                remedyMarkdown: "Nothing is wrong if this is intended; otherwise use multi-architecture images and widen the constraint.",
                tags: ["kubernetes", "architecture", "daemonset"]
            )
        case .templateSkipped:
            RuleHelp(
                title: "Template skipped",
                remedy: "Render the template (helm template, kustomize build) and check the output instead, or exclude the folder in .kubearch.yaml.",
                remedyMarkdown: "Render the template (`helm template`, `kustomize build`) and check the output instead, or exclude the folder in `.kubearch.yaml`.",
                tags: ["kubernetes", "template"]
            )
        case .kustomizationUnsupported:
            RuleHelp(
                title: "Kustomization not renderable offline",
                remedy: "Vendor the remote resource or rendered chart into the repository, or exclude the root in .kubearch.yaml; the root is not judged until then.",
                remedyMarkdown: "Vendor the remote resource or rendered chart into the repository, or exclude the root in `.kubearch.yaml`; the root is not judged until then.",
                tags: ["kubernetes", "kustomize"]
            )
        }
    }
}
