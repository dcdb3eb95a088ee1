/// Turns libyaml's mark indices, which count Unicode code points (after any BOM), into byte offsets.
///
/// Marks arrive nearly in order, so a cursor that walks forward (and occasionally back) over the
/// UTF-8 bytes costs O(distance) per lookup. Pure-ASCII input skips the walk entirely.
struct CodePointOffsetMap {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let base: Int
    private let isASCII: Bool
    private var codePoint = 0
    private var byte: Int

    /// `bytes` must outlive the map; `base` is where the text starts (3 after a UTF-8 BOM).
    init(bytes: UnsafeBufferPointer<UInt8>, base: Int) {
        self.bytes = bytes
        self.base = base
        self.byte = base
        var ascii = true
        var index = base
        while index < bytes.count {
            if bytes[index] >= 0x80 { ascii = false; break }
            index += 1
        }
        isASCII = ascii
    }

    mutating func byteOffset(ofCodePoint target: Int) -> Int {
        if isASCII { return min(base + target, bytes.count) }
        while codePoint < target && byte < bytes.count {
            byte += Self.sequenceLength(leadByte: bytes[byte])
            codePoint += 1
        }
        while codePoint > target && byte > base {
            byte -= 1
            while byte > base && bytes[byte] & 0xC0 == 0x80 { byte -= 1 }
            codePoint -= 1
        }
        return min(byte, bytes.count)
    }

    private static func sequenceLength(leadByte: UInt8) -> Int {
        switch leadByte {
        case ..<0x80: 1
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1  // a stray continuation byte; libyaml rejects such input anyway
        }
    }
}
