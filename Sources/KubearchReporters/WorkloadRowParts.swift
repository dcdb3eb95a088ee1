import KubearchCore

/// Workload rows in parts that can be rendered apart, in order (each part knows how many rows it
/// holds, so a renderer can tell whether rows come before it). A reporter may render them on
/// several threads; read as one sequence they are all the rows in order.
public struct WorkloadRowParts: Sequence, Sendable {
    public struct Part: Sendable {
        public var count: Int
        public var rows: any Sequence<WorkloadReport> & Sendable

        public init(count: Int, rows: any Sequence<WorkloadReport> & Sendable) {
            self.count = count
            self.rows = rows
        }
    }

    public var parts: [Part]
    /// Rows that come before `parts`, already rendered as JSON (`JSONReporter.renderRows`). Only
    /// the JSON reporter reads them; they are not part of the sequence.
    public var renderedAhead: (any RenderedJSONRows)?

    public init(_ parts: [Part], renderedAhead: (any RenderedJSONRows)? = nil) {
        self.parts = parts
        self.renderedAhead = renderedAhead
    }

    public func makeIterator() -> AnyIterator<WorkloadReport> {
        var partIndex = 0
        var current: (any IteratorProtocol<WorkloadReport>)?
        return AnyIterator {
            while partIndex < parts.count {
                if current == nil { current = parts[partIndex].rows.makeIterator() }
                if let row = current?.next() { return row }
                current = nil
                partIndex += 1
            }
            return nil
        }
    }
}

/// Workload rows rendered ahead by `JSONReporter.renderRows` and kept outside the heap until the
/// report's end: their bytes, as the first elements of the `workloads` array (the first row's
/// separator dropped), handed back in pieces cut anywhere, each valid only during `body`.
public protocol RenderedJSONRows: Sendable {
    var count: Int { get }
    func forEachPiece(_ body: (UnsafeRawBufferPointer) -> Void)
}
