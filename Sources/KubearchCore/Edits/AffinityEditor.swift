/// Computes the byte edits that add or narrow one workload's architecture node affinity (SPEC §6).
///
/// Where new keys go: always at the END of the mapping that receives them (`affinity` after the pod
/// spec's last key, `nodeAffinity` after `podAffinity`/`podAntiAffinity`, `required…` before any
/// new `preferred…`, `matchExpressions` after a term's `matchFields`), and new sequence items after
/// the last item. One rule at every level keeps the diff predictable. A block insertion goes at the
/// start of the line after the last child, so a trailing `# comment` on that child's line stays
/// where it is, and comment lines that follow (usually about the next object) stay below the new
/// lines.
///
/// Decisions per required node selector term, in this order:
/// 1. it holds a managed arch expression → rewrite that expression's `values` when they differ
///    from D (KA007), nothing else;
/// 2. it already allows only architectures within D → no edit (a narrower user term needs no
///    help; this also keeps JSON, which has no markers, idempotent);
/// 3. otherwise the managed expression is appended to its `matchExpressions` (created if absent).
public enum AffinityEditor {
    public static func edits(for workload: Workload, plan: FixPlan, in file: ScannedFile) throws(FixError) -> [TextEdit] {
        if let error = file.stream.error { throw .unparsableSource(error.description) }
        if file.isTemplate { throw .unparsableSource("it is a template") }
        guard !plan.architectures.isEmpty || plan.preferredArchitecture != nil else { throw .emptyPlan }
        guard let document = file.stream.documents.first(where: { $0.index == workload.documentIndex }) else {
            throw .unsupportedShape(path: workload.podSpecPathDescription, reason: "is not in this file's documents")
        }
        // Which of two equal keys counts is a guess (Kubernetes rejects both); edit no such document.
        if let duplicate = file.stream.duplicateKeys.first(where: { document.range.bytes.contains($0.position.offset) }) {
            throw .unsupportedShape(
                path: workload.podSpecPathDescription,
                reason: "is in a document with the duplicate key `\(duplicate.key)` at \(duplicate.position)")
        }
        var session = try EditSession(file: file, document: document, workload: workload, plan: plan)
        try session.run()
        return session.edits
    }
}

/// One workload's edit computation.
private struct EditSession {
    let source: SourceText
    let plan: FixPlan
    let workload: Workload
    let document: YAMLDocument
    let podSpec: YAMLNode
    let renderer: SnippetRenderer
    let referencedAnchors: Set<String>
    private(set) var edits: [TextEdit] = []
    private var pendingMarkers: [PendingMarker] = []

    private var style: EditStyle { renderer.style }

    init(file: ScannedFile, document: YAMLDocument, workload: Workload, plan: FixPlan) throws(FixError) {
        self.source = SourceText(bytes: file.bytes, hasBOM: file.stream.hasBOM)
        self.plan = plan
        self.workload = workload
        self.document = document
        var anchors = Set<String>()
        // Most files have no alias at all: then no walk over the document.
        if !document.root.tree.aliasNames.isEmpty { Self.collectAliases(document.root, into: &anchors) }
        self.referencedAnchors = anchors
        self.podSpec = try Self.locatePodSpec(document: document, workload: workload, referencedAnchors: anchors)
        self.renderer = SnippetRenderer(style: EditStyle.detect(
            document: document, podSpec: podSpec, source: source, lineEnding: file.stream.lineEnding))
    }

    mutating func run() throws(FixError) {
        let path = workload.podSpecPathDescription
        let nodeAffinity = SnippetPair("nodeAffinity", .mapping(AffinitySnippets.nodeAffinityPairs(plan)))
        switch try slot("affinity", in: podSpec, path: path) {
        case .missing:
            try insertPairs([SnippetPair("affinity", .mapping([nodeAffinity]))], into: podSpec)
        case .empty(let value, let key):
            try fill(value, key: key, parent: podSpec, with: .mapping([nodeAffinity]))
        case .mapping(let affinity):
            try Self.requireUnshared(affinity, path: path + ".affinity", referencedAnchors: referencedAnchors)
            try affinityLevel(affinity, path: path + ".affinity")
        case .sequence:
            throw .unsupportedShape(path: path + ".affinity", reason: "is a list, not a mapping")
        }
        finishMarkers()
    }

