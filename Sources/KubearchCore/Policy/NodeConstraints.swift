/// The node label keys kubearch reads and writes.
public enum NodeLabel {
    public static let architecture = "kubernetes.io/arch"
    public static let betaArchitecture = "beta.kubernetes.io/arch"
    public static let operatingSystem = "kubernetes.io/os"
    public static let betaOperatingSystem = "beta.kubernetes.io/os"

    public static func isArchitecture(_ key: String) -> Bool { key == architecture || key == betaArchitecture }
    public static func isOperatingSystem(_ key: String) -> Bool { key == operatingSystem || key == betaOperatingSystem }
}

public enum SelectorOperator: Sendable, Hashable {
    case `in`, notIn, exists, doesNotExist, other(String)

    init(_ text: String) {
        switch text {
        case "In": self = .in
        case "NotIn": self = .notIn
        case "Exists": self = .exists
        case "DoesNotExist": self = .doesNotExist
        default: self = .other(text)
        }
    }
}

/// One `matchExpressions` entry of a node selector term.
public struct SelectorExpression: Sendable {
    public var key: String
    public var `operator`: SelectorOperator
    public var values: [String]
    /// The expression's mapping node.
    public var node: YAMLNode
    /// Written by an earlier `fix` (see `ManagedMarker`).
    public var isManaged: Bool

    /// What this expression lets through out of `candidates` (label values).
    public func filter(_ candidates: Set<String>) -> Set<String> {
        switch self.operator {
        case .in: candidates.intersection(values)
        case .notIn: candidates.subtracting(values)
        case .exists: candidates
        case .doesNotExist, .other: []
        }
    }
}

/// One entry of `nodeSelectorTerms`.
public struct SelectorTerm: Sendable {
    public var node: YAMLNode
    public var expressions: [SelectorExpression]

    public var architectureExpressions: [SelectorExpression] { expressions.filter { NodeLabel.isArchitecture($0.key) } }

    /// The architectures out of `cluster` that this term lets a pod land on. A term with no arch
    /// expression allows all of them (SPEC §4).
    public func allowedArchitectures(within cluster: Set<String>) -> Set<String> {
        architectureExpressions.reduce(cluster) { $1.filter($0) }
    }
}

/// What a pod spec says about the nodes it may land on, as far as architecture and OS go.
public struct NodeConstraints: Sendable {
    /// `nodeSelector` entry for `kubernetes.io/arch` (or the beta key): its value and node.
    public var selectorArchitecture: (key: String, value: String, node: YAMLNode)?
    public var selectorOperatingSystem: String?
    /// `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, in order.
    public var requiredTerms: [SelectorTerm]

    public init(podSpec: YAMLNode, source: [UInt8]) {
        var architecture: (key: String, value: String, node: YAMLNode)?
        var operatingSystem: String?
        for pair in podSpec["nodeSelector"]?.pairs ?? [] {
            guard let key = pair.key.scalar else { continue }
            if NodeLabel.isArchitecture(key), let value = pair.value.scalar, architecture == nil || key == NodeLabel.architecture {
                architecture = (key, value, pair.value)
            } else if NodeLabel.isOperatingSystem(key), let value = pair.value.scalar {
                operatingSystem = value
            }
        }
        selectorArchitecture = architecture
        selectorOperatingSystem = operatingSystem
        let terms = podSpec.value(at: ["affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"])?.sequence ?? []
        requiredTerms = terms.map { term in
            let expressions = (term["matchExpressions"]?.sequence ?? []).compactMap { expression -> SelectorExpression? in
                guard let key = expression["key"]?.scalar else { return nil }
                let values = expression["values"]?.sequence?.compactMap(\.scalar) ?? []
                return SelectorExpression(
                    key: key, operator: SelectorOperator(expression["operator"]?.scalar ?? ""), values: values,
                    node: expression, isManaged: ManagedMarker.isManaged(expression, in: source))
            }
            return SelectorTerm(node: term, expressions: expressions)
        }
    }

    /// Constrained: the nodeSelector or any required term has an architecture key (SPEC §4).
    public var isConstrained: Bool {
        selectorArchitecture != nil || requiredTerms.contains { !$0.architectureExpressions.isEmpty }
    }

    /// `windows` when the nodeSelector or a required term says `kubernetes.io/os` is windows.
    public var operatingSystem: String {
        if selectorOperatingSystem == "windows" { return "windows" }
        let windowsTerm = requiredTerms.contains { term in
            term.expressions.contains { NodeLabel.isOperatingSystem($0.key) && $0.operator == .in && $0.values.contains("windows") }
        }
        return windowsTerm ? "windows" : "linux"
    }

    /// A: the cluster architectures the constraints allow (terms ORed, expressions ANDed).
    public func allowedArchitectures(within cluster: Set<String>) -> Set<String> {
        var allowed = cluster
        if let selector = selectorArchitecture { allowed = allowed.intersection([selector.value]) }
        if !requiredTerms.isEmpty {
            let union = requiredTerms.reduce(into: Set<String>()) { $0.formUnion($1.allowedArchitectures(within: cluster)) }
            allowed = allowed.intersection(union)
        }
        return allowed
    }

    /// Every architecture expression `fix` wrote earlier.
    public var managedExpressions: [SelectorExpression] {
        requiredTerms.flatMap(\.architectureExpressions).filter(\.isManaged)
    }
}
