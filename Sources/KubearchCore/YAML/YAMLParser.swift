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
        parse(bytes, skippingValuesOf: YAMLSkipSet(skipped))
    }

    /// As `parse(_:skippingValuesOf:)` with a set prepared once for many files.
    public static func parse(_ bytes: [UInt8], skippingValuesOf skipped: YAMLSkipSet) -> YAMLStream {
        guard !skipped.isEmpty else { return parse(bytes) }
        return parse(bytes, skipping: skipped) ?? parse(bytes)
    }

    public static func parse(_ bytes: [UInt8]) -> YAMLStream {
        // Without a skip set the builder never gives up.
        parse(bytes, skipping: noSkipping) ?? YAMLStream(documents: [], error: nil, hasBOM: false, lineEnding: .lf)
    }

    private static let noSkipping = YAMLSkipSet([])

    /// nil when a skipped anchor was referenced (the caller parses again in full).
    private static func parse(_ bytes: [UInt8], skipping skipped: YAMLSkipSet) -> YAMLStream? {
        let hasBOM = startsWithBOM(bytes)
        let lineEnding = detectLineEnding(bytes)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let error = YAMLSyntaxError(
                message: "UTF-16 text is not supported; save the file as UTF-8",
                position: SourcePosition(offset: 0, line: 1, column: 1))
            return YAMLStream(documents: [], error: error, hasBOM: false, lineEnding: lineEnding)
        }
        // Node records hold 32-bit positions and value offsets.
        if bytes.count >= Int(Int32.max) {
            let error = YAMLSyntaxError(
                message: "files of 2 GiB or more are not supported",
                position: SourcePosition(offset: 0, line: 1, column: 1))
            return YAMLStream(documents: [], error: error, hasBOM: hasBOM, lineEnding: lineEnding)
        }
        return bytes.withUnsafeBufferPointer { buffer in
            var builder = StreamBuilder(bytes: buffer, base: hasBOM ? 3 : 0, skipped: skipped)
            builder.run()
            if builder.referencedSkippedAnchor { return nil }
            let tree = builder.makeTree()
            let documents = builder.documents.enumerated().map { index, document in
                YAMLDocument(
                    index: index, root: YAMLNode(tree: tree, index: document.root), range: document.range,
                    hasExplicitStart: document.hasExplicitStart, hasExplicitEnd: document.hasExplicitEnd)
            }
            return YAMLStream(
                documents: documents, error: builder.error, hasBOM: hasBOM, lineEnding: lineEnding,
                duplicateKeys: builder.duplicateKeys.sorted { $0.position < $1.position })
        }
    }

    /// A UTF-8 byte order mark, which libyaml skips (its marks count from after it).
    static func startsWithBOM(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0xEF, 0xBB, 0xBF])
    }

    static func detectLineEnding(_ bytes: [UInt8]) -> LineEnding {
        guard let newline = bytes.firstIndex(of: 0x0A) else { return .lf }
        return newline > 0 && bytes[newline - 1] == 0x0D ? .crlf : .lf
    }
}

/// The event loop. One instance parses one stream into the arrays of a `YAMLTree` (or, fed events
/// by another reader, some nodes of it: see the fragment methods).
struct StreamBuilder {
    /// An open collection. Its children's record indexes wait in `pendingChildren` from
    /// `firstPending` on until it closes, when they move to `children` as one run.
    private struct Frame {
        var isMapping: Bool
        var start: SourcePosition
        var style: CollectionStyle
        var decoration: Int32
        var firstPending: Int
        /// In a mapping: whether the next node completed is a key.
        var expectingKey = true
        /// Keys whose values were skipped: still counted when looking for duplicate keys.
        var skippedKeys: [Int32] = []
    }

    /// A document's root, made a node once the tree exists.
    struct DocumentRoot {
        var root: Int32
        var range: SourceRange
        var hasExplicitStart: Bool
        var hasExplicitEnd: Bool
    }

    /// A collection inside a skipped value: only its keys are tracked, for duplicate detection.
    private struct SkippedCollection {
        var isMapping: Bool
        var expectingKey = true
        /// While the mapping is small its keys sit in `skippedKeys` from here on (a scan beats
        /// hashing there, and one shared array beats one per mapping); `index` takes over past
        /// `smallMapping` keys, so a huge mapping stays linear.
        var firstKey: Int
        var index: [[UInt8]: SourcePosition]?