    // MARK: Levels

    private mutating func affinityLevel(_ affinity: YAMLNode, path: String) throws(FixError) {
        let pairs = AffinitySnippets.nodeAffinityPairs(plan)
        switch try slot("nodeAffinity", in: affinity, path: path) {
        case .missing:
            try insertPairs([SnippetPair("nodeAffinity", .mapping(pairs))], into: affinity)
        case .empty(let value, let key):
            try fill(value, key: key, parent: affinity, with: .mapping(pairs))
        case .mapping(let nodeAffinity):
            try nodeAffinityLevel(nodeAffinity, path: path + ".nodeAffinity")
        case .sequence:
            throw .unsupportedShape(path: path + ".nodeAffinity", reason: "is a list, not a mapping")
        }
    }

    private mutating func nodeAffinityLevel(_ nodeAffinity: YAMLNode, path: String) throws(FixError) {
        var newPairs: [SnippetPair] = []
        let requiredPath = path + "." + AffinitySnippets.required
        // An empty D with a preferred architecture asks for the preferred term only.
        let requiredSlot: Slot? = plan.architectures.isEmpty ? nil : try slot(AffinitySnippets.required, in: nodeAffinity, path: path)
        switch requiredSlot {
        case nil:
            break
        case .missing:
            newPairs.append(SnippetPair(AffinitySnippets.required, AffinitySnippets.requiredSelector(plan.architectures)))
        case .empty(let value, let key):
            try fill(value, key: key, parent: nodeAffinity, with: AffinitySnippets.requiredSelector(plan.architectures))
        case .mapping(let required):
            try requiredLevel(required, path: requiredPath)
        case .sequence:
            throw .unsupportedShape(path: requiredPath, reason: "is a list, not a mapping")
        }
        if let preferred = plan.preferredArchitecture {
            let entries = Snippet.sequence([AffinitySnippets.preferredEntry(preferred)])
            let preferredPath = path + "." + AffinitySnippets.preferred
            switch try slot(AffinitySnippets.preferred, in: nodeAffinity, path: path) {
            case .missing:
                newPairs.append(SnippetPair(AffinitySnippets.preferred, entries))
            case .empty(let value, let key):
                try fill(value, key: key, parent: nodeAffinity, with: entries)
            case .sequence(let list):
                try preferredLevel(list, architecture: preferred, path: preferredPath)
            case .mapping:
                throw .unsupportedShape(path: preferredPath, reason: "is a mapping, not a list")
            }
        }
        if !newPairs.isEmpty { try insertPairs(newPairs, into: nodeAffinity) }
    }

    private mutating func requiredLevel(_ required: YAMLNode, path: String) throws(FixError) {
        let termsPath = path + ".nodeSelectorTerms"
        switch try slot("nodeSelectorTerms", in: required, path: path) {
        case .missing:
            try insertPairs([SnippetPair("nodeSelectorTerms", .sequence([AffinitySnippets.term(plan.architectures)]))], into: required)
        case .empty(let value, let key):
            try fill(value, key: key, parent: required, with: .sequence([AffinitySnippets.term(plan.architectures)]))
        case .sequence(let terms):
            guard case .sequence(let items, _) = terms.content else { return }
            for (index, term) in items.enumerated() {
                try termLevel(term, path: "\(termsPath)[\(index)]")
            }
        case .mapping:
            throw .unsupportedShape(path: termsPath, reason: "is a mapping, not a list")
        }
    }

