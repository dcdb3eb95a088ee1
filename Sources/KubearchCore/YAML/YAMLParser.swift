import CYAML

/// Builds `YAMLStream`s from libyaml's event stream, converting its code-point marks to byte offsets.
public enum YAMLParser {
    /// Deeper nesting is rejected: no Kubernetes object comes close, and it bounds recursion elsewhere.
    public static let maximumDepth = 1000

    public static func parse(_ text: String) -> YAMLStream {
        parse(Array(text.utf8))
    }

    /// Parses `bytes`, leaving out the values of mapping keys in `skippingValuesOf` (the pair itself
    /// is dropped too). Such a stream is for reading only: ranges of collections whose last child was
    /// skipped end earlier, so never edit through it. When an alias refers to an anchor inside a
    /// skipped value the stream is parsed again in full, so the result never loses a referenced node.
    public static func parse(_ bytes: [UInt8], skippingValuesOf skipped: Set<String>) -> YAMLStream {
        guard !skipped.isEmpty else { return parse(bytes) }
        return parse(bytes, skipping: skipped) ?? parse(bytes)
    }

    public static func parse(_ bytes: [UInt8]) -> YAMLStream {
        // Without a skip set the builder never gives up.
        parse(bytes, skipping: []) ?? YAMLStream(documents: [], error: nil, hasBOM: false, lineEnding: .lf)
    }

    /// nil when a skipped anchor was referenced (the caller parses again in full).
    private static func parse(_ bytes: [UInt8], skipping skipped: Set<String>) -> YAMLStream? {
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        let lineEnding = detectLineEnding(bytes)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let error = YAMLSyntaxError(
                message: "UTF-16 text is not supported; save the file as UTF-8",
                position: SourcePosition(offset: 0, line: 1, column: 1))
            return YAMLStream(documents: [], error: error, hasBOM: false, lineEnding: lineEnding)
        }
        return bytes.withUnsafeBufferPointer { buffer in
            var builder = StreamBuilder(bytes: buffer, base: hasBOM ? 3 : 0, skipped: skipped)
            builder.run()
            if builder.referencedSkippedAnchor { return nil }
            return YAMLStream(
                documents: builder.documents, error: builder.error, hasBOM: hasBOM, lineEnding: lineEnding,
                duplicateKeys: builder.duplicateKeys.sorted { $0.position < $1.position })
        }
    }

    static func detectLineEnding(_ bytes: [UInt8]) -> LineEnding {
        guard let newline = bytes.firstIndex(of: 0x0A) else { return .lf }
        return newline > 0 && bytes[newline - 1] == 0x0D ? .crlf : .lf
    }
}

/// The event loop. One instance parses one stream.
private struct StreamBuilder {
    /// An open collection. Mutated in place at the top of the stack, so appending a child never
    /// copies the arrays (an enum popped and pushed back would).
    private struct Frame {
        var isMapping: Bool
        var start: SourcePosition
        var style: CollectionStyle
        var tag: String?
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        /// Keys whose values were skipped: still counted when looking for duplicate keys.
        var skippedKeys: [YAMLNode] = []
    }

    /// A collection inside a skipped value: only its keys are tracked, for duplicate detection.
    private struct SkippedCollection {
        var isMapping: Bool
        var expectingKey = true
        /// Keys in order while the mapping is small (a scan beats hashing there); `index` takes over
        /// past `smallMapping` keys, so a huge mapping stays linear.
        var keys: [(String, SourcePosition)] = []
        var index: [String: SourcePosition]?

        static let smallMapping = 16

