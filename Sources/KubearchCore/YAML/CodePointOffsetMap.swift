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
        isASCII = Self.isASCII(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[min(base, bytes.count)...])))
    }

    /// Eight bytes at a time: this runs over every byte of every file scanned.
    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var highBits: UInt64 = 0
        while index + 8 <= bytes.count {
            highBits |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            highBits |= UInt64(bytes[index])
            index += 1
        }
        return highBits & 0x8080_8080_8080_8080 == 0
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
