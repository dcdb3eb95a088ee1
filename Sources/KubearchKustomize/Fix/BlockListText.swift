import KubearchCore

/// Where things are in the text of a block list kubearch appends to: a kustomization's `patches:`
/// (`PatchesListEdit`) and a GitOps object's own patches (`ObjectPatchesEdit`).
enum BlockListText {
    /// Where an item's text really ends: the end of its last scalar (a collection's end mark can
    /// lie lines further down, after comments about what follows).
    static func lastScalarEnd(_ node: YAMLNode) -> Int {
        switch node.content {
        case .mapping(let pairs, .block): pairs.last.map { lastScalarEnd($0.value) } ?? node.range.end.offset
        case .sequence(let items, .block): items.last.map(lastScalarEnd) ?? node.range.end.offset
        default: node.range.end.offset
        }
    }

    /// The offset just after the line break that ends the line holding `offset` (a trailing comment
    /// stays on its line), or the end of the text.
    static func lineEnd(after offset: Int, in bytes: [UInt8]) -> Int {
        SourceText(bytes: bytes, hasBOM: false).nextLineStart(from: offset) ?? bytes.count
    }

    static func lineStart(of offset: Int, in bytes: [UInt8]) -> Int {
        SourceText(bytes: bytes, hasBOM: false).lineStart(of: offset)
    }

    /// The column (from 0) of the `-` that starts a block list item.
    static func dashColumn(of item: YAMLNode, in bytes: [UInt8]) -> Int {
        let start = lineStart(of: item.start.offset, in: bytes)
        var index = start
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { return index - start }
        return max(0, item.start.column - 3)
    }
}
