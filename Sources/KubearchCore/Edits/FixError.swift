/// Why `fix` left a file (or one workload in it) alone.
public enum FixError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Two edits touch the same bytes; applying both would be ambiguous.
    case overlappingEdits(first: Range<Int>, second: Range<Int>)
    /// An edit reaches past the end of the file.
    case editOutOfBounds(Range<Int>)
    /// The file did not parse (or is a template); nothing in it is edited.
    case unparsableSource(String)
    /// The workload's pod spec or affinity is an alias, an anchored node used elsewhere, or comes
    /// from a `<<` merge: editing it would change other objects too.
    case sharedNode(path: String)
    /// A field on the way to the node affinity has a shape `fix` will not guess about
    /// (a scalar where a mapping belongs, a hand-edited managed expression, ...).
    case unsupportedShape(path: String, reason: String)
    /// The plan asks for no architecture at all.
    case emptyPlan
    /// The edited text, parsed again, is not the old text plus exactly the intended affinity.
    case verificationFailed(String)

    public var description: String {
        switch self {
        case .overlappingEdits(let first, let second):
            "internal error: overlapping edits at bytes \(first.lowerBound)..<\(first.upperBound) and \(second.lowerBound)..<\(second.upperBound)"
        case .editOutOfBounds(let range):
            "internal error: an edit at bytes \(range.lowerBound)..<\(range.upperBound) is outside the file"
        case .unparsableSource(let reason):
            "the file is not valid YAML (\(reason)); fix it by hand first"
        case .sharedNode(let path):
            "`\(path)` is shared through a YAML anchor, alias or merge key; add the node affinity by hand"
        case .unsupportedShape(let path, let reason):
            "`\(path)` \(reason); add the node affinity by hand"
        case .emptyPlan:
            "internal error: a fix plan with no architecture"
        case .verificationFailed(let reason):
            "the edited file did not verify (\(reason)); the file was left unchanged"
        }
    }
}
