/// Decides whether a string can be written as a plain YAML scalar and still read back as the same
/// string, by libyaml and by YAML 1.1 readers such as Kubernetes' (where `yes` and `on` are booleans).
/// Conservative: anything doubtful is quoted.
public enum PlainScalar {
    static func canBePlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        // Indicators that start something else at the start of a scalar.
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        if first == " " || last == " " || last == ":" { return false }
        // Only printable ASCII: no escapes, no line breaks, no look-alike characters.
        for scalar in text.unicodeScalars where scalar.value < 0x21 || scalar.value > 0x7E {
            guard scalar == " " else { return false }
        }
        // Flow indicators end a plain scalar inside `[…]`, where platforms are written.
        if text.contains(where: { ",[]{}".contains($0) }) { return false }
        if text.contains(": ") || text.contains(" #") { return false }
        return !readsAsOtherType(text)
    }

    /// Null, booleans (YAML 1.1 and 1.2) and anything number-like (ints, floats, sexagesimals, .inf).
    private static func readsAsOtherType(_ text: String) -> Bool {
        let lowered = text.lowercased()
        let words: Set<String> = ["~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf", ".nan"]
        if words.contains(lowered) { return true }
        var body = Substring(lowered)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        guard let head = body.first, head.isASCII, head.isNumber || head == "." else { return false }
        return body.allSatisfy { "0123456789abcdefox._:+-".contains($0) }
    }

    /// A double-quoted scalar with every character that needs it escaped.
    public static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || scalar.value == 0xFEFF
                    || scalar.value == 0x2028 || scalar.value == 0x2029 {  // YAML line breaks
                    result += "\\u" + hex4(scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The text as plain when that is safe, else double-quoted.
    static func render(_ text: String) -> String {
        canBePlain(text) ? text : doubleQuoted(text)
    }
}
