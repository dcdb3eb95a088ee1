/// Writes snippets as block YAML, flow YAML or JSON text in a document's style.
///
/// A managed node is followed by a placeholder byte; `placeMarkers` turns each into the
/// `# managed by kubearch` comment at the end of the node's line (or drops it in JSON).
struct SnippetRenderer {
    let style: EditStyle
    static let placeholder = "\u{1}"
    static let marker = " " + ManagedMarker.comment

    private func blanks(_ count: Int) -> String { String(repeating: " ", count: max(0, count)) }
    private var eol: String { style.lineEnding }

    // MARK: Block style
    //
    // Each public function returns its text; underneath, one string is appended to (building and
    // joining a string per line and pair was most of the cost of an edit).

    /// `key: value` lines at `indent`, each ending with a line break.
    func blockPair(_ pair: SnippetPair, indent: Int) -> String {
        var text = Self.emptyText()
        writeBlockPair(pair, indent: indent, into: &text)
        return text
    }

    func blockLines(_ pairs: [SnippetPair], indent: Int) -> String {
        var text = Self.emptyText()
        for pair in pairs { writeBlockPair(pair, indent: indent, into: &text) }
        return text
    }

    func blockItems(_ items: [Snippet], dashIndent: Int, gap: Int) -> String {
        var text = Self.emptyText()
        for item in items { writeBlockItem(item, dashIndent: dashIndent, gap: gap, into: &text) }
        return text
    }

    /// `- item` with a mapping's first pair on the dash line and the others under it.
    func blockItem(_ item: Snippet, dashIndent: Int, gap: Int) -> String {
        var text = Self.emptyText()
        writeBlockItem(item, dashIndent: dashIndent, gap: gap, into: &text)
        return text
    }

    /// `indented` false: the line's indentation is already written (after a sequence item's dash).
    private func writeBlockPair(_ pair: SnippetPair, indent: Int, indented: Bool = true, into text: inout String) {
        if case .managed(let inner) = pair.value {
            let start = text.utf8.count
            writeBlockPair(SnippetPair(pair.key, inner), indent: indent, indented: indented, into: &text)
            markLastLine(&text, from: start)
            return
        }
        if indented { appendBlanks(indent, to: &text) }
        text += pair.key
        text += ":"
        switch pair.value {
        case .string, .integer, .list:
            text += " "
            text += inline(pair.value)
            text += eol
        case .mapping(let pairs):
            text += eol
            for child in pairs { writeBlockPair(child, indent: indent + style.blockStep, into: &text) }
        case .sequence(let items):
            text += eol
            for item in items { writeBlockItem(item, dashIndent: indent + style.sequenceOffset, gap: style.dashGap, into: &text) }
        case .managed:
            break  // handled above
        }
    }

    private func writeBlockItem(_ item: Snippet, dashIndent: Int, gap: Int, into text: inout String) {
        if case .managed(let inner) = item {
            let start = text.utf8.count
            writeBlockItem(inner, dashIndent: dashIndent, gap: gap, into: &text)
            markLastLine(&text, from: start)
            return
        }
        appendBlanks(dashIndent, to: &text)
        text += "-"
        appendBlanks(gap, to: &text)
        if case .mapping(let pairs) = item, let first = pairs.first {
            let indent = dashIndent + 1 + gap
            writeBlockPair(first, indent: indent, indented: false, into: &text)
            for pair in pairs.dropFirst() { writeBlockPair(pair, indent: indent, into: &text) }
        } else {
            text += flow(item, indent: dashIndent, pretty: false)
            text += eol
        }
    }

    /// Puts the placeholder at the end of the last line written since `start` (before its line break).
    private func markLastLine(_ text: inout String, from start: Int) {
        let written = text.utf8.count - start
        let ending = eol.utf8
        if written >= ending.count, text.utf8.suffix(ending.count).elementsEqual(ending) {
            text.removeLast(eol.count)
            text += Self.placeholder
            text += eol
        } else {
            text += Self.placeholder
        }
    }

    private func appendBlanks(_ count: Int, to text: inout String) {
        var left = max(0, count)
        while left > 0 {
            let run = min(left, Self.spaces.count)
            text.append(contentsOf: Self.spaces.prefix(run))
            left -= run
        }
    }

    private static let spaces = String(repeating: " ", count: 32)

    /// Room for a typical snippet, so appending never regrows it.
    private static func emptyText() -> String {
        var text = ""
        text.reserveCapacity(512)
        return text
    }