        static let smallMapping = 16
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    /// Where the text starts: 3 after a UTF-8 BOM, which libyaml does not count.
    private let base: Int
    private var offsets: CodePointOffsetMap
    private var stack: [Frame] = []
    private var pendingChildren: [Int32] = []
    private var anchors: [String: Int32] = [:]
    private var documentStart: SourcePosition?
    private var documentExplicitStart = false
    private var root: Int32?
    private(set) var records: [YAMLTree.Record] = []
    private(set) var children: [Int32] = []
    private(set) var values: [UInt8] = []
    private(set) var aliasNames: [String] = []
    private(set) var decorations: [YAMLTree.Decoration] = []
    private(set) var documents: [DocumentRoot] = []
    private(set) var error: YAMLSyntaxError?
    private(set) var duplicateKeys: [YAMLDuplicateKey] = []

    /// Keys whose values are consumed without building nodes.
    private let skipped: YAMLSkipSet
    /// Open collections inside the value being skipped; nil when not skipping.
    private var skipNesting: Int?
    private var skippedAnchors: Set<String> = []
    private var skippedCollections: [SkippedCollection] = []
    /// Keys of the small mappings in `skippedCollections`, innermost last: where their text is in
    /// `skippedKeyBytes` (compared as bytes, no string made unless a key repeats) and where they are.
    private var skippedKeys: [(bytes: Range<Int>, position: SourcePosition)] = []
    private var skippedKeyBytes: [UInt8] = []
    private(set) var referencedSkippedAnchor = false

    init(bytes: UnsafeBufferPointer<UInt8>, base: Int, skipped: YAMLSkipSet) {
        self.bytes = bytes
        self.base = base
        self.offsets = CodePointOffsetMap(bytes: bytes, base: base)
        self.skipped = skipped
        // Roughly one node per 24 bytes of Kubernetes YAML (fewer in a lean parse): most files then
        // never grow these arrays.
        let expectedNodes = bytes.count / 24 + 8
        records.reserveCapacity(expectedNodes)
        children.reserveCapacity(expectedNodes)
        values.reserveCapacity(bytes.count / 2)
        pendingChildren.reserveCapacity(64)
        stack.reserveCapacity(16)
    }

