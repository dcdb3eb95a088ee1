/// Makes text from manifests safe to print on a terminal: a control character in a file name or a
/// YAML value must not be able to move the cursor, recolour the screen or fake another line.
enum TerminalSanitizer {
    /// Replaces every C0/C1 control character (and DEL) with a visible escape such as `\n` or `\u{1B}`.
    static func sanitize(_ text: String) -> String {
        // Almost all text has no control character at all: return it untouched.
        var text = text
        guard text.withUTF8(mayHoldControlCharacters) else { return text }
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: output.append("\\n")
            case 0x0D: output.append("\\r")
            case 0x09: output.append("\\t")
            case 0x00..<0x20, 0x7F..<0xA0:
                output.append("\\u{\(String(scalar.value, radix: 16, uppercase: true))}")
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Whether `bytes` has a C0 control, DEL, or 0xC2 (the lead byte of every C1 control). Reads
    /// eight bytes at a time: every line of a report passes through here.
    static func mayHoldControlCharacters(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        if let base = UnsafeRawPointer(bytes.baseAddress) {
            while index + 8 <= bytes.count {
                let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                // A byte below 0x20 or equal to 0x7F makes its high bit appear in these (bytes of
                // 0x80 and more are ruled out by `~word` and checked one by one below).
                let below = (word &- 0x20 &* ones) & ~word & highBits
                let del = ((word ^ 0x7F &* ones) &- ones) & ~(word ^ 0x7F &* ones) & highBits
                if below | del | (word & highBits) != 0, bytes[index..<(index + 8)].contains(where: isSuspect) { return true }
                index += 8
            }
        }
        return bytes[index...].contains(where: isSuspect)
    }

    private static func isSuspect(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == 0xC2
    }
}
