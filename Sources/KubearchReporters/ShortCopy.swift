/// Copies of the short byte runs a JSON report is made of (keys, names, paths, indentation), eight
/// bytes at a time: `memcpy` and `memset` are calls that cost more than copying a dozen bytes, and
/// a separate pass to look for bytes to escape read every string twice.
enum ShortCopy {
    /// How far past the spaces `spaces(_:at:)` may write: reserve this much more than is kept.
    static let slack = 8

    /// `count` spaces at `target`, in words; up to `slack` bytes after them are overwritten.
    static func spaces(_ count: Int, at target: UnsafeMutablePointer<UInt8>) {
        let raw = UnsafeMutableRawPointer(target)
        var offset = 0
        while offset < count {
            raw.storeBytes(of: 0x2020_2020_2020_2020 as UInt64, toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
    }

    /// Copies `count` bytes; writes nothing past them.
    static func copy(_ source: UnsafePointer<UInt8>, count: Int, to target: UnsafeMutablePointer<UInt8>) {
        _ = copy(source, count: count, to: target, stoppingAtEscapes: false)
    }

    /// Copies `count` bytes unless one needs an escape in a JSON string (a control character, a
    /// quote or a backslash); then returns false, having copied part of them.
    static func copyUnlessEscaped(_ source: UnsafePointer<UInt8>, count: Int, to target: UnsafeMutablePointer<UInt8>) -> Bool {
        copy(source, count: count, to: target, stoppingAtEscapes: true)
    }

    /// Whether any byte needs an escape in a JSON string.
    static func needsEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var offset = 0
        while offset + 8 <= bytes.count {
            if hasEscapedByte(UnsafeRawPointer(base).loadUnaligned(fromByteOffset: offset, as: UInt64.self)) { return true }
            offset += 8
        }
        return bytes[offset...].contains(where: needsEscape)
    }

    private static func copy(_ source: UnsafePointer<UInt8>, count: Int, to target: UnsafeMutablePointer<UInt8>, stoppingAtEscapes: Bool) -> Bool {
        guard count >= 8 else {
            for offset in 0..<count {
                if stoppingAtEscapes, needsEscape(source[offset]) { return false }
                target[offset] = source[offset]
            }
            return true
        }
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        // Whole words, then the last eight bytes again (overlapping the last whole word).
        var offset = 0
        while true {
            let word = from.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            if stoppingAtEscapes, hasEscapedByte(word) { return false }
            to.storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
            if offset == count - 8 { return true }
            offset = min(offset + 8, count - 8)
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Whether one of eight bytes is below 0x20, a quote or a backslash. A byte's high bit is set
    /// in `x &- 0x01…` and clear in `x` exactly when it was zero (bytes at or above 0x80 are
    /// masked by `~word`), so `(x &- ones) & ~x & highs` finds zero bytes of x = word XOR the byte.
    private static func hasEscapedByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- 0x20 &* ones) & ~word & highs
        let quote = word ^ (0x22 &* ones)
        let backslash = word ^ (0x5C &* ones)
        let quotes = (quote &- ones) & ~quote & highs
        let backslashes = (backslash &- ones) & ~backslash & highs
        return control | quotes | backslashes != 0
    }
}
