/// Escaping for GitHub Actions workflow commands (`::error file=…,line=…::message`), exactly as
/// `@actions/core` does it: `%`, CR and LF in the message; additionally `:` and `,` in property
/// values, where they would end the value.
public enum WorkflowCommand {
    /// Escapes the message part (after the second `::`).
    public static func escapeData(_ text: String) -> String {
        escape(text, alsoPropertyDelimiters: false)
    }

    /// Escapes a property value (`file=`, `title=`).
    public static func escapeProperty(_ text: String) -> String {
        escape(text, alsoPropertyDelimiters: true)
    }

    // Over Unicode scalars: in Swift `"\r\n"` is a single Character, and both halves must be escaped.
    private static func escape(_ text: String, alsoPropertyDelimiters: Bool) -> String {
        // Most messages and paths need no escape: return them as they are, without rebuilding
        // them one scalar at a time (every finding of a report passes through here).
        var text = text
        let needsEscape = text.withUTF8 { bytes in
            bytes.contains { byte in
                byte == UInt8(ascii: "%") || byte == 0x0D || byte == 0x0A
                    || (alsoPropertyDelimiters && (byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",")))
            }
        }
        guard needsEscape else { return text }
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": output.append("%25")
            case "\r": output.append("%0D")
            case "\n": output.append("%0A")
            case ":" where alsoPropertyDelimiters: output.append("%3A")
            case "," where alsoPropertyDelimiters: output.append("%2C")
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// `::name key=value,key=value::message`, with properties in the order given.
    public static func line(_ name: String, properties: [(String, String)], message: String) -> String {
        let list = properties.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",")
        let head = list.isEmpty ? name : "\(name) \(list)"
        return "::\(head)::\(escapeData(message))"
    }
}
