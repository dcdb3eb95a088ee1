/// Writes JSON as it goes, in exactly the layout `JSONValue.rendered()` promises (two-space
/// indentation, `"key": value`, `[]` and `{}` when empty), without building the document first.
///
/// Callers open and close containers and write keys and values in order; commas, line breaks and
/// indentation follow from that. `JSONValue` uses it too, so both produce the same bytes.
public struct JSONWriter {
    public var output: ReportOutput
    /// How many containers are open.
    public private(set) var depth = 0
    /// Members or elements written so far in the innermost open container (0 when none is open);
    /// kept apart from the enclosing ones, as it changes with every member.
    private var innermost = 0
    /// The same counts for the enclosing containers, outermost first.
    private var enclosing: [Int] = []
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
        self.depth = max(1, depth)
        enclosing = Array(repeating: 1, count: self.depth - 1)
        innermost = afterElements ? 1 : 0
    }

    /// Elements of the open array rendered apart (by a writer `continuingAtDepth` this one's depth).
    /// The bytes may come in several calls, cut anywhere, with the whole count on one of them.
    public mutating func elements(rendered bytes: [UInt8], count: Int) {
        bytes.withUnsafeBytes { elements(rendered: $0, count: count) }
    }

    public mutating func elements(rendered bytes: UnsafeRawBufferPointer, count: Int) {
        output.write(bytes)
        innermost += count
    }

    /// Members or elements written so far in the innermost open container.
    public var elementsInOpenContainer: Int { innermost }

    public mutating func beginObject() {
        begin(UInt8(ascii: "{"))
    }

    public mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        begin(UInt8(ascii: "["))
    }

    /// The bracket after a key, or on a line of its own (with the line break in the same write).
    private mutating func begin(_ bracket: UInt8) {
        if afterKey || depth == 0 {
            afterKey = false
            output.write(bracket)
        } else {
            newLine(thenAtMost: 1) { target in
                target[0] = bracket
                return 1
            }
        }
        if depth > 0 { enclosing.append(innermost) }
        innermost = 0
        depth += 1
    }

    public mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    /// A member's key written in the source (a literal that needs no escape); its value is what
    /// is written next. Comma, line break, indentation, the quoted key and `": "` are one write:
    /// keys are half the strings of a report.
    public mutating func key(_ key: StaticString) {
        assert(!ShortCopy.needsEscape(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)), "a key literal that needs escaping")
        let length = key.utf8CodeUnitCount
        newLine(thenAtMost: length + 4) { target in
            target[0] = UInt8(ascii: "\"")
            ShortCopy.copy(key.utf8Start, count: length, to: target + 1)
            target[length + 1] = UInt8(ascii: "\"")
            target[length + 2] = UInt8(ascii: ":")
            target[length + 3] = UInt8(ascii: " ")
            return length + 4
        }
        afterKey = true
    }

    /// A member's key known only at run time (escaped as any string).
    public mutating func key(escaping key: String) {
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
    public mutating func member(_ key: StaticString, _ value: String?) {
        self.key(key)
        string(value)
    }

    public mutating func member(_ key: StaticString, _ value: Int) {
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
        } else if depth > 0 {
            newLine()
        }
    }

    /// Before a member or an element: the comma after the previous one, a line break, indentation,
    /// then up to `extra` bytes that `body` writes after them (and counts), all in one write.
    private mutating func newLine(thenAtMost extra: Int = 0, _ body: (UnsafeMutablePointer<UInt8>) -> Int = { _ in 0 }) {
        let comma = innermost > 0
        innermost += 1
        let spaces = 2 * depth
        output.write(reserving: spaces + 2 + extra + ShortCopy.slack) { target in
            let count = Self.lineBreak(comma: comma, spaces: spaces, at: target)
            return count + body(target + count)
        }
    }

    private mutating func close(_ bracket: UInt8) {
        let written = innermost
        depth -= 1
        innermost = depth > 0 ? enclosing.removeLast() : 0
        let spaces = 2 * depth
        output.write(reserving: spaces + 2 + ShortCopy.slack) { target in
            // The line break and indentation only when something was written inside.
            let count = written > 0 ? Self.lineBreak(comma: false, spaces: spaces, at: target) : 0
            target[count] = bracket
            return count + 1
        }
    }

    /// Writes the comma, a line break and `spaces` spaces at `target`; returns how many bytes (up
    /// to `ShortCopy.slack` more may be overwritten).
    private static func lineBreak(comma: Bool, spaces: Int, at target: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 0
        if comma {
            target[0] = UInt8(ascii: ",")
            count = 1
        }
        target[count] = UInt8(ascii: "\n")
        ShortCopy.spaces(spaces, at: target + count + 1)
        return count + 1 + spaces
    }

    /// RFC 8259 string escaping. Works on Unicode scalars, not Characters: `"\r\n"` is one Character
    /// in Swift and must still come out as two escapes.
    private mutating func writeString(_ value: String) {
        // Most strings (paths, names, references) need no escape: copied with their quotes in one
        // write and checked there; a string that needs one is written again below.
        let plain = value.utf8.withContiguousStorageIfAvailable { bytes in
            guard let source = bytes.baseAddress else { return false }
            var plain = false
            output.write(reserving: bytes.count + 2) { target in
                guard ShortCopy.copyUnlessEscaped(source, count: bytes.count, to: target + 1) else { return 0 }
                target[0] = UInt8(ascii: "\"")
                target[bytes.count + 1] = UInt8(ascii: "\"")
                plain = true
                return bytes.count + 2
            }
            return plain
        }
        if plain == true { return }
        output.write(UInt8(ascii: "\""))
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