    private mutating func termLevel(_ term: YAMLNode, path: String) throws(FixError) {
        try Self.requireUnsharedStep(term, path: path, referencedAnchors: referencedAnchors)
        guard term.isMapping else { throw .unsupportedShape(path: path, reason: "is not a mapping") }
        let expressions = Self.expressions(in: term, source: source.bytes)
        let managed = expressions.filter { NodeLabel.isArchitecture($0.key) && $0.isManaged }
        if !managed.isEmpty {
            for expression in managed where Set(expression.values) != Set(plan.architectures) {
                try rewriteValues(of: expression, to: plan.architectures, path: path + ".matchExpressions")
            }
            return
        }
        let selectorTerm = SelectorTerm(node: term, expressions: expressions)
        if Self.allowsOnly(selectorTerm, within: Set(plan.architectures)) { return }
        let expression = Snippet.sequence([AffinitySnippets.expression(plan.architectures)])
        switch try slot("matchExpressions", in: term, path: path) {
        case .missing:
            try insertPairs([SnippetPair("matchExpressions", expression)], into: term)
        case .empty(let value, let key):
            try fill(value, key: key, parent: term, with: expression)
        case .sequence(let list):
            try appendItem(AffinitySnippets.expression(plan.architectures), to: list)
        case .mapping:
            throw .unsupportedShape(path: path + ".matchExpressions", reason: "is a mapping, not a list")
        }
    }

    private mutating func preferredLevel(_ list: YAMLNode, architecture: String, path: String) throws(FixError) {
        guard case .sequence(let entries, _) = list.content else { return }
        var managed: [SelectorExpression] = []
        var alreadyPreferred = false
        for (index, entry) in entries.enumerated() {
            if case .alias = entry.content { throw .sharedNode(path: "\(path)[\(index)]") }
            guard let preference = entry["preference"] else { continue }
            let expressions = Self.expressions(in: preference, source: source.bytes)
            managed += expressions.filter { NodeLabel.isArchitecture($0.key) && $0.isManaged }
            if expressions.count == 1, let only = expressions.first, NodeLabel.isArchitecture(only.key),
               only.operator == .in, Set(only.values) == [architecture] {
                alreadyPreferred = true
            }
        }
        if !managed.isEmpty {
            for expression in managed where Set(expression.values) != [architecture] {
                try rewriteValues(of: expression, to: [architecture], path: path)
            }
            return
        }
        if alreadyPreferred { return }
        try appendItem(AffinitySnippets.preferredEntry(architecture), to: list)
    }

    // MARK: Edits

    /// Adds pairs at the end of a mapping.
    private mutating func insertPairs(_ pairs: [SnippetPair], into mapping: YAMLNode) throws(FixError) {
        guard case .mapping(let existing, let collectionStyle) = mapping.content else { return }
        guard let last = existing.last, let first = existing.first else {
            // `{}`: write the whole mapping anew.
            try replaceEmptyFlow(mapping, with: .mapping(pairs), pretty: false)
            return
        }
        let lastEnd = max(last.key.end.offset, last.value.end.offset)
        switch collectionStyle {
        case .block:
            let text = renderer.blockLines(pairs, indent: first.key.start.column - 1)
            insertLines(text, after: lastEnd)
        case .flow:
            let pretty = first.key.start.line > mapping.start.line
            let members: [String]
            let separator: String
            if pretty {
                let indent = last.key.start.column - 1
                separator = "," + style.lineEnding + String(repeating: " ", count: indent)
                members = pairs.map { renderer.key($0.key) + ": " + renderer.flow($0.value, indent: indent, pretty: true) }
            } else {
                separator = style.isJSON ? style.comma : ", "
                let indent = source.indentation(ofLineAt: lastEnd)
                members = pairs.map { renderer.key($0.key) + (style.isJSON ? style.colon : ": ") + renderer.flow($0.value, indent: indent, pretty: false) }
            }
            emit(members.map { separator + $0 }.joined(), replacing: lastEnd..<lastEnd)
        }
    }