        /// Where `key` was first seen, or nil after recording it as seen `here`.
        mutating func firstPosition(of key: String, seenAt here: SourcePosition) -> SourcePosition? {
            if index == nil {
                if let found = keys.first(where: { $0.0 == key }) { return found.1 }
                keys.append((key, here))
                if keys.count > Self.smallMapping {
                    index = Dictionary(keys, uniquingKeysWith: { first, _ in first })
                    keys = []
                }
                return nil
            }
            if let first = index?[key] { return first }
            index?[key] = here
            return nil
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    /// Where the text starts: 3 after a UTF-8 BOM, which libyaml does not count.
    private let base: Int
    private var offsets: CodePointOffsetMap
    private var stack: [Frame] = []
    private var anchors: [String: YAMLNode] = [:]
    private var documentStart: SourcePosition?
    private var documentExplicitStart = false
    private var root: YAMLNode?
    private(set) var documents: [YAMLDocument] = []
    private(set) var error: YAMLSyntaxError?
    private(set) var duplicateKeys: [YAMLDuplicateKey] = []

    /// Keys whose values are consumed without building nodes.
    private let skipped: Set<String>
    /// For each key length below 64, a bit per first byte (mod 64) of the skipped keys of that
    /// length: most keys are ruled out by this before `skipped` hashes them.
    private let skippedShapes: [UInt64]
    /// Open collections inside the value being skipped; nil when not skipping.
    private var skipNesting: Int?
    private var skippedAnchors: Set<String> = []
    private var skippedCollections: [SkippedCollection] = []
    private(set) var referencedSkippedAnchor = false

    init(bytes: UnsafeBufferPointer<UInt8>, base: Int, skipped: Set<String>) {
        self.bytes = bytes
        self.base = base
        self.offsets = CodePointOffsetMap(bytes: bytes, base: base)
        self.skipped = skipped
        var shapes = [UInt64](repeating: 0, count: 64)
        for key in skipped {
            guard let first = key.utf8.first else { continue }
            // Keys of 64 bytes or more are never ruled out (bucket 63 stands for all of them).
            shapes[min(key.utf8.count, 63)] |= 1 << (first & 63)
        }
        self.skippedShapes = shapes
    }

    /// False only for a key that cannot be in `skipped`.
    private func mightBeSkipped(_ key: String) -> Bool {
        guard let first = key.utf8.first else { return skipped.contains(key) }
        return skippedShapes[min(key.utf8.count, 63)] & (1 << (first & 63)) != 0 && skipped.contains(key)
    }

    mutating func run() {
        // libyaml keeps pointers into the parser struct: give it a stable heap address.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) != 0 else {
            error = YAMLSyntaxError(message: "libyaml could not allocate a parser", position: position(0, 0, 0))
            return
        }
        defer { yaml_parser_delete(parser) }
        if let base = bytes.baseAddress {
            yaml_parser_set_input_string(parser, base, bytes.count)
        } else {
            // Empty input: libyaml still needs a valid pointer.
            let empty: [UInt8] = [0]
            empty.withUnsafeBufferPointer { yaml_parser_set_input_string(parser, $0.baseAddress, 0) }
        }

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) != 0 else {
                error = syntaxError(parser.pointee)
                return
            }
            defer { yaml_event_delete(&event) }
            let done = event.type == YAML_STREAM_END_EVENT
            if skipNesting != nil {
                skip(&event)
                if referencedSkippedAnchor { return }
                continue
            }
            if let problem = handle(&event) {
                error = problem
                return
            }
            if done || referencedSkippedAnchor { return }
        }
    }

    /// Consumes one event of a skipped value, remembering anchors defined inside it.
    private mutating func skip(_ event: inout yaml_event_t) {
        var anchor: UnsafeMutablePointer<yaml_char_t>?
        switch event.type {
        case YAML_SCALAR_EVENT: anchor = event.data.scalar.anchor
        case YAML_SEQUENCE_START_EVENT: anchor = event.data.sequence_start.anchor
        case YAML_MAPPING_START_EVENT: anchor = event.data.mapping_start.anchor
        case YAML_ALIAS_EVENT:
            if let name = Self.string(event.data.alias.anchor), skippedAnchors.contains(name) { referencedSkippedAnchor = true }
        default: break
        }
        if let name = Self.string(anchor) { skippedAnchors.insert(name) }
        var nesting = skipNesting ?? 0
        switch event.type {
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            nesting += 1
            skippedCollections.append(SkippedCollection(isMapping: event.type == YAML_MAPPING_START_EVENT))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            nesting -= 1
            skippedCollections.removeLast()
            skippedValueDone()
        case YAML_SCALAR_EVENT:
            // Duplicate keys inside a skipped value are reported exactly as a full parse would.
            if let top = skippedCollections.last, top.isMapping, top.expectingKey {
                let key = event.data.scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: event.data.scalar.length), as: UTF8.self) } ?? ""
                let here = position(event.start_mark)
                if key != "<<" || event.data.scalar.style != YAML_PLAIN_SCALAR_STYLE {
                    if let first = skippedCollections[skippedCollections.count - 1].firstPosition(of: key, seenAt: here) {
                        duplicateKeys.append(YAMLDuplicateKey(key: key, position: here, firstPosition: first))
                    }
                }
                skippedCollections[skippedCollections.count - 1].expectingKey = false
            } else {
                skippedValueDone()
            }
        case YAML_ALIAS_EVENT:
            skippedValueDone()
        default: break
        }
        skipNesting = nesting == 0 ? nil : nesting
    }

    /// A value inside a skipped mapping has ended: the next scalar there is a key again.
    private mutating func skippedValueDone() {
        guard let top = skippedCollections.last, top.isMapping, !top.expectingKey else { return }
        skippedCollections[skippedCollections.count - 1].expectingKey = true
    }

    private mutating func handle(_ event: inout yaml_event_t) -> YAMLSyntaxError? {
        let start = position(event.start_mark)
        let end = position(event.end_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documentStart = start
            documentExplicitStart = event.data.document_start.implicit == 0
            anchors.removeAll(keepingCapacity: true)
            root = nil
        case YAML_DOCUMENT_END_EVENT:
            if let root, let documentStart {
                let documentEnd = event.data.document_end.implicit == 0 ? end : root.end
                documents.append(YAMLDocument(
                    index: documents.count, root: root, range: SourceRange(start: documentStart, end: documentEnd),
                    hasExplicitStart: documentExplicitStart, hasExplicitEnd: event.data.document_end.implicit == 0))
            }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) } ?? ""
            let node = YAMLNode(
                content: .scalar(value, Self.scalarStyle(scalar.style)), range: SourceRange(start: start, end: end),
                tag: Self.string(scalar.tag), anchor: Self.string(scalar.anchor))
            complete(node)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                if skippedAnchors.contains(name) {
                    referencedSkippedAnchor = true
                    return nil
                }
                return YAMLSyntaxError(message: "found undefined alias '\(name)'", position: start)
            }
            complete(YAMLNode(content: .alias(name, target: target), range: SourceRange(start: start, end: end)))
        case YAML_SEQUENCE_START_EVENT:
            if stack.count >= YAMLParser.maximumDepth { return tooDeep(start) }
            let data = event.data.sequence_start
            let style: CollectionStyle = data.style == YAML_FLOW_SEQUENCE_STYLE ? .flow : .block
            stack.append(Frame(isMapping: false, start: start, style: style, tag: Self.string(data.tag), anchor: Self.string(data.anchor)))
        case YAML_MAPPING_START_EVENT:
            if stack.count >= YAMLParser.maximumDepth { return tooDeep(start) }
            let data = event.data.mapping_start
            let style: CollectionStyle = data.style == YAML_FLOW_MAPPING_STYLE ? .flow : .block
            stack.append(Frame(isMapping: true, start: start, style: style, tag: Self.string(data.tag), anchor: Self.string(data.anchor)))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { break }
            if frame.isMapping {
                if frame.skippedKeys.isEmpty {
                    findDuplicateKeys(frame.pairs)
                } else {
                    // Skipped pairs count too, in source order, with a stand-in value.
                    let all = frame.pairs + frame.skippedKeys.map { YAMLPair(key: $0, value: $0) }
                    findDuplicateKeys(all.sorted { $0.key.start.offset < $1.key.start.offset })
                }
            }
            complete(Self.close(frame, end: end))
        default:
            break
        }
        return nil
    }

    private static func close(_ frame: Frame, end: SourcePosition) -> YAMLNode {
        if frame.isMapping {
            // A block collection ends where its last child does; libyaml's end mark is the next token.
            let last = frame.style == .block ? (frame.pairs.last?.value.end ?? end) : end
            return YAMLNode(content: .mapping(frame.pairs, frame.style), range: SourceRange(start: frame.start, end: last), tag: frame.tag, anchor: frame.anchor)
        }
        let last = frame.style == .block ? (frame.items.last?.end ?? end) : end
        return YAMLNode(content: .sequence(frame.items, frame.style), range: SourceRange(start: frame.start, end: last), tag: frame.tag, anchor: frame.anchor)
    }

    private mutating func complete(_ node: YAMLNode) {
        if let anchor = node.anchor { anchors[anchor] = node }
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return
        }
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if let key = stack[top].pendingKey {
            stack[top].pairs.append(YAMLPair(key: key, value: node))
            stack[top].pendingKey = nil
        } else if !skipped.isEmpty, case .scalar(let key, _) = node.content, mightBeSkipped(key) {
            // Leave the value (and so the pair) out: the next events up to its end are consumed by `skip`.
            stack[top].skippedKeys.append(node)
            skipNesting = 0
        } else {
            stack[top].pendingKey = node
        }
    }

    /// Scalar keys seen twice in one mapping (`<<` merge keys aside). Most mappings are small, where
    /// comparing pairs beats building a set.
    private mutating func findDuplicateKeys(_ pairs: [YAMLPair]) {
        guard pairs.count > 1 else { return }
        if pairs.count <= 16 {
            for later in 1..<pairs.count {
                guard case .scalar(let key, _) = pairs[later].key.content, !pairs[later].key.isMergeKey else { continue }
                for earlier in 0..<later {
                    if case .scalar(key, _) = pairs[earlier].key.content {
                        recordDuplicate(key, pairs[later].key, first: pairs[earlier].key)
                        break
                    }
                }
            }
            return
        }
        var firstKeys: [String: YAMLNode] = [:]
        for pair in pairs {
            guard case .scalar(let key, _) = pair.key.content, !pair.key.isMergeKey else { continue }
            if let first = firstKeys[key] {
                recordDuplicate(key, pair.key, first: first)
            } else {
                firstKeys[key] = pair.key
            }
        }
    }

    private mutating func recordDuplicate(_ key: String, _ node: YAMLNode, first: YAMLNode) {
        duplicateKeys.append(YAMLDuplicateKey(key: key, position: node.start, firstPosition: first.start))
    }

    private mutating func tooDeep(_ at: SourcePosition) -> YAMLSyntaxError {
        YAMLSyntaxError(message: "nesting deeper than \(YAMLParser.maximumDepth) levels", position: at)
    }

    private mutating func position(_ mark: yaml_mark_t) -> SourcePosition {
        position(mark.index, mark.line, mark.column)
    }

    private mutating func position(_ index: Int, _ line: Int, _ column: Int) -> SourcePosition {
        let offset = offsets.byteOffset(ofCodePoint: index)
        // At the end of a file whose last line has no line break, libyaml moves its mark to column 0
        // of a line that does not exist; report the real end of the last line instead.
        if offset == bytes.count, column == 0, line > 0, !endsWithLineBreak {
            return SourcePosition(offset: offset, line: line, column: codePointsOnLastLine + 1)
        }
        return SourcePosition(offset: offset, line: line + 1, column: column + 1)
    }

    /// libyaml's line breaks: LF, CR, NEL (C2 85), LS and PS (E2 80 A8/A9).
    private var endsWithLineBreak: Bool {
        guard let last = bytes.last else { return true }
        if last == 0x0A || last == 0x0D { return true }
        let count = bytes.count
        if count >= 2, bytes[count - 2] == 0xC2, last == 0x85 { return true }
        return count >= 3 && bytes[count - 3] == 0xE2 && bytes[count - 2] == 0x80 && (last == 0xA8 || last == 0xA9)
    }

    /// Code points after the file's last LF or CR (only the last line is walked).
    private var codePointsOnLastLine: Int {
        var count = 0
        var index = bytes.count - 1
        while index >= base, bytes[index] != 0x0A, bytes[index] != 0x0D {
            if bytes[index] & 0xC0 != 0x80 { count += 1 }
            index -= 1
        }
        return count
    }

    private mutating func syntaxError(_ parser: yaml_parser_t) -> YAMLSyntaxError {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) \(context)"
        }
        // Reader errors (bad UTF-8) carry a byte offset rather than a mark.
        if parser.error == YAML_READER_ERROR {
            let offset = min(parser.problem_offset, bytes.count)
            return YAMLSyntaxError(message: message, position: lineColumn(ofByte: offset))
        }
        return YAMLSyntaxError(message: message, position: position(parser.problem_mark))
    }

    /// Line and column of a byte offset, counted directly (used only for reader errors).
    private func lineColumn(ofByte offset: Int) -> SourcePosition {
        var line = 1
        var column = 1
        var index = 0
        while index < offset {
            if bytes[index] == 0x0A {
                line += 1
                column = 1
            } else if bytes[index] & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return SourcePosition(offset: offset, line: line, column: column)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func scalarStyle(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
