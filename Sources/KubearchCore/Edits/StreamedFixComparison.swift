import CYAML

/// The common case of `FixVerifier`, decided while libyaml reads the new text: its events are
/// compared with the old tree as they arrive, and of the new text only what the node-affinity check
/// reads is built (each planned pod spec's `affinity` and `nodeSelector`). Building the whole new
/// tree and then comparing the two was most of what verifying a fix cost.
///
/// When it decides, it has proven what the whole-tree comparison proves: the new text parses,
/// has as many documents, no duplicate key, documents without a planned workload hold the same
/// bytes, and every document equals the old one as `PlainEquality` defines it (planned pod specs
/// once `affinity.nodeAffinity` is set aside). What it cannot decide — anchors, aliases or merge
/// keys, duplicate keys in the old text, any difference at all — it leaves to the whole-tree
/// comparison, which gives the reason; so it never accepts what that comparison would refuse.
enum StreamedFixComparison {
    /// A planned pod spec in the new text, holding only its `affinity` and `nodeSelector` pairs
    /// (what the node-affinity check reads), and whether its document is JSON.
    struct NewPodSpec {
        var node: YAMLNode
        var isJSONDocument: Bool
    }

    /// For each plan, in order, its pod spec in the new text; nil when undecided.
    static func newPodSpecs(original: ScannedFile, fixed: [UInt8], plans: [(Workload, FixPlan)]) -> [NewPodSpec]? {
        let old = original.stream
        guard old.error == nil, old.duplicateKeys.isEmpty, let tree = old.documents.first?.root.tree,
              tree.aliasNames.isEmpty, !tree.decorations.contains(where: { $0.anchor != nil }),
              plans.allSatisfy({ $0.0.podSpec.tree === tree }), fixed.count < Int(Int32.max)
        else { return nil }
        return fixed.withUnsafeBufferPointer { buffer -> [NewPodSpec]? in
            if plans.count == 1, let alone = alone(plans[0].0.podSpec, tree: tree, old: original.bytes, new: buffer) { return [alone] }
            var lockstep = Lockstep(
                tree: tree, old: original.bytes, new: buffer, podSpecs: Set(plans.map(\.0.podSpec.index)),
                targetDocuments: Set(plans.map(\.0.documentIndex)))
            guard lockstep.run(old.documents) else { return nil }
            var found: [NewPodSpec] = []
            for (workload, _) in plans {
                guard let podSpec = lockstep.found[workload.podSpec.index] else { return nil }
                found.append(podSpec)
            }
            return found
        }
    }
}

