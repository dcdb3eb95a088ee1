/// Writes JSON as it goes, in exactly the layout `JSONValue.rendered()` promises (two-space
/// indentation, `"key": value`, `[]` and `{}` when empty), without building the document first.
///
/// Callers open and close containers and write keys and values in order; commas, line breaks and
/// indentation follow from that. `JSONValue` uses it too, so both produce the same bytes.
public struct JSONWriter {
    public var output: ReportOutput
    /// Members or elements written so far in each open container, innermost last.
    private var counts: [Int] = []
    /// A key was just written: the next value follows it on the same line.
    private var afterKey = false

    public init(output: ReportOutput) {
        self.output = output
    }

    /// A writer for part of a long array, rendered apart and spliced in with
    /// `elements(rendered:count:)`: it starts inside `depth` open containers, the innermost (the
    /// array) already holding elements when `afterElements`.
    public init(output: ReportOutput, continuingAtDepth depth: Int, afterElements: Bool) {
        self.output = output
        counts = Array(repeating: 1, count: max(0, depth - 1)) + [afterElements ? 1 : 0]
    }

    /// Elements of the open array rendered apart (by a writer `continuingAtDepth` this one's depth).
    /// The bytes may come in several calls, cut anywhere, with the whole count on one of them.
    public mutating func elements(rendered bytes: [UInt8], count: Int) {
        output.write(bytes)
        counts[counts.count - 1] += count
    }

    /// Members or elements written so far in the innermost open container.
    public var elementsInOpenContainer: Int { counts.last ?? 0 }

    /// How many containers are open.
    public var depth: Int { counts.count }

    public mutating func beginObject() {
        startValue()
        output.write(UInt8(ascii: "{"))
        counts.append(0)
    }

    public mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        startValue()
        output.write(UInt8(ascii: "["))
        counts.append(0)
    }

    public mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    /// A member's key; its value is what is written next.
    public mutating func key(_ key: String) {
        newLine()
        writeString(key)
        output.write(": ")
        afterKey = true
    }

    public mutating func string(_ value: String) {
        startValue()
        writeString(value)
    }

    /// A string, or `null` when absent.
    public mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// An array of strings, or `null` when absent.
    public mutating func strings(_ values: [String]?) {
        guard let values else { return null() }
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    public mutating func int(_ value: Int) {
        startValue()
        output.write(value)
    }

    public mutating func bool(_ value: Bool) {
        startValue()
        output.write(value ? "true" : "false")
    }

    public mutating func null() {
        startValue()
        output.write("null")
    }

    /// `key` then a string value, the commonest member.
    public mutating func member(_ key: String, _ value: String?) {
        self.key(key)
        string(value)
    }

    public mutating func member(_ key: String, _ value: Int) {
        self.key(key)
        int(value)
    }

    /// A finished document's last line break.
    public mutating func finishDocument() {
        output.write(UInt8(ascii: "\n"))
    }

    private mutating func startValue() {
        if afterKey {
            afterKey = false
        } else if !counts.isEmpty {
            newLine()
        }
    }

    /// Before a member or an element: the comma after the previous one, a line break, indentation.
    private mutating func newLine() {
        let top = counts.count - 1
        if counts[top] > 0 { output.write(UInt8(ascii: ",")) }
        counts[top] += 1
        output.write(UInt8(ascii: "\n"))
        indent(counts.count)
    }

    private mutating func close(_ bracket: UInt8) {
        let written = counts.removeLast()
        if written > 0 {
            output.write(UInt8(ascii: "\n"))
            indent(counts.count)
        }
        output.write(bracket)
    }

    private mutating func indent(_ level: Int) {
        for _ in 0..<level {
            output.write(UInt8(ascii: " "))
            output.write(UInt8(ascii: " "))
        }
    }

    /// RFC 8259 string escaping. Works on Unicode scalars, not Characters: `"\r\n"` is one Character
    /// in Swift and must still come out as two escapes.
    private mutating func writeString(_ value: String) {
        output.write(UInt8(ascii: "\""))
        // Most strings (paths, names, references) need no escape: append them whole. The scan runs
        // over the contiguous UTF-8 (the String.UTF8View iterator cost 2 % of a 20,000-file report).
        var value = value
        let plain = value.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            output.write(bytes)
            return true
        }
        if plain {
            output.write(UInt8(ascii: "\""))
            return
        }
        var escaped = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": escaped.append("\\\"")
            case "\\": escaped.append("\\\\")
            case "\n": escaped.append("\\n")
            case "\r": escaped.append("\\r")
            case "\t": escaped.append("\\t")
            case "\u{08}": escaped.append("\\b")
            case "\u{0C}": escaped.append("\\f")
            case let control where control.value < 0x20:
                escaped.append("\\u")
                escaped.append(Self.hex4(control.value))
            default:
                escaped.unicodeScalars.append(scalar)
            }
        }
        output.write(escaped)
        output.write(UInt8(ascii: "\""))
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: false)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