    /// Adds an item at the end of a non-empty sequence.
    private mutating func appendItem(_ item: Snippet, to sequence: YAMLNode) throws(FixError) {
        guard case .sequence(let items, let collectionStyle) = sequence.content, let first = items.first, let last = items.last else { return }
        switch collectionStyle {
        case .block:
            let dash = source.dashOffset(before: first)
            let gap = dash.map { max(1, first.start.offset - $0 - 1) } ?? style.dashGap
            let dashIndent = source.column(of: dash ?? sequence.start.offset)
            insertLines(renderer.blockItem(item, dashIndent: dashIndent, gap: gap), after: last.end.offset)
        case .flow:
            let pretty = first.start.line > sequence.start.line
            let text: String
            if pretty {
                let indent = last.start.column - 1
                text = "," + style.lineEnding + String(repeating: " ", count: indent) + renderer.flow(item, indent: indent, pretty: true)
            } else {
                let indent = source.indentation(ofLineAt: last.end.offset)
                text = (style.isJSON ? style.comma : ", ") + renderer.flow(item, indent: indent, pretty: false)
            }
            emit(text, replacing: last.end.offset..<last.end.offset)
        }
    }

    /// Gives an empty value (`key:`, `key: null`, `key: {}`, `key: []`) its content. In a block
    /// mapping the empty value's text goes and block lines follow the key's line; in a flow mapping
    /// the value is replaced by flow text.
    private mutating func fill(_ value: YAMLNode, key: YAMLNode, parent: YAMLNode, with content: Snippet) throws(FixError) {
        guard parent.collectionStyle == .block else {
            let pretty = parent.pairs.flatMap(\.first).map { $0.key.start.line > parent.start.line } ?? false
            if value.range.bytes.isEmpty {
                throw .unsupportedShape(path: workload.podSpecPathDescription, reason: "has an empty flow value; write `null` or `{}`")
            }
            let indent = pretty ? key.start.column - 1 : source.indentation(ofLineAt: key.start.offset)
            emit(renderer.flow(content, indent: indent, pretty: pretty), replacing: value.range.bytes)
            return
        }
        let keyIndent = key.start.column - 1
        let lines: String
        switch content {
        case .mapping(let pairs):
            lines = renderer.blockLines(pairs, indent: keyIndent + style.blockStep)
        case .sequence(let items):
            lines = renderer.blockItems(items, dashIndent: keyIndent + style.sequenceOffset, gap: style.dashGap)
        default:
            return
        }
        var lineAnchor = key.end.offset
        if !value.range.bytes.isEmpty {
            lineAnchor = value.end.offset
            let lineBreak = source.lineBreak(from: value.end.offset)
            var after = value.end.offset
            while after < lineBreak && source.isBlank(source.bytes[after]) { after += 1 }
            if after == lineBreak {
                var before = value.start.offset
                while before > key.end.offset && source.isBlank(source.bytes[before - 1]) { before -= 1 }
                add(TextEdit(range: before..<after, replacement: []))
            } else {
                add(TextEdit(range: value.start.offset..<after, replacement: []))  // keep the comment after it
            }
        }
        insertLines(lines, after: lineAnchor)
    }

    /// `{}` or `[]` that is not a keyed value (a term `- {}`): replaced by flow text.
    private mutating func replaceEmptyFlow(_ node: YAMLNode, with content: Snippet, pretty: Bool) throws(FixError) {
        guard node.collectionStyle == .flow else {
            throw .unsupportedShape(path: workload.podSpecPathDescription, reason: "has an empty block collection")
        }
        let indent = source.indentation(ofLineAt: node.start.offset)
        emit(renderer.flow(content, indent: indent, pretty: pretty), replacing: node.range.bytes)
    }