extension StreamedFixComparison {
    /// A file with one planned pod spec, when the new text is the old one outside the lines of the
    /// pod spec's changed pairs: only those lines are parsed again (libyaml reading the whole text
    /// again was most of what verifying a fix cost, and a fix adds or changes the last pairs). Nil
    /// when that does not apply or does not decide; the whole-text reading then decides.
    ///
    /// Why those lines alone suffice. The pod spec is a block mapping without tag or anchor whose
    /// keys start their lines at column c, and its last line ends with it. The region starts at
    /// the line of the first pair that changed (for pairs added after the last one, on the line
    /// after it) and runs to the end of the pod spec's last line; before and after it the bytes
    /// are the old ones. So libyaml reaches the region in the old state (inside the pod spec at
    /// indentation c with every earlier pair complete, or, when no pair is kept, in its parent,
    /// indented less than c) and leaves it into the old text, which went on with a line indented
    /// less than c or the end of the document. Inside, every token is read against indentations of
    /// c or more, which a parse of the region on its own (its parent at -1) reads alike as long as
    /// it reads one block mapping at column c and then the end, with no document marker: a line
    /// indented less than c, a marker, an unclosed flow collection or quote makes it read something
    /// else, and this returns nil. The kept pairs are the old ones, bytes and places; none is an
    /// `affinity`, a `nodeSelector` or a merge key (the node-affinity check reads those). Events
    /// are placed in the whole text (characters and lines before the region added), so what is
    /// built has the positions the whole-text reading gives.
    static func alone(_ podSpec: YAMLNode, tree: YAMLTree, old: [UInt8], new: UnsafeBufferPointer<UInt8>) -> NewPodSpec? {
        guard podSpec.collectionStyle == .block, podSpec.tag == nil, podSpec.anchor == nil, let pairs = podSpec.pairs.map(Array.init),
              let first = pairs.first
        else { return nil }
        let base = YAMLParser.startsWithBOM(new) ? 3 : 0
        let column = first.key.start.column - 1
        guard let podSpecLine = keyLineStart(first, in: old, base: base) else { return nil }
        // Its last line must end with it (a comment may follow): what else could follow there
        // belongs to a node outside it, which a reading of these lines alone would take in.
        let lineEnd = endOfLine(podSpec.end.offset, in: old)
        guard isSpaceOrComment(old[podSpec.end.offset..<lineEnd]) else { return nil }
        let suffix = old.count - lineEnd
        guard new.count - suffix >= podSpecLine else { return nil }
        let newEnd = new.count - suffix
        guard new[newEnd...].elementsEqual(old[lineEnd...]), new[..<podSpecLine].elementsEqual(old[..<podSpecLine]) else { return nil }

        // The pairs kept, bytes and places: those whose lines all come before the first changed
        // line (with an `affinity`, a `nodeSelector` or a merge key among them, none: the check
        // reads those, and a merge key may bring them).
        var common = podSpecLine
        while common < newEnd, common < old.count, new[common] == old[common] { common += 1 }
        let changedLine = startOfLine(common, in: old, base: base)
        var kept = 0
        while kept < pairs.count, endOfLine(pairs[kept].value.end.offset, in: old) < changedLine { kept += 1 }
        if pairs[..<kept].contains(where: { ["affinity", "nodeSelector", "<<"].contains($0.key.scalar) }) { kept = 0 }
        let regionStart: Int
        let line: Int
        if kept == 0 {
            (regionStart, line) = (podSpecLine, first.key.start.line - 1)
        } else if kept < pairs.count, let keyLine = keyLineStart(pairs[kept], in: old, base: base), keyLine <= changedLine {
            (regionStart, line) = (keyLine, pairs[kept].key.start.line - 1)
        } else {
            // New pairs after the kept ones (an appended affinity), or a change between two pairs.
            // After the last pair, only on the next line: the lines after the pod spec in the old
            // text may have ended it.
            let previous = pairs[kept - 1].value.end
            let nextLine = lineEnd + (old[lineEnd...].starts(with: [SourceText.carriageReturn, SourceText.newline]) ? 2 : 1)
            guard kept < pairs.count || changedLine <= nextLine, changedLine >= previous.offset,
                  let breaks = lineBreaks(in: old[previous.offset..<changedLine])
            else { return nil }
            (regionStart, line) = (changedLine, previous.line - 1 + breaks)
        }
        // At the start of its input libyaml would take a byte order mark for the encoding's.
        guard regionStart == newEnd || new[regionStart] < 0x80 else { return nil }
        // libyaml counts characters (a CRLF is two), lines from 0, and not the BOM.
        let origin = (codePoint: characters(in: old[base..<regionStart]), line: line)
        var lockstep = Lockstep(tree: tree, old: old, new: new, podSpecs: [podSpec.index], region: regionStart..<newEnd, origin: origin)
        // With pairs kept before the region, the pod spec starts where it did.
        let podSpecStart = kept == 0 ? nil : yaml_mark_t(
            index: origin.codePoint - characters(in: old[first.key.start.offset..<regionStart]), line: first.key.start.line - 1, column: column)
        guard lockstep.runAlone(podSpec.index, keeping: kept, column: column, podSpecStart: podSpecStart) else { return nil }
        return lockstep.found[podSpec.index]
    }

