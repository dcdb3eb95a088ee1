/// A JSON document whose objects keep the order their keys were written in.
///
/// kubearch's machine formats promise a fixed key order (the order SPEC §10 lists the fields in) and
/// explicit `null`s. Foundation's `JSONEncoder` can give neither (it drops nil optionals and only
/// offers alphabetical order), and its pretty-printing has differed between platforms, so the
/// reporters build this small tree and serialise it themselves: the bytes are the same everywhere.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    /// Key/value pairs in output order. Keys are expected to be unique.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case let .bool(value): hasher.combine(value)
        case let .int(value): hasher.combine(value)
        case let .string(value): hasher.combine(value)
        case let .array(values): hasher.combine(values)
        case let .object(members):
            for (key, value) in members {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }
}

extension JSONValue {
    /// A string, or `null` when absent.
    static func string(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }

    /// An array of strings, or `null` when absent.
    static func strings(_ values: [String]?) -> JSONValue {
        values.map { .array($0.map(JSONValue.string)) } ?? .null
    }
}

extension JSONValue {
    /// Pretty-printed with two-space indentation, `"key": value`, no escaped slashes, non-ASCII
    /// characters written as UTF-8, and a final newline.
    public func rendered() -> String {
        var output = ""
        write(to: &output, indent: 0)
        output.append("\n")
        return output
    }

    private func write(to output: inout String, indent: Int) {
        switch self {
        case .null:
            output.append("null")
        case let .bool(value):
            output.append(value ? "true" : "false")
        case let .int(value):
            output.append(String(value))
        case let .string(value):
            JSONValue.writeString(value, to: &output)
        case let .array(values):
            guard !values.isEmpty else {
                output.append("[]")
                return
            }
            output.append("[\n")
            for (index, value) in values.enumerated() {
                output.append(JSONValue.padding(indent + 1))
                value.write(to: &output, indent: indent + 1)
                output.append(index == values.count - 1 ? "\n" : ",\n")
            }
            output.append(JSONValue.padding(indent))
            output.append("]")
        case let .object(members):
            guard !members.isEmpty else {
                output.append("{}")
                return
            }
            output.append("{\n")
            for (index, (key, value)) in members.enumerated() {
                output.append(JSONValue.padding(indent + 1))
                JSONValue.writeString(key, to: &output)
                output.append(": ")
                value.write(to: &output, indent: indent + 1)
                output.append(index == members.count - 1 ? "\n" : ",\n")
            }
            output.append(JSONValue.padding(indent))
            output.append("}")
        }
    }

    /// Indentation strings made once: a 20,000-workload report writes hundreds of thousands of lines.
    private static let paddings = (0..<16).map { String(repeating: "  ", count: $0) }

    private static func padding(_ level: Int) -> String {
        level < paddings.count ? paddings[level] : String(repeating: "  ", count: level)
    }

    /// RFC 8259 string escaping. Works on Unicode scalars, not Characters: `"\r\n"` is one Character
    /// in Swift and must still come out as two escapes.
    private static func writeString(_ value: String, to output: inout String) {
        output.append("\"")
        // Most strings (paths, names, references) need no escape: append them whole.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            output.append(value)
            output.append("\"")
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "\u{08}": output.append("\\b")
            case "\u{0C}": output.append("\\f")
            case let control where control.value < 0x20:
                output.append("\\u")
                output.append(hex4(control.value))
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output.append("\"")
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: false)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