    /// Rewrites a managed expression's `values` in the style they are written in.
    private mutating func rewriteValues(of expression: SelectorExpression, to architectures: [String], path: String) throws(FixError) {
        guard expression.operator == .in else {
            throw .unsupportedShape(path: path, reason: "holds a managed expression whose operator was changed by hand")
        }
        guard let values = expression.node.pairs?.first(where: { $0.key.scalar == "values" })?.value,
              case .sequence(let items, let collectionStyle) = values.content, let first = items.first, let last = items.last
        else {
            throw .unsupportedShape(path: path, reason: "holds a managed expression without a `values` list")
        }
        let itemStyle: ScalarStyle
        if case .scalar(_, let written) = first.content { itemStyle = written } else { itemStyle = .plain }
        let rendered = architectures.map { renderer.scalar($0, like: itemStyle) }
        switch collectionStyle {
        case .flow:
            guard let open = source.firstIndex(of: UInt8(ascii: "["), from: values.start.offset, before: first.start.offset) else {
                throw .unsupportedShape(path: path, reason: "holds a managed expression with unusual `values`")
            }
            let close = values.end.offset - 1
            let leading = source.text(open + 1..<first.start.offset)
            let trailing = source.text(last.end.offset..<close)
            let separator = items.count >= 2 ? source.text(items[0].end.offset..<items[1].start.offset) : ", "
            add(TextEdit(replacing: open..<values.end.offset, with: "[" + leading + rendered.joined(separator: separator) + trailing + "]"))
        case .block:
            guard let dash = source.dashOffset(before: first) else {
                throw .unsupportedShape(path: path, reason: "holds a managed expression with unusual `values`")
            }
            let gap = String(repeating: " ", count: max(1, first.start.offset - dash - 1))
            let newLine = style.lineEnding + String(repeating: " ", count: source.column(of: dash))
            let text = rendered.map { "-" + gap + $0 }.joined(separator: newLine)
            add(TextEdit(replacing: dash..<last.end.offset, with: text))
        }
    }

    /// Block lines (each ending with a line break) inserted at the start of the line after `offset`.
    private mutating func insertLines(_ text: String, after offset: Int) {
        if let lineStart = source.nextLineStart(from: offset) {
            emit(text, replacing: lineStart..<lineStart)
        } else {
            // The last line has no line break: start with one, and end without one, as the file did.
            emit(style.lineEnding + text.dropLast(style.lineEnding.count), replacing: source.bytes.count..<source.bytes.count)
        }
    }

    /// Adds an edit, placing marker comments. A managed node that ends the inserted text gets its
    /// marker once all edits are known (`finishMarkers`), since what follows it on the line may be
    /// original text or another insertion.
    private mutating func emit(_ text: String, replacing range: Range<Int>) {
        let continuationIndent = source.indentation(ofLineAt: range.lowerBound) + style.flowStep
        let (bytes, pending) = renderer.placeMarkers(text, continuationIndent: continuationIndent)
        add(TextEdit(range: range, replacement: bytes))
        if pending { pendingMarkers.append(PendingMarker(edit: TextEdit(range: range, replacement: bytes), continuationIndent: continuationIndent)) }
    }

    private struct PendingMarker {
        var edit: TextEdit
        var continuationIndent: Int
    }