    /// Where the line holding a pair's key starts, when only spaces come before the key there.
    private static func keyLineStart(_ pair: YAMLPair, in bytes: [UInt8], base: Int) -> Int? {
        let key = pair.key.start.offset
        let start = startOfLine(key, in: bytes, base: base)
        guard start > base, bytes[start..<key].allSatisfy({ $0 == SourceText.space }) else { return nil }
        return start
    }

    /// After the line break before `offset`, or `base`.
    private static func startOfLine(_ offset: Int, in bytes: [UInt8], base: Int) -> Int {
        var start = offset
        while start > base, bytes[start - 1] != SourceText.newline, bytes[start - 1] != SourceText.carriageReturn { start -= 1 }
        return start
    }

    /// The line break at or after `offset`, or the end.
    private static func endOfLine(_ offset: Int, in bytes: [UInt8]) -> Int {
        var end = offset
        while end < bytes.count, bytes[end] != SourceText.newline, bytes[end] != SourceText.carriageReturn { end += 1 }
        return end
    }

    /// UTF-8 characters: the bytes that are not continuation bytes.
    private static func characters(in bytes: ArraySlice<UInt8>) -> Int {
        bytes.count { $0 & 0xC0 != 0x80 }
    }

    /// Spaces, then nothing or a comment.
    private static func isSpaceOrComment(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let other = bytes.firstIndex(where: { $0 != SourceText.space && $0 != SourceText.tab }) else { return true }
        return other > bytes.startIndex && bytes[other] == UInt8(ascii: "#")
    }

    /// Line breaks as libyaml counts them (a CRLF is one); nil where it may count others (NEL, LS, PS).
    private static func lineBreaks(in bytes: ArraySlice<UInt8>) -> Int? {
        var count = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte < 0x80 else { return nil }
            let next = index + 1 < bytes.endIndex ? bytes[index + 1] : 0
            if byte == SourceText.newline || (byte == SourceText.carriageReturn && next != SourceText.newline) { count += 1 }
            index += 1
        }
        return count
    }
}

/// Reads the new text's events in step with a walk of the old tree.
private struct Lockstep {
    private let tree: YAMLTree
    private let records: [YAMLTree.Record]
    private let children: [Int32]
    private let oldBytes: [UInt8]
    private let bytes: UnsafeBufferPointer<UInt8>
    private let base: Int
    private let reader: YAMLEventReader
    /// Planned pod specs, as record indexes of the old tree, and the documents that hold them.
    private let podSpecs: Set<Int32>
    private let targetDocuments: Set<Int>
    private(set) var found: [Int32: StreamedFixComparison.NewPodSpec] = [:]
    /// Of the document being read: whether its root is a flow mapping and every key so far double-quoted (JSON).
    private var rootIsFlowMapping = false
    private var keysDoubleQuoted = true
    private var foundInDocument: [Int32] = []
    /// Where the last node read ends, as `StreamBuilder` ends nodes (a block collection where its
    /// last child does), and the open collections: flow style, and whether a child was read.
    private var lastEnd = yaml_mark_t()
    private var open: [(isFlow: Bool, hasChild: Bool)] = []
    /// Where the text read starts in the whole new text, when it is a region of it: added to
    /// every mark, so that positions are those of the whole text.
    private let origin: (codePoint: Int, line: Int)

    /// Deeper than this is left to the whole-tree comparison (no Kubernetes object comes close).
    private static let maximumDepth = 200

    /// `region`: only that part of the new text is read; it starts a line that `origin` places
    /// in the whole text.
    init(
        tree: YAMLTree, old: [UInt8], new bytes: UnsafeBufferPointer<UInt8>, podSpecs: Set<Int32>, targetDocuments: Set<Int> = [],
        region: Range<Int>? = nil, origin: (codePoint: Int, line: Int) = (0, 0)
    ) {
        self.tree = tree
        records = tree.records
        children = tree.children
        oldBytes = old
        self.bytes = bytes
        base = YAMLParser.startsWithBOM(bytes) ? 3 : 0
        reader = YAMLEventReader(region.map { UnsafeBufferPointer(rebasing: bytes[$0]) } ?? bytes)
        self.podSpecs = podSpecs
        self.targetDocuments = targetDocuments
        self.origin = origin
    }

