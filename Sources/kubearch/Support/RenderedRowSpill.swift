import KubearchCore
import KubearchReporters

/// The workload rows of a JSON report, rendered by the workers that judged their files and kept in
/// a `SpillBuffer` until the findings are written: rows follow the findings in the document, so
/// they are the one part of it that must wait for the end of the run. As JSON they are about 1 KB
/// each (19 MB for 20,000 rows, which held in memory would double a run's peak); as compact values
/// they had to be encoded, decoded and rendered again at the end.
final class RenderedRowSpill: RenderedJSONRows, @unchecked Sendable {
    private let buffer = SpillBuffer()
    private(set) var count = 0

    /// Rows from `JSONReporter.renderRows`, in report order.
    func append(rendered bytes: [UInt8], rows: Int) {
        guard rows > 0 else { return }
        // The array's first element has no separator before it.
        buffer.append(count == 0 && bytes.first == UInt8(ascii: ",") ? bytes.dropFirst() : bytes[...])
        count += rows
    }

    func forEachPiece(_ body: (UnsafeRawBufferPointer) -> Void) {
        buffer.forEachPiece(body)
    }
}
