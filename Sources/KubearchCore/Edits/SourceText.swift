/// Byte-level questions about the text around a node: where its line starts and ends, how it is
/// indented. Works on the raw bytes, so CRLF and a BOM are seen as they are.
public struct SourceText {
    let bytes: [UInt8]
    /// 3 after a UTF-8 BOM: the first line's text starts there.
    let textStart: Int

    public init(bytes: [UInt8], hasBOM: Bool) {
        self.bytes = bytes
        self.textStart = hasBOM ? 3 : 0
    }

    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    func isBlank(_ byte: UInt8) -> Bool { byte == Self.space || byte == Self.tab }

    /// The offset where the line holding `offset` starts.
    public func lineStart(of offset: Int) -> Int {
        var index = min(offset, bytes.count)
        while index > textStart && bytes[index - 1] != Self.newline { index -= 1 }
        return index
    }

    /// The offset of the line break (`\r\n` or `\n`) that ends the line holding `offset`, or the end
    /// of the file when the line has none.
    func lineBreak(from offset: Int) -> Int {
        var index = offset
        while index < bytes.count && bytes[index] != Self.newline { index += 1 }
        if index < bytes.count && index > offset && bytes[index - 1] == Self.carriageReturn { return index - 1 }
        return index
    }

    /// Just after the line break that ends the line holding `offset`; nil when that line is the last
    /// one and has no break.
    public func nextLineStart(from offset: Int) -> Int? {
        if offset > textStart && offset <= bytes.count && bytes[offset - 1] == Self.newline { return offset }
        var index = offset
        while index < bytes.count && bytes[index] != Self.newline { index += 1 }
        return index < bytes.count ? index + 1 : nil
    }

    /// How many blanks start the line holding `offset`.
    func indentation(ofLineAt offset: Int) -> Int {
        var index = lineStart(of: offset)
        var count = 0
        while index < bytes.count && bytes[index] == Self.space {
            index += 1
            count += 1
        }
        return count
    }

    /// The column (0-based, in bytes) of `offset` on its line.
    func column(of offset: Int) -> Int { offset - lineStart(of: offset) }

    /// The first offset at or after `offset` holding `byte`, before `limit`.
    func firstIndex(of byte: UInt8, from offset: Int, before limit: Int) -> Int? {
        var index = offset
        while index < min(limit, bytes.count) {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }
}
