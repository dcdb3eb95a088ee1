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

    /// `key: value` lines at `indent`, each ending with a line break.
    func blockPair(_ pair: SnippetPair, indent: Int) -> String {
        let head = blanks(indent) + pair.key + ":"
        switch pair.value {
        case .string, .integer, .list:
            return head + " " + inline(pair.value) + eol
        case .mapping(let pairs):
            return head + eol + blockLines(pairs, indent: indent + style.blockStep)
        case .sequence(let items):
            return head + eol + blockItems(items, dashIndent: indent + style.sequenceOffset, gap: style.dashGap)
        case .managed(let inner):
            return markLastLine(blockPair(SnippetPair(pair.key, inner), indent: indent))
        }
    }

    func blockLines(_ pairs: [SnippetPair], indent: Int) -> String {
        pairs.map { blockPair($0, indent: indent) }.joined()
    }

    func blockItems(_ items: [Snippet], dashIndent: Int, gap: Int) -> String {
        items.map { blockItem($0, dashIndent: dashIndent, gap: gap) }.joined()
    }

    /// `- item` with a mapping's first pair on the dash line and the others under it.
    func blockItem(_ item: Snippet, dashIndent: Int, gap: Int) -> String {
        let dash = blanks(dashIndent) + "-" + blanks(gap)
        switch item {
        case .mapping(let pairs) where !pairs.isEmpty:
            let text = blockLines(pairs, indent: dashIndent + 1 + gap)
            return dash + text.dropFirst(dashIndent + 1 + gap)
        case .managed(let inner):
            return markLastLine(blockItem(inner, dashIndent: dashIndent, gap: gap))
        default:
            return dash + flow(item, indent: dashIndent, pretty: false) + eol
        }
    }

    private func markLastLine(_ text: String) -> String {
        guard text.hasSuffix(eol) else { return text + Self.placeholder }
        return String(text.dropLast(eol.count)) + Self.placeholder + eol
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
    static func isSafePlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        let allowed = text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./".unicodeScalars.contains($0)) }
        let reserved: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]
        return allowed && !reserved.contains(text.lowercased())
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