    mutating func run() {
        let reader = YAMLEventReader(bytes)
        guard reader.isReady else {
            error = YAMLSyntaxError(message: "libyaml could not allocate a parser", position: position(0, 0, 0))
            return
        }
        var event = yaml_event_t()
        while true {
            guard reader.next(&event) else {
                error = syntaxError(reader.state)
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

    func makeTree() -> YAMLTree {
        YAMLTree(records: records, children: children, values: values, aliasNames: aliasNames, decorations: decorations)
    }

    // MARK: Fragments

    /// Starts a block mapping at `mark` that will hold the pairs whose events are fed next: a
    /// reader that builds only a few pairs of a mapping gets them as one node, positioned in the
    /// whole text.
    mutating func openFragment(at mark: yaml_mark_t) {
        stack.append(Frame(isMapping: true, start: position(mark), style: .block, decoration: -1, firstPending: pendingChildren.count))
    }

    /// Builds one event into the fragment; false (and `error` set) when it cannot be (an alias
    /// to an anchor outside the fragment, too deep).
    mutating func feed(_ event: inout yaml_event_t) -> Bool {
        if error == nil, let problem = handle(&event) { error = problem }
        return error == nil
    }

    /// The fragment's mapping, ending at `mark`; nil after an error or with a collection still open.
    mutating func finishFragment(at mark: yaml_mark_t) -> YAMLNode? {
        guard error == nil, stack.count == 1, let frame = stack.popLast() else { return nil }
        let node = close(frame, end: position(mark))
        return YAMLNode(tree: makeTree(), index: node)
    }

    /// Consumes one event of a skipped value, remembering anchors defined inside it.
    private mutating func skip(_ event: inout yaml_event_t) {
        if event.type == YAML_ALIAS_EVENT, let name = Self.string(event.data.alias.anchor), skippedAnchors.contains(name) {
            referencedSkippedAnchor = true
        }
        if let name = Self.string(event.anchor) { skippedAnchors.insert(name) }
        var nesting = skipNesting ?? 0
        switch event.type {
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            nesting += 1
            skippedCollections.append(SkippedCollection(isMapping: event.type == YAML_MAPPING_START_EVENT, firstKey: skippedKeys.count))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            nesting -= 1
            let closed = skippedCollections.removeLast()
            removeSkippedKeys(from: closed.firstKey)
            skippedValueDone()
        case YAML_SCALAR_EVENT:
            // Duplicate keys inside a skipped value are reported exactly as a full parse would.
            if let top = skippedCollections.last, top.isMapping, top.expectingKey {
                let key = event.scalarBytes
                if !YAMLTree.isMergeKey(plain: event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE, value: key) {
                    let here = position(event.start_mark)
                    if let first = firstPosition(of: key, seenAt: here) {
                        duplicateKeys.append(YAMLDuplicateKey(key: String(decoding: key, as: UTF8.self), position: here, firstPosition: first))
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

    /// Where `key` was first seen in the innermost skipped mapping, or nil after recording it as seen `here`.
    private mutating func firstPosition(of key: UnsafeBufferPointer<UInt8>, seenAt here: SourcePosition) -> SourcePosition? {
        let top = skippedCollections.count - 1
        if skippedCollections[top].index == nil {
            let first = skippedCollections[top].firstKey
            for seen in skippedKeys[first...] where seen.bytes.count == key.count
                && skippedKeyBytes[seen.bytes].withUnsafeBufferPointer({ $0.elementsEqual(key) }) {
                return seen.position
            }
            let start = skippedKeyBytes.count
            skippedKeyBytes.append(contentsOf: key)
            skippedKeys.append((start..<skippedKeyBytes.count, here))
            if skippedKeys.count - first > SkippedCollection.smallMapping {
                skippedCollections[top].index = Dictionary(
                    skippedKeys[first...].map { (Array(skippedKeyBytes[$0.bytes]), $0.position) },
                    uniquingKeysWith: { first, _ in first })
                removeSkippedKeys(from: first)
            }
            return nil
        }
        let text = Array(key)
        if let first = skippedCollections[top].index?[text] { return first }
        skippedCollections[top].index?[text] = here
        return nil
    }

    /// Forgets the skipped keys from `first` on, and their bytes.
    private mutating func removeSkippedKeys(from first: Int) {
        guard first < skippedKeys.count else { return }
        skippedKeyBytes.removeLast(skippedKeyBytes.count - skippedKeys[first].bytes.lowerBound)
        skippedKeys.removeLast(skippedKeys.count - first)
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
                let explicitEnd = event.data.document_end.implicit == 0
                let documentEnd = explicitEnd ? end : records[Int(root)].end
                documents.append(DocumentRoot(
                    root: root, range: SourceRange(start: documentStart, end: documentEnd),
                    hasExplicitStart: documentExplicitStart, hasExplicitEnd: explicitEnd))
            }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = event.scalarBytes
            let decoration = decorate(tag: scalar.tag, anchor: scalar.anchor)
            let offset = Int32(truncatingIfNeeded: values.count)
            values.append(contentsOf: value)
            let node = append(.scalar, style: Self.scalarStyle(scalar.style).rawValue, start: start, end: end,
                              payload: offset, count: Int32(truncatingIfNeeded: value.count), decoration: decoration)
            complete(node, key: value)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                if skippedAnchors.contains(name) {
                    referencedSkippedAnchor = true
                    return nil
                }
                return YAMLSyntaxError(message: "found undefined alias '\(name)'", position: start)
            }
            aliasNames.append(name)
            let node = append(.alias, style: 0, start: start, end: end, payload: target, count: Int32(aliasNames.count - 1), decoration: -1)
            // An alias key is never skipped: `skip` would not know the value belongs to it.
            complete(node, key: nil)
        case YAML_SEQUENCE_START_EVENT:
            if stack.count >= YAMLParser.maximumDepth { return tooDeep(start) }
            let data = event.data.sequence_start
            let style: CollectionStyle = data.style == YAML_FLOW_SEQUENCE_STYLE ? .flow : .block
            stack.append(Frame(
                isMapping: false, start: start, style: style, decoration: decorate(tag: data.tag, anchor: data.anchor),
                firstPending: pendingChildren.count))
        case YAML_MAPPING_START_EVENT:
            if stack.count >= YAMLParser.maximumDepth { return tooDeep(start) }
            let data = event.data.mapping_start
            let style: CollectionStyle = data.style == YAML_FLOW_MAPPING_STYLE ? .flow : .block
            stack.append(Frame(
                isMapping: true, start: start, style: style, decoration: decorate(tag: data.tag, anchor: data.anchor),
                firstPending: pendingChildren.count))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { break }
            complete(close(frame, end: end), key: nil)
        default:
            break
        }
        return nil
    }

    private mutating func append(
        _ kind: YAMLTree.Kind, style: UInt8, start: SourcePosition, end: SourcePosition, payload: Int32, count: Int32,
        decoration: Int32
    ) -> Int32 {
        // Positions and value offsets fit: `parse` refuses input of 2 GiB or more.
        records.append(YAMLTree.Record(
            kind: kind, style: style,
            startOffset: UInt32(truncatingIfNeeded: start.offset), startLine: UInt32(truncatingIfNeeded: start.line),
            startColumn: UInt32(truncatingIfNeeded: start.column),
            endOffset: UInt32(truncatingIfNeeded: end.offset), endLine: UInt32(truncatingIfNeeded: end.line),
            endColumn: UInt32(truncatingIfNeeded: end.column),
            payload: payload, count: count, decoration: decoration))
        return Int32(records.count - 1)
    }

    /// The index of a new tag-and-anchor entry, or -1 for a node with neither; remembers the anchor
    /// so that the node can be found by its aliases once it is complete.
    private mutating func decorate(tag: UnsafeMutablePointer<yaml_char_t>?, anchor: UnsafeMutablePointer<yaml_char_t>?) -> Int32 {
        guard tag != nil || anchor != nil else { return -1 }
        decorations.append(YAMLTree.Decoration(tag: Self.string(tag), anchor: Self.string(anchor)))
        return Int32(decorations.count - 1)
    }

    private mutating func close(_ frame: Frame, end: SourcePosition) -> Int32 {
        var count = pendingChildren.count - frame.firstPending
        // libyaml always ends a mapping after a value; a dangling key would be a parser bug.
        if frame.isMapping, count % 2 == 1 { count -= 1 }
        let entries = frame.firstPending..<(frame.firstPending + count)
        if frame.isMapping { findDuplicateKeys(frame, entries: entries) }
        // A block collection ends where its last child does; libyaml's end mark is the next token.
        let last = frame.style == .block && count > 0 ? records[Int(pendingChildren[entries.upperBound - 1])].end : end
        let first = Int32(children.count)
        children.append(contentsOf: pendingChildren[entries])
        // Shrinking from the end keeps the storage (removeSubrange is a generic replace).
        pendingChildren.removeLast(pendingChildren.count - frame.firstPending)
        return append(
            frame.isMapping ? .mapping : .sequence, style: frame.style.rawValue, start: frame.start, end: last,
            payload: first, count: Int32(entries.count), decoration: frame.decoration)
    }

    /// Adds a finished node to the open collection (or makes it the document's root). `key` is the
    /// text of a scalar node, which decides whether a lean parse skips the value that follows it.
    private mutating func complete(_ node: Int32, key: UnsafeBufferPointer<UInt8>?) {
        let decoration = records[Int(node)].decoration
        if decoration >= 0, let anchor = decorations[Int(decoration)].anchor { anchors[anchor] = node }
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return
        }
        if !stack[top].isMapping || !stack[top].expectingKey {
            pendingChildren.append(node)
            stack[top].expectingKey = true
        } else if !skipped.isEmpty, let key, skipped.contains(bytes: key) {
            // Leave the value (and so the pair) out: the next events up to its end are consumed by `skip`.
            stack[top].skippedKeys.append(node)
            skipNesting = 0
        } else {
            pendingChildren.append(node)
            stack[top].expectingKey = false
        }
    }

    /// Scalar keys seen twice in one mapping (`<<` merge keys aside), skipped keys included.
    ///
    /// The keys are the mapping's written keys (every other entry) and its skipped keys, both in
    /// source order. Most mappings are small, where comparing keys in place beats building a set.
    private mutating func findDuplicateKeys(_ frame: Frame, entries: Range<Int>) {
        let written = entries.count / 2
        let total = written + frame.skippedKeys.count
        guard total > 1 else { return }
        // Locals, not `self`: a closure that reads `self` in a mutating method copied the builder.
        let pending = pendingChildren
        let records = records
        let values = values
        func key(_ position: Int) -> Int32 {
            position < written ? pending[entries.lowerBound + 2 * position] : frame.skippedKeys[position - written]
        }
        if total <= 16 {
            var found: [(key: Int32, first: Int32)] = []
            withUnsafeTemporaryAllocation(of: KeySignature.self, capacity: total) { signatures in
                for position in 0..<total {
                    signatures[position] = KeySignature(key(position), records: records, values: values)
                }
                // For each key that is not a merge key, the earliest other scalar key written before
                // it with the same text. Signatures rule out almost every pair without reading text.
                for later in 0..<total where signatures[later].isComparable && !signatures[later].isMergeKey {
                    var first: Int?
                    for earlier in 0..<total where earlier != later
                        && signatures[earlier].isComparable
                        && signatures[earlier].bits == signatures[later].bits
                        && signatures[earlier].offset < signatures[later].offset
                        && first.map({ signatures[earlier].offset < signatures[$0].offset }) ?? true
                        && YAMLTree.sameValue(records[Int(signatures[earlier].node)], records[Int(signatures[later].node)], in: values) {
                        first = earlier
                    }
                    if let first { found.append((signatures[later].node, signatures[first].node)) }
                }
            }
            for (node, first) in found {
                recordDuplicate(text(of: node), node, first: first)
            }
            return
        }
        var keys = (0..<total).map(key)
        if !frame.skippedKeys.isEmpty { keys.sort { records[Int($0)].startOffset < records[Int($1)].startOffset } }
        var firstKeys: [[UInt8]: Int32] = [:]
        for index in keys where isScalar(index) && !YAMLTree.isMergeKey(records[Int(index)], in: values) {
            let record = records[Int(index)]
            let value = Array(values[Int(record.payload)..<Int(record.payload + record.count)])
            if let first = firstKeys[value] {
                recordDuplicate(text(of: index), index, first: first)
            } else {
                firstKeys[value] = index
            }
        }
    }

    private func isScalar(_ node: Int32) -> Bool { records[Int(node)].kind == .scalar }

    /// What duplicate detection compares first: equal texts have equal `bits` (the length and
    /// first bytes of the text).
    private struct KeySignature {
        var node: Int32
        var offset: UInt32
        var bits: UInt64
        /// A scalar: only scalar keys can be duplicates.
        var isComparable: Bool
        var isMergeKey: Bool

        init(_ node: Int32, records: [YAMLTree.Record], values: [UInt8]) {
            self.node = node
            let record = records[Int(node)]
            offset = record.startOffset
            guard record.kind == .scalar else {
                bits = 0
                isComparable = false
                isMergeKey = false
                return
            }
            let length = Int(record.count)
            var bits = UInt64(truncatingIfNeeded: length) << 56
            for index in 0..<min(length, 7) { bits |= UInt64(values[Int(record.payload) + index]) << (8 * index) }
            self.bits = bits
            isComparable = true
            // Two bytes long, else no merge key: most keys are settled without reading them again.
            isMergeKey = length == 2 && YAMLTree.isMergeKey(record, in: values)
        }
    }

    /// A scalar record's value as text.
    private func text(of node: Int32) -> String {
        YAMLTree.text(of: records[Int(node)], in: values)
    }

    private mutating func recordDuplicate(_ key: String, _ node: Int32, first: Int32) {
        duplicateKeys.append(YAMLDuplicateKey(key: key, position: records[Int(node)].start, firstPosition: records[Int(first)].start))
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

    static func scalarStyle(_ style: yaml_scalar_style_t) -> ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