    /// Places the marker of each managed node that ended its inserted text: after the closing
    /// brackets that follow it on the line when nothing else does, else followed by a line break.
    private mutating func finishMarkers() {
        for pending in pendingMarkers {
            let end = pending.edit.range.upperBound
            let otherEdits = edits.filter { $0.range.lowerBound > end || ($0.range.lowerBound == end && $0 != pending.edit && !$0.range.isEmpty) }
            let lineBreak = source.lineBreak(from: end)
            let limit = min(lineBreak, otherEdits.map(\.range.lowerBound).min() ?? lineBreak)
            var index = end
            var afterClosers = end
            while index < limit {
                let byte = source.bytes[index]
                if SnippetRenderer.isCloser(byte) {
                    index += 1
                    afterClosers = index
                } else if source.isBlank(byte) {
                    index += 1
                } else {
                    break
                }
            }
            let endsLine = limit == lineBreak && (index == lineBreak || source.bytes[index] == UInt8(ascii: "#"))
            let marker = Array((SnippetRenderer.marker + (endsLine ? "" : style.lineEnding + String(repeating: " ", count: pending.continuationIndent))).utf8)
            if afterClosers == end, let own = edits.firstIndex(of: pending.edit) {
                edits[own].replacement += marker
            } else if afterClosers == limit, let next = edits.firstIndex(where: { $0.range.lowerBound == limit && $0.range.isEmpty }) {
                // Our own insertion follows (`, preferred…: …`): keep its comma on the marker's line.
                let following = edits[next].replacement
                if following.first == UInt8(ascii: ",") {
                    edits[next].replacement = [UInt8(ascii: ",")] + marker + following.dropFirst().drop { $0 == SourceText.space }
                } else {
                    edits[next].replacement = marker + following
                }
            } else {
                edits.append(TextEdit(range: afterClosers..<(endsLine ? afterClosers : index), replacement: marker))
            }
        }
        pendingMarkers = []
    }

    /// Records an edit; a second insertion at the same offset is appended to the first, which keeps
    /// deeper content (emitted first) before shallower content.
    private mutating func add(_ edit: TextEdit) {
        if edits.contains(edit) { return }
        if edit.range.isEmpty, let index = edits.firstIndex(where: { $0.range == edit.range }) {
            edits[index].replacement += edit.replacement
            return
        }
        edits.append(edit)
    }

    // MARK: Reading the tree

    private enum Slot {
        case missing
        /// `null`, `~`, nothing, `{}` or `[]`, with its key.
        case empty(YAMLNode, key: YAMLNode)
        case mapping(YAMLNode)
        case sequence(YAMLNode)
    }

    /// The value of an explicit key, classified. A key that only comes from a `<<` merge, an alias,
    /// or an anchored node used elsewhere cannot be edited here.
    private func slot(_ key: String, in mapping: YAMLNode, path: String) throws(FixError) -> Slot {
        let keyPath = path + "." + key
        guard case .mapping(let pairs, _) = mapping.content else {
            throw .unsupportedShape(path: path, reason: "is not a mapping")
        }
        guard let pair = pairs.first(where: { !$0.key.isMergeKey && $0.key.scalar == key }) else {
            if mapping.pair(forKey: key) != nil { throw .sharedNode(path: keyPath) }
            return .missing
        }
        let value = pair.value
        if case .alias = value.content { throw .sharedNode(path: keyPath) }
        if let anchor = value.anchor, referencedAnchors.contains(anchor) { throw .sharedNode(path: keyPath) }
        switch value.content {
        case .scalar:
            guard value.isNull, value.tag == nil else { throw .unsupportedShape(path: keyPath, reason: "is a scalar") }
            return .empty(value, key: pair.key)
        case .mapping(let children, let style):
            return children.isEmpty && style == .flow ? .empty(value, key: pair.key) : .mapping(value)
        case .sequence(let items, let style):
            return items.isEmpty && style == .flow ? .empty(value, key: pair.key) : .sequence(value)
        case .alias:
            throw .sharedNode(path: keyPath)
        }
    }

    private static func expressions(in holder: YAMLNode, source: [UInt8]) -> [SelectorExpression] {
        (holder["matchExpressions"]?.sequence ?? []).compactMap { expression -> SelectorExpression? in
            guard let key = expression["key"]?.scalar else { return nil }
            return SelectorExpression(
                key: key, operator: SelectorOperator(expression["operator"]?.scalar ?? ""),
                values: expression["values"]?.sequence?.compactMap(\.scalar) ?? [],
                node: expression, isManaged: ManagedMarker.isManaged(expression, in: source))
        }
    }

    /// Whether a term already lets pods land only on architectures in `target`, whatever else the
    /// cluster has: computed over `target`, every value the term names, and one unnamed architecture.
    static func allowsOnly(_ term: SelectorTerm, within target: Set<String>) -> Bool {
        let named = term.architectureExpressions.flatMap(\.values)
        let universe = target.union(named).union([UnnamedArchitecture.value])
        return term.allowedArchitectures(within: universe).isSubset(of: target)
    }