    /// Reads a text that holds only the planned pod spec `old` but its first `kept` pairs: one
    /// document of one block mapping whose keys are at `column`, as the pod spec's are.
    /// `podSpecStart`: where the pod spec starts when that is before the text read.
    mutating func runAlone(_ old: Int32, keeping kept: Int, column: Int, podSpecStart: yaml_mark_t?) -> Bool {
        // No `---` or `...`: in the whole text they would end the document.
        guard read(YAML_STREAM_START_EVENT), readImplicit(YAML_DOCUMENT_START_EVENT) else { return false }
        var event = yaml_event_t()
        guard next(&event) else { return false }
        defer { yaml_event_delete(&event) }
        guard event.type == YAML_MAPPING_START_EVENT, event.data.mapping_start.style == YAML_BLOCK_MAPPING_STYLE,
              event.anchor == nil, event.data.mapping_start.tag == nil, event.start_mark.column == column,
              matchPodSpec(old, keeping: kept, start: podSpecStart ?? event.start_mark, depth: 1)
        else { return false }
        return readImplicit(YAML_DOCUMENT_END_EVENT) && read(YAML_STREAM_END_EVENT)
    }

    /// Reads a document start or end event that no marker wrote.
    private mutating func readImplicit(_ type: yaml_event_type_t) -> Bool {
        var event = yaml_event_t()
        guard next(&event) else { return false }
        defer { yaml_event_delete(&event) }
        switch event.type {
        case YAML_DOCUMENT_START_EVENT: return type == event.type && event.data.document_start.implicit != 0
        case YAML_DOCUMENT_END_EVENT: return type == event.type && event.data.document_end.implicit != 0
        default: return false
        }
    }

    mutating func run(_ documents: [YAMLDocument]) -> Bool {
        guard read(YAML_STREAM_START_EVENT) else { return false }
        var offsets = CodePointOffsetMap(bytes: bytes, base: base)
        for document in documents {
            var event = yaml_event_t()
            guard next(&event) else { return false }
            let isStart = event.type == YAML_DOCUMENT_START_EVENT
            let start = event.start_mark
            yaml_event_delete(&event)
            guard isStart else { return false }
            rootIsFlowMapping = false
            keysDoubleQuoted = true
            guard matchNext(document.root.index, depth: 0), next(&event) else { return false }
            let isEnd = event.type == YAML_DOCUMENT_END_EVENT
            let end = event.data.document_end.implicit == 0 ? event.end_mark : lastEnd
            yaml_event_delete(&event)
            guard isEnd else { return false }
            // As the whole-tree comparison does: a document without a planned workload keeps its bytes.
            if !targetDocuments.contains(document.index) {
                let newStart = offsets.byteOffset(ofCodePoint: Int(start.index))
                let newEnd = offsets.byteOffset(ofCodePoint: Int(end.index))
                guard newStart <= newEnd, oldBytes[document.range.bytes].elementsEqual(bytes[newStart..<newEnd]) else { return false }
            }
            for podSpec in foundInDocument { found[podSpec]?.isJSONDocument = rootIsFlowMapping && keysDoubleQuoted }
            foundInDocument.removeAll()
        }
        return read(YAML_STREAM_END_EVENT)
    }

    // MARK: Events

    /// The next event (which the caller deletes), noting where nodes end.
    private mutating func next(_ event: inout yaml_event_t) -> Bool {
        guard reader.next(&event) else { return false }
        if origin.line != 0 || origin.codePoint != 0 {
            event.start_mark.index += origin.codePoint
            event.start_mark.line += origin.line
            event.end_mark.index += origin.codePoint
            event.end_mark.line += origin.line
        }
        switch event.type {
        case YAML_SCALAR_EVENT, YAML_ALIAS_EVENT:
            lastEnd = event.end_mark
            if !open.isEmpty { open[open.count - 1].hasChild = true }
        case YAML_SEQUENCE_START_EVENT:
            open.append((event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE, false))
        case YAML_MAPPING_START_EVENT:
            open.append((event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE, false))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let closed = open.popLast() else { break }
            if closed.isFlow || !closed.hasChild { lastEnd = event.end_mark }
            if !open.isEmpty { open[open.count - 1].hasChild = true }
        default:
            break
        }
        return true
    }

