import KubearchCore

/// A reporter turns a finished report into the bytes one output format prints.
public protocol Reporter: Sendable {
    func render(_ report: CheckReport) -> String
}