    /// The pod spec, reached by explicit keys from the document root. Anything shared on the way
    /// (an alias, an anchor used elsewhere, a key from a merge) stops the edit.
    static func locatePodSpec(document: YAMLDocument, workload: Workload, referencedAnchors: Set<String>) throws(FixError) -> YAMLNode {
        var node = document.root
        var path = "(document \(document.index + 1))"
        try requireUnsharedStep(node, path: path, referencedAnchors: referencedAnchors)
        for index in workload.itemPath {
            guard let items = node.pairs?.first(where: { !$0.key.isMergeKey && $0.key.scalar == "items" })?.value else {
                throw .sharedNode(path: path + ".items")
            }
            path += ".items[\(index)]"
            try requireUnsharedStep(items, path: path, referencedAnchors: referencedAnchors)
            guard case .sequence(let list, _) = items.content, index < list.count else {
                throw .unsupportedShape(path: path, reason: "is not where the scanner found it")
            }
            node = list[index]
            try requireUnsharedStep(node, path: path, referencedAnchors: referencedAnchors)
        }
        for key in workload.podSpecPath {
            path += "." + key
            guard let pair = node.pairs?.first(where: { !$0.key.isMergeKey && $0.key.scalar == key }) else {
                throw .sharedNode(path: path)  // the scanner found it, so it came from a merge key
            }
            node = pair.value
            try requireUnsharedStep(node, path: path, referencedAnchors: referencedAnchors)
        }
        guard node.isMapping else { throw .unsupportedShape(path: path, reason: "is not a mapping") }
        return node
    }

    static func requireUnsharedStep(_ node: YAMLNode, path: String, referencedAnchors: Set<String>) throws(FixError) {
        if case .alias = node.content { throw .sharedNode(path: path) }
        if let anchor = node.anchor, referencedAnchors.contains(anchor) { throw .sharedNode(path: path) }
    }

    /// The whole affinity subtree must be free of aliases and of anchors used elsewhere.
    static func requireUnshared(_ node: YAMLNode, path: String, referencedAnchors: Set<String>) throws(FixError) {
        try requireUnsharedStep(node, path: path, referencedAnchors: referencedAnchors)
        switch node.content {
        case .mapping(let pairs, _):
            for pair in pairs {
                try requireUnshared(pair.key, path: path, referencedAnchors: referencedAnchors)
                try requireUnshared(pair.value, path: path + "." + (pair.key.scalar ?? "?"), referencedAnchors: referencedAnchors)
            }
        case .sequence(let items, _):
            for (index, item) in items.enumerated() {
                try requireUnshared(item, path: "\(path)[\(index)]", referencedAnchors: referencedAnchors)
            }
        case .scalar, .alias:
            break
        }
    }

    /// Names of anchors some alias in the document refers to.
    static func collectAliases(_ node: YAMLNode, into names: inout Set<String>) {
        switch node.structure {
        case nil:
            break
        case .alias(let name, _)?:
            names.insert(name)
        case .mapping(let pairs, _)?:
            for pair in pairs {
                collectAliases(pair.key, into: &names)
                collectAliases(pair.value, into: &names)
            }
        case .sequence(let items, _)?:
            for item in items { collectAliases(item, into: &names) }
        case .scalar?:
            break
        }
    }
}

/// Stands for "an architecture nobody named" when asking whether a constraint is narrower than D.
enum UnnamedArchitecture {
    static let value = "\u{0}unnamed"
}

extension SourceText {
    func text(_ range: Range<Int>) -> String {
        let lower = min(max(range.lowerBound, 0), bytes.count)
        return String(decoding: bytes[lower..<min(max(range.upperBound, lower), bytes.count)], as: UTF8.self)
    }
}
