import CYAML

/// The nodes of one parsed stream, stored flat: one fixed-size record per node in an array, the
/// children of each collection as a run of record indexes, scalar values as bytes in one buffer
/// (a `String` is made only for a value that is read; keys are compared as bytes).
///
/// A `YAMLNode` is an index into this storage. Building a file's tree therefore costs a handful of
/// array growths instead of an allocation (and reference counting) per node, and reading it walks
/// contiguous memory. The storage is immutable once parsed, so nodes can be shared across threads.
public final class YAMLTree: Sendable {
    enum Kind: UInt8 {
        case scalar, sequence, mapping, alias
    }

    /// One node. Positions and offsets are 32-bit: the parser refuses input of 2 GiB or more.
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
        /// Scalar: offset of its value in `values`. Collection: first index into `children`. Alias:
        /// the target's record index.
        var payload: Int32
        /// Scalar: length of its value. Collection: entries in `children` (a mapping's are key,
        /// value, key, value, ...). Alias: index into `aliasNames`.
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
    let values: [UInt8]
    let aliasNames: [String]
    let decorations: [Decoration]

    init(records: [Record], children: [Int32], values: [UInt8], aliasNames: [String], decorations: [Decoration]) {
        self.records = records
        self.children = children
        self.values = values
        self.aliasNames = aliasNames
        self.decorations = decorations
    }

    /// The value of a scalar record as text.
    func text(of record: Record) -> String {
        Self.text(of: record, in: values)
    }

    /// Whether any node of the stream is a flow mapping written on more than one line (one pass
    /// over the records).
    var hasMultiLineFlowMapping: Bool {
        records.contains { $0.kind == .mapping && $0.style == CollectionStyle.flow.rawValue && $0.startLine != $0.endLine }
    }

    /// Whether a scalar record's value is exactly `bytes`.
    func value(of record: Record, equals bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        Self.value(of: record, in: values, equals: bytes)
    }

    // The rules below take the value buffer rather than a tree: the parser applies them while it
    // is still filling the buffer.

    /// The value of a scalar record in `values`, as text.
    static func text(of record: Record, in values: [UInt8]) -> String {
        values.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(record.payload)..<Int(record.payload + record.count)]), as: UTF8.self)
        }
    }

    /// Whether a scalar record's value in `values` is exactly `bytes` (byte for byte: Swift's `==`
    /// equates canonically equivalent strings, which Kubernetes' decoder does not).
    static func value(of record: Record, in values: [UInt8], equals bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(record.count) == bytes.count else { return false }
        guard let other = bytes.baseAddress, bytes.count > 0 else { return true }
        return values.withUnsafeBufferPointer { buffer in
            memcmp(buffer.baseAddress! + Int(record.payload), other, bytes.count) == 0
        }
    }

    /// Whether two scalar records of `values` hold the same value, byte for byte.
    static func sameValue(_ one: Record, _ other: Record, in values: [UInt8]) -> Bool {
        values.withUnsafeBufferPointer { buffer in
            value(of: one, in: values, equals: UnsafeBufferPointer(rebasing: buffer[Int(other.payload)..<Int(other.payload + other.count)]))
        }
    }

    /// A `<<` merge key: the plain scalar `<<` (a quoted "<<" is an ordinary key).
    static func isMergeKey(plain: Bool, value: UnsafeBufferPointer<UInt8>) -> Bool {
        plain && value.count == 2 && value[0] == UInt8(ascii: "<") && value[1] == UInt8(ascii: "<")
    }

    /// Whether a record of `values` is a merge key.
    static func isMergeKey(_ record: Record, in values: [UInt8]) -> Bool {
        guard record.kind == .scalar else { return false }
        return values.withUnsafeBufferPointer { buffer in
            isMergeKey(
                plain: record.style == ScalarStyle.plain.rawValue,
                value: UnsafeBufferPointer(rebasing: buffer[Int(record.payload)..<Int(record.payload + record.count)]))
        }
    }

    /// Whether a scalar record's value is the text `string`.
    func value(of record: Record, equals string: String) -> Bool {
        // Cheap refusals first: most comparisons are of keys with different lengths.
        guard Int(record.count) == string.utf8.count else { return false }
        var string = string
        return string.withUTF8 { value(of: record, equals: $0) }
    }

    /// No nodes: what empty `Items` and `Pairs` views point into.
    static let empty = YAMLTree(records: [], children: [], values: [], aliasNames: [], decorations: [])

    /// A tree holding only an empty block mapping at `position` (an object that has no fields yet).
    static func emptyMapping(at position: SourcePosition) -> YAMLTree {
        let offset = UInt32(clamping: position.offset)
        let line = UInt32(clamping: position.line)
        let column = UInt32(clamping: position.column)
        let record = Record(
            kind: .mapping, style: CollectionStyle.block.rawValue, startOffset: offset, startLine: line,
            startColumn: column, endOffset: offset, endLine: line, endColumn: column, payload: 0, count: 0,
            decoration: -1)
        return YAMLTree(records: [record], children: [], values: [], aliasNames: [], decorations: [])
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
