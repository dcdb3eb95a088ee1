/// The values of `--format` for `check`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text
    case json
    case sarif
    case github

    /// The reporter for this format. `colour` matters only for `text` (the CLI passes true on a TTY
    /// without `NO_COLOR`); `toolVersion` only for `sarif`.
    public func makeReporter(colour: Bool, toolVersion: String) -> any Reporter {
        switch self {
        case .text: TextReporter(colour: colour)
        case .json: JSONReporter()
        case .sarif: SARIFReporter(toolVersion: toolVersion)
        case .github: GitHubReporter()
        }
    }
}
