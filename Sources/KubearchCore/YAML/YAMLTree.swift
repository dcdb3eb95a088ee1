/// The nodes of one parsed stream, stored flat: one fixed-size record per node in an array, the
/// children of each collection as a run of record indexes, scalar values in one array of strings.
///
/// A `YAMLNode` is an index into this storage. Building a file's tree therefore costs a handful of
/// array growths instead of an allocation (and reference counting) per node, and reading it walks
/// contiguous memory. The storage is immutable once parsed, so nodes can be shared across threads.
public final class YAMLTree: Sendable {
    enum Kind: UInt8 {
        case scalar, sequence, mapping, alias
    }

    /// One node. Positions are 32-bit: the parser refuses input of 4 GiB or more.
    struct Record {
        var kind: Kind
        /// `ScalarStyle` for scalars, `CollectionStyle` for collections.
        var style: UInt8
        var startOffset: UInt32
        var startLine: UInt32
        var startColumn: UInt32
        var endOffset: UInt32
        var endLine: UInt32
        var endColumn: UInt32
        /// Scalar: index into `scalars`. Collection: first index into `children`. Alias: the target's
        /// record index.
        var payload: Int32
        /// Collection: entries in `children` (a mapping's are key, value, key, value, ...). Alias:
        /// index into `scalars` of its anchor name.
        var count: Int32
        /// Index into `decorations` of the node's tag and anchor; -1 when it has neither (most nodes).
        var decoration: Int32

        var start: SourcePosition {
            SourcePosition(offset: Int(startOffset), line: Int(startLine), column: Int(startColumn))
        }

        var end: SourcePosition {
            SourcePosition(offset: Int(endOffset), line: Int(endLine), column: Int(endColumn))
        }
    }

    struct Decoration {
        var tag: String?
        var anchor: String?
    }

    let records: [Record]
    let children: [Int32]
    let scalars: [String]
    let decorations: [Decoration]

    init(records: [Record], children: [Int32], scalars: [String], decorations: [Decoration]) {
        self.records = records
        self.children = children
        self.scalars = scalars
        self.decorations = decorations
    }

    /// No nodes: what empty `Items` and `Pairs` views point into.
    static let empty = YAMLTree(records: [], children: [], scalars: [], decorations: [])

    /// A tree holding only an empty block mapping at `position` (an object that has no fields yet).
    static func emptyMapping(at position: SourcePosition) -> YAMLTree {
        let offset = UInt32(clamping: position.offset)
        let line = UInt32(clamping: position.line)
        let column = UInt32(clamping: position.column)
        let record = Record(
            kind: .mapping, style: CollectionStyle.block.rawValue, startOffset: offset, startLine: line,
            startColumn: column, endOffset: offset, endLine: line, endColumn: column, payload: 0, count: 0,
            decoration: -1)
        return YAMLTree(records: [record], children: [], scalars: [], decorations: [])
    }
}

extension ScalarStyle {
    var rawValue: UInt8 {
        switch self {
        case .plain: 0
        case .singleQuoted: 1
        case .doubleQuoted: 2
        case .literal: 3
        case .folded: 4
        }
    }

    init(rawValue: UInt8) {
        switch rawValue {
        case 1: self = .singleQuoted
        case 2: self = .doubleQuoted
        case 3: self = .literal
        case 4: self = .folded
        default: self = .plain
        }
    }
}

extension CollectionStyle {
    var rawValue: UInt8 { self == .block ? 0 : 1 }

    init(rawValue: UInt8) {
        self = rawValue == 0 ? .block : .flow
    }
}
