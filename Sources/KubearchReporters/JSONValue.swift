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
        var writer = JSONWriter(output: ReportOutput())
        write(to: &writer)
        writer.finishDocument()
        return writer.output.text
    }

    /// Writes this value where `writer` stands (after a key, or as the next element).
    public func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case let .bool(value): writer.bool(value)
        case let .int(value): writer.int(value)
        case let .string(value): writer.string(value)
        case let .array(values):
            writer.beginArray()
            for value in values { value.write(to: &writer) }
            writer.endArray()
        case let .object(members):
            writer.beginObject()
            for (key, value) in members {
                writer.key(escaping: key)
                value.write(to: &writer)
            }
            writer.endObject()
        }
    }
}