    /// Reads one event and checks its type.
    private mutating func read(_ type: yaml_event_type_t) -> Bool {
        var event = yaml_event_t()
        guard next(&event) else { return false }
        defer { yaml_event_delete(&event) }
        return event.type == type
    }

    // MARK: Matching the old tree

    private mutating func matchNext(_ old: Int32, depth: Int) -> Bool {
        var event = yaml_event_t()
        guard next(&event) else { return false }
        defer { yaml_event_delete(&event) }
        return match(old, event, depth: depth)
    }

    /// Whether the node starting with `event` equals the old node (and reads the rest of it).
    private mutating func match(_ old: Int32, _ event: yaml_event_t, depth: Int) -> Bool {
        guard depth < Self.maximumDepth, event.anchor == nil else { return false }
        let record = records[Int(old)]
        if depth == 0 {
            rootIsFlowMapping = event.type == YAML_MAPPING_START_EVENT && event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
        }
        switch record.kind {
        case .scalar:
            return event.type == YAML_SCALAR_EVENT && sameScalar(record, event)
        case .alias:
            return false
        case .sequence:
            guard event.type == YAML_SEQUENCE_START_EVENT else { return false }
            for offset in 0..<Int(record.count) {
                guard matchNext(children[Int(record.payload) + offset], depth: depth + 1) else { return false }
            }
            return read(YAML_SEQUENCE_END_EVENT)
        case .mapping:
            guard event.type == YAML_MAPPING_START_EVENT else { return false }
            if podSpecs.contains(old) { return matchPodSpec(old, start: event.start_mark, depth: depth) }
            for offset in stride(from: 0, to: Int(record.count), by: 2) {
                let entry = Int(record.payload) + offset
                guard matchKeyNext(children[entry]), matchNext(children[entry + 1], depth: depth + 1) else { return false }
            }
            return read(YAML_MAPPING_END_EVENT)
        }
    }

    private mutating func matchKeyNext(_ old: Int32) -> Bool {
        var event = yaml_event_t()
        guard next(&event) else { return false }
        defer { yaml_event_delete(&event) }
        return matchKey(old, event)
    }

    /// A key: as any node, but a merge key is left undecided (the node-affinity check would read through it).
    private mutating func matchKey(_ old: Int32, _ event: yaml_event_t) -> Bool {
        guard event.type == YAML_SCALAR_EVENT else { return false }  // old keys are scalars: no alias, no collection
        noteKey(event)
        let plain = event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
        return !YAMLTree.isMergeKey(plain: plain, value: event.scalarBytes) && match(old, event, depth: 1)
    }

    private mutating func noteKey(_ event: yaml_event_t) {
        if event.type != YAML_SCALAR_EVENT || event.data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE { keysDoubleQuoted = false }
    }

    /// Same style, same value bytes, same tag (anchors were refused before).
    private func sameScalar(_ record: YAMLTree.Record, _ event: yaml_event_t) -> Bool {
        let scalar = event.data.scalar
        guard StreamBuilder.scalarStyle(scalar.style).rawValue == record.style,
              tree.value(of: record, equals: event.scalarBytes)
        else { return false }
        let oldTag = record.decoration < 0 ? nil : tree.decorations[Int(record.decoration)].tag
        guard let tag = scalar.tag else { return oldTag == nil }
        guard let oldTag else { return false }
        return oldTag.utf8.elementsEqual(UnsafeBufferPointer(start: tag, count: strlen(tag)))
    }

    // MARK: Planned pod specs