    private func inline(_ value: Snippet) -> String { flow(value, indent: 0, pretty: false) }

    // MARK: Flow style and JSON

    /// Flow text for `value`. `indent` is the indentation of the line it starts on; `pretty` puts
    /// each member of a collection on its own line, as pretty-printed JSON does.
    func flow(_ value: Snippet, indent: Int, pretty: Bool) -> String {
        let inner = indent + style.flowStep
        switch value {
        case .string(let text):
            return scalar(text)
        case .integer(let number):
            return String(number)
        case .list(let items):
            return collection(items.map(scalar), open: "[", close: "]", indent: indent, pretty: pretty && style.isJSON)
        case .mapping(let pairs):
            let members = pairs.map { key($0.key) + (pretty ? ": " : style.colon) + flow($0.value, indent: inner, pretty: pretty) }
            return collection(members, open: "{", close: "}", indent: indent, pretty: pretty)
        case .sequence(let items):
            let members = items.map { flow($0, indent: inner, pretty: pretty) }
            return collection(members, open: "[", close: "]", indent: indent, pretty: pretty)
        case .managed(let inner):
            // JSON has no comments; in YAML the managed expression stays on one line, marker after it.
            if style.isJSON { return flow(inner, indent: indent, pretty: pretty) }
            return flow(inner, indent: indent, pretty: false) + Self.placeholder
        }
    }

    private func collection(_ members: [String], open: String, close: String, indent: Int, pretty: Bool) -> String {
        guard !members.isEmpty else { return open + close }
        guard pretty else { return open + members.joined(separator: style.comma) + close }
        let inner = blanks(indent + style.flowStep)
        return open + eol + members.map { inner + $0 }.joined(separator: "," + eol) + eol + blanks(indent) + close
    }

    func key(_ text: String) -> String { style.isJSON ? Self.doubleQuoted(text) : text }

    /// A string as a plain scalar when YAML reads it back as that same string, else double-quoted.
    func scalar(_ text: String) -> String {
        style.isJSON || !Self.isSafePlain(text) ? Self.doubleQuoted(text) : text
    }

    func scalar(_ text: String, like existing: ScalarStyle) -> String {
        switch existing {
        case .doubleQuoted: Self.doubleQuoted(text)
        case .singleQuoted: "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
        default: scalar(text)
        }
    }

    static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        for character in text.unicodeScalars {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default: result.unicodeScalars.append(character)
            }
        }
        return result + "\""
    }

    /// Label values and keys like `amd64`, `kubernetes.io/arch`, `In`; not `386` (a number), `on` (a
    /// YAML 1.1 boolean) or anything with indicator characters.
    private static let reservedPlain: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]

    static func isSafePlain(_ text: String) -> Bool {
        // ASCII only, so bytes say it all (Unicode property lookups were most of an edit's cost).
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        guard let first = text.utf8.first, isLetter(first) else { return false }
        let allowed = text.utf8.allSatisfy { byte in
            isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
        }
        return allowed && (text.utf8.count > 5 || !reservedPlain.contains(text.lowercased()))
    }

    // MARK: Markers

    /// Replaces each placeholder by the marker comment. Closing brackets and commas that follow the
    /// managed node stay before the comment; if more of the inserted text follows on the same line, a
    /// line break (indented by `continuationIndent`) ends the comment. Returns whether the text ends
    /// with a managed node whose line continues in the original text (`pendingMarker`).
    func placeMarkers(_ text: String, continuationIndent: Int) -> (bytes: [UInt8], pendingMarker: Bool) {
        let input = Array(text.utf8)
        let placeholder = Array(Self.placeholder.utf8)[0]
        var output: [UInt8] = []
        output.reserveCapacity(input.count + 64)
        var pending = false
        var index = 0
        while index < input.count {
            let byte = input[index]
            index += 1
            guard byte == placeholder else {
                output.append(byte)
                continue
            }
            if style.isJSON { continue }
            while index < input.count, Self.isCloser(input[index]) {
                output.append(input[index])
                index += 1
            }
            var next = index
            while next < input.count && input[next] == SourceText.space { next += 1 }
            if next == input.count {
                pending = true
            } else if input[next] == SourceText.newline || input[next] == SourceText.carriageReturn {
                output += Array(Self.marker.utf8)
            } else {
                output += Array((Self.marker + eol + blanks(continuationIndent)).utf8)
                index = next
            }
        }
        return (output, pending)
    }

    static func isCloser(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ",")
    }
}
