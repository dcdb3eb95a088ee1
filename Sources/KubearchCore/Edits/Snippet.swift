/// A small YAML value that `fix` writes into a manifest, before it is given a style.
indirect enum Snippet: Sendable, Hashable {
    case string(String)
    case integer(Int)
    /// A list of strings, always written in flow style (`values: [amd64, arm64]`) outside JSON.
    case list([String])
    case mapping([SnippetPair])
    case sequence([Snippet])
    /// A node `fix` owns: followed by the `# managed by kubearch` marker (nothing in JSON).
    case managed(Snippet)
}

struct SnippetPair: Sendable, Hashable {
    var key: String
    var value: Snippet

    init(_ key: String, _ value: Snippet) {
        self.key = key
        self.value = value
    }
}

/// The pieces of node affinity `fix` writes (SPEC §6).
enum AffinitySnippets {
    static let required = "requiredDuringSchedulingIgnoredDuringExecution"
    static let preferred = "preferredDuringSchedulingIgnoredDuringExecution"
    static let preferredWeight = 100

    /// `{key: kubernetes.io/arch, operator: In, values: [...]}`, marked as managed.
    static func expression(_ architectures: [String]) -> Snippet {
        .managed(.mapping([
            SnippetPair("key", .string(NodeLabel.architecture)),
            SnippetPair("operator", .string("In")),
            SnippetPair("values", .list(architectures)),
        ]))
    }

    static func term(_ architectures: [String]) -> Snippet {
        .mapping([SnippetPair("matchExpressions", .sequence([expression(architectures)]))])
    }

    static func requiredSelector(_ architectures: [String]) -> Snippet {
        .mapping([SnippetPair("nodeSelectorTerms", .sequence([term(architectures)]))])
    }

    static func preferredEntry(_ architecture: String) -> Snippet {
        .mapping([
            SnippetPair("weight", .integer(preferredWeight)),
            SnippetPair("preference", .mapping([SnippetPair("matchExpressions", .sequence([expression([architecture])]))])),
        ])
    }

    /// The pairs of a new `nodeAffinity` mapping: required first (unless D is empty: a plan for the
    /// preferred term only), then the preferred term if any.
    static func nodeAffinityPairs(_ plan: FixPlan) -> [SnippetPair] {
        var pairs: [SnippetPair] = []
        if !plan.architectures.isEmpty { pairs.append(SnippetPair(required, requiredSelector(plan.architectures))) }
        if let preferredArchitecture = plan.preferredArchitecture {
            pairs.append(SnippetPair(preferred, .sequence([preferredEntry(preferredArchitecture)])))
        }
        return pairs
    }
}