    /// A planned pod spec, its start event read. Its pairs are compared with the old entries once
    /// `affinity.nodeAffinity` is set aside (`PlainEquality.settingAsideNodeAffinity`): `affinity`
    /// and `nodeSelector` pairs are built (the check reads them) and compared as nodes, the others
    /// stream. An `affinity` lines up with an old `affinity` entry where one is next, and must
    /// then equal it; otherwise it must be set aside entirely.
    /// `kept`: the first pairs, which precede the text read (`runAlone`), are not compared.
    private mutating func matchPodSpec(_ old: Int32, keeping kept: Int = 0, start: yaml_mark_t, depth: Int) -> Bool {
        guard let oldPairs = YAMLNode(tree: tree, index: old).pairs else { return false }
        let oldEntries = kept == 0
            ? PlainEquality.settingAsideNodeAffinity(oldPairs) : oldPairs.dropFirst(kept).compactMap(PlainEquality.entry(settingAsideNodeAffinity:))
        var built = StreamBuilder(bytes: bytes, base: base, skipped: YAMLSkipSet([]))
        built.openFragment(at: start)
        /// For each built pair, the old entry it must equal, or nil when it must be set aside.
        var lineUp: [Int?] = []
        var nextEntry = 0
        var end = start
        while true {
            var key = yaml_event_t()
            guard next(&key) else { return false }
            defer { yaml_event_delete(&key) }
            if key.type == YAML_MAPPING_END_EVENT {
                end = key.end_mark
                break
            }
            guard key.type == YAML_SCALAR_EVENT else { return false }
            let name = key.scalarBytes
            let isAffinity = name.elementsEqual("affinity".utf8)
            if isAffinity || name.elementsEqual("nodeSelector".utf8) {
                noteKey(key)
                guard key.anchor == nil, built.feed(&key), build(into: &built) else { return false }
                let linesUp = nextEntry < oldEntries.count && (!isAffinity || Self.isAffinity(oldEntries[nextEntry]))
                if !isAffinity && !linesUp { return false }
                lineUp.append(linesUp ? nextEntry : nil)
                if linesUp { nextEntry += 1 }
                continue
            }
            guard nextEntry < oldEntries.count, oldEntries[nextEntry].remainingPairs == nil,
                  matchKey(oldEntries[nextEntry].key.index, key),
                  matchNext(oldEntries[nextEntry].value.index, depth: depth + 1)
            else { return false }
            nextEntry += 1
        }
        guard nextEntry == oldEntries.count, let podSpec = built.finishFragment(at: end), built.duplicateKeys.isEmpty,
              let pairs = podSpec.pairs, pairs.count == lineUp.count
        else { return false }
        for (pair, index) in zip(pairs, lineUp) {
            if !EditStyle.allKeysDoubleQuoted(pair.value) { keysDoubleQuoted = false }
            switch (PlainEquality.entry(settingAsideNodeAffinity: pair), index) {
            case (nil, nil):
                continue
            case (let entry?, let index?):
                guard PlainEquality.equal([oldEntries[index]], settingAside: [], [entry], settingAside: []) else { return false }
            default:
                return false
            }
        }
        found[old] = StreamedFixComparison.NewPodSpec(node: podSpec, isJSONDocument: false)
        foundInDocument.append(old)
        return true
    }

    private static func isAffinity(_ entry: PlainEquality.Entry) -> Bool {
        if case .scalar("affinity", _) = entry.key.content { true } else { false }
    }

    /// Feeds one whole node's events to `built` (a value whose key was fed).
    private mutating func build(into built: inout StreamBuilder) -> Bool {
        var open = 0
        repeat {
            var event = yaml_event_t()
            guard next(&event) else { return false }
            defer { yaml_event_delete(&event) }
            guard event.anchor == nil, event.type != YAML_ALIAS_EVENT else { return false }
            switch event.type {
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT: open += 1
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT: open -= 1
            default: break
            }
            guard built.feed(&event) else { return false }
        } while open > 0
        return true
    }
}
