/// Wording shared by the rules' messages.
enum RuleText {
    /// `[amd64, arm64]`, sorted.
    static func list(_ values: some Sequence<String>) -> String {
        "[" + values.sorted().joined(separator: ", ") + "]"
    }

    /// `amd64` or `amd64, s390x`: architectures in running text.
    static func names(_ values: some Sequence<String>) -> String {
        values.sorted().joined(separator: ", ")
    }

    /// `Deployment web`.
    static func workload(_ workload: Workload) -> String {
        "\(workload.object.kind ?? "object") \(workload.object.name ?? "<unnamed>")"
    }

    /// `image quay.io/x:1 (container app)`.
    static func image(_ image: ContainerImage) -> String {
        let role = image.isInitContainer ? "init container" : "container"
        return "image \(image.reference)" + (image.container.map { " (\(role) \($0))" } ?? "")
    }

    /// `linux/amd64, linux/arm/v7`, or `none` for an empty list.
    static func platforms(_ platforms: [Platform]) -> String {
        platforms.isEmpty ? "none" : platforms.sorted().map(\.description).joined(separator: ", ")
    }

    /// `kubernetes.io/arch In [arm64]`.
    static func expression(_ expression: SelectorExpression) -> String {
        let operatorText: String = switch expression.operator {
        case .in: "In"
        case .notIn: "NotIn"
        case .exists: "Exists"
        case .doesNotExist: "DoesNotExist"
        case .other(let text): text.isEmpty ? "(no operator)" : text
        }
        let values = expression.values.isEmpty ? "" : " " + list(expression.values)
        return "\(expression.key) \(operatorText)\(values)"
    }

    /// The advice of fixable findings.
    static func addAffinity(_ desired: Set<String>) -> String {
        "add nodeAffinity \(NodeLabel.architecture) In \(list(desired))"
    }
}
