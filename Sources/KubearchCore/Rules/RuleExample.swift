/// A manifest that documents a rule: it either triggers the rule (at `line`) or must not.
/// The test suite runs every example through the scanner and the evaluator.
public struct RuleExample: Sendable, CustomStringConvertible {
    public var yaml: String
    /// Platforms (`os/arch[/variant]`) of each image reference as written in `yaml`. An image
    /// missing from this map is unresolved.
    public var images: [String: [String]]
    public var settings: PolicySettings
    public var triggers: Bool
    /// 1-based line the finding points at, when the example triggers.
    public var line: Int?
    /// `yaml` is a `kustomization.yaml` rendered as a root (KA011), not a manifest: the kustomize
    /// layer's tests run these examples.
    public var isKustomization = false

    public init(_ yaml: String, images: [String: [String]] = [:], settings: PolicySettings = PolicySettings(), triggers: Bool, line: Int? = nil) {
        self.yaml = yaml
        self.images = images
        self.settings = settings
        self.triggers = triggers
        self.line = line
    }

    /// An example that reports the rule at `line`.
    public static func triggering(line: Int, _ yaml: String, images: [String: [String]] = [:], settings: PolicySettings = PolicySettings()) -> RuleExample {
        RuleExample(yaml, images: images, settings: settings, triggers: true, line: line)
    }

    /// An example that must not report the rule.
    public static func passing(_ yaml: String, images: [String: [String]] = [:], settings: PolicySettings = PolicySettings()) -> RuleExample {
        RuleExample(yaml, images: images, settings: settings, triggers: false)
    }

    /// A kustomization that reports the rule at `line` when rendered as a root.
    public static func triggeringKustomization(line: Int, _ yaml: String) -> RuleExample {
        var example = RuleExample(yaml, triggers: true, line: line)
        example.isKustomization = true
        return example
    }

    /// A kustomization that must not report the rule.
    public static func passingKustomization(_ yaml: String) -> RuleExample {
        var example = RuleExample(yaml, triggers: false)
        example.isKustomization = true
        return example
    }

    /// Every finding kubearch reports for this example (scanner and policy, overrides applied).
    public func findings() -> [Finding] {
        let file = ManifestScanner.scan(path: "example.yaml", bytes: Array(yaml.utf8))
        let evaluator = WorkloadEvaluator(settings: settings)
        let evaluations = evaluator.evaluate(file) { image in
            guard let platforms = images[image.reference] else {
                return .unresolved(reason: "not in the example's image table")
            }
            return .resolved(digest: nil, platforms: platforms.compactMap(Platform.init(parsing:)))
        }
        return evaluator.scannerFindings(of: file) + evaluations.flatMap(\.findings)
    }

    public var description: String {
        let first = yaml.split(separator: "\n").first { $0.contains("name:") }.map(String.init) ?? ""
        return (triggers ? "triggers at line \(line ?? 0)" : "passes") + ": " + first.drop(while: \.isWhitespace)
    }
}
