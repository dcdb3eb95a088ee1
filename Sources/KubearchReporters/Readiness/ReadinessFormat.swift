import KubearchCore

/// The values of `report --format`.
public enum ReadinessFormat: String, Sendable, CaseIterable {
    case markdown
    case json
    case html

    public func render(_ report: ReadinessReport) -> String {
        switch self {
        case .markdown: ReadinessMarkdownRenderer().render(report)
        case .json: ReadinessJSONRenderer().render(report)
        case .html: ReadinessHTMLRenderer().render(report)
        }
    }
}
