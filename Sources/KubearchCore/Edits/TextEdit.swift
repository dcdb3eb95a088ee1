/// A replacement of a byte range of a file. An empty range is an insertion.
public struct TextEdit: Sendable, Hashable {
    public var range: Range<Int>
    public var replacement: [UInt8]

    public init(range: Range<Int>, replacement: [UInt8]) {
        self.range = range
        self.replacement = replacement
    }

    public init(insert text: String, at offset: Int) {
        self.init(range: offset..<offset, replacement: Array(text.utf8))
    }

    public init(replacing range: Range<Int>, with text: String) {
        self.init(range: range, replacement: Array(text.utf8))
    }

    /// Applies `edits` to `bytes`, from the last to the first so earlier offsets stay valid.
    ///
    /// Identical edits count once. Edits that share a byte, or two different insertions at the same
    /// offset (whose order would be a guess), are rejected rather than merged.
    public static func apply(_ edits: [TextEdit], to bytes: [UInt8]) throws(FixError) -> [UInt8] {
        var unique: [TextEdit] = []
        for edit in edits where !unique.contains(edit) { unique.append(edit) }
        let sorted = unique.sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        for (previous, next) in zip(sorted, sorted.dropFirst()) {
            let sameInsertionPoint = previous.range.isEmpty && next.range.isEmpty && previous.range.lowerBound == next.range.lowerBound
            if previous.range.upperBound > next.range.lowerBound || sameInsertionPoint {
                throw .overlappingEdits(first: previous.range, second: next.range)
            }
        }
        var result = bytes
        for edit in sorted.reversed() {
            guard edit.range.lowerBound >= 0, edit.range.upperBound <= result.count else {
                throw .editOutOfBounds(edit.range)
            }
            result.replaceSubrange(edit.range, with: edit.replacement)
        }
        return result
    }
}
