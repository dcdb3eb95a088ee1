/// Makes text from manifests safe to print on a terminal: a control character in a file name or a
/// YAML value must not be able to move the cursor, recolour the screen or fake another line.
enum TerminalSanitizer {
    /// Replaces every C0/C1 control character (and DEL) with a visible escape such as `\n` or `\u{1B}`.
    static func sanitize(_ text: String) -> String {
        // Almost all text has no control character at all: return it untouched.
        let needsWork = text.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }
        guard needsWork else { return text }
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
}
