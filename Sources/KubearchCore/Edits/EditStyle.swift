/// How the document being edited writes things, so that inserted text looks like its neighbours.
struct EditStyle: Sendable {
    var lineEnding: String
    /// Extra indentation of a nested block mapping (`spec:` → `  template:`).
    var blockStep = 2
    /// Where a block sequence's `-` sits relative to its key: 0 (`key:\n- x`) or more (`key:\n  - x`).
    var sequenceOffset = 0
    /// Blanks between `-` and the item.
    var dashGap = 1
    /// Extra indentation of a nested collection in multi-line flow style (pretty-printed JSON).
    var flowStep = 2
    /// The whole document is JSON: keys and strings double-quoted, no comments.
    var isJSON = false
    /// Separators of one-line flow collections (`"a": 1, "b": 2` or `"a":1,"b":2` in minified JSON).
    var colon = ": "
    var comma = ", "

    static func detect(document: YAMLDocument, podSpec: YAMLNode, source: SourceText, lineEnding: LineEnding) -> EditStyle {
        var style = EditStyle(lineEnding: lineEnding.text)
        style.isJSON = isJSONDocument(document)
        // The pod spec's own neighbourhood first (its `containers:` list), then the whole document.
        let scopes = [podSpec, document.root]
        if let step = firstMatch(in: scopes, blockStep) { style.blockStep = step }
        if let (offset, gap) = firstMatch(in: scopes, { sequenceLayout($0, source) }) {
            style.sequenceOffset = offset
            style.dashGap = gap
        }
        // Only a multi-line flow mapping can show it: most files have none, and the search would walk them whole.
        if document.root.tree.hasMultiLineFlowMapping, let step = firstMatch(in: scopes, flowStep) { style.flowStep = step }
        if style.isJSON, let separators = firstMatch(in: [document.root], { compactSeparators($0, source) }) {
            style.colon = separators.colon
            style.comma = separators.comma
        }
        return style
    }

    /// A document that is entirely flow style with double-quoted keys: JSON, edited as JSON.
    static func isJSONDocument(_ document: YAMLDocument) -> Bool {
        document.root.collectionStyle == .flow && document.root.isMapping && allKeysDoubleQuoted(document.root)
    }

    private static func firstMatch<T>(in scopes: [YAMLNode], _ probe: (YAMLNode) -> T?) -> T? {
        for scope in scopes {
            if let found = search(scope, probe, depth: 0) { return found }
        }
        return nil
    }

    /// Depth-first, in document order, over collections only (every probe looks for a mapping);
    /// aliases are not followed (their target was seen where defined).
    private static func search<T>(_ node: YAMLNode, _ probe: (YAMLNode) -> T?, depth: Int) -> T? {
        guard let structure = node.structure else { return nil }
        if let found = probe(node) { return found }
        guard depth < 64 else { return nil }
        switch structure {
        case .mapping(let pairs, _):
            for pair in pairs {
                if let found = search(pair.value, probe, depth: depth + 1) { return found }
            }
        case .sequence(let items, _):
            for item in items {
                if let found = search(item, probe, depth: depth + 1) { return found }
            }
        case .scalar, .alias:
            break
        }
        return nil
    }

    /// A block mapping holding a block mapping on the following lines: how much deeper its keys are.
    private static func blockStep(_ node: YAMLNode) -> Int? {
        guard case .mapping(let pairs, .block)? = node.structure else { return nil }
        for pair in pairs {
            guard case .mapping(let children, .block)? = pair.value.structure, let first = children.first,
                  first.key.start.line > pair.key.start.line else { continue }
            let step = first.key.start.column - pair.key.start.column
            if step > 0 { return step }
        }
        return nil
    }

    /// A block mapping holding a block sequence: the `-` column relative to the key, and the blanks after `-`.
    private static func sequenceLayout(_ node: YAMLNode, _ source: SourceText) -> (Int, Int)? {
        guard case .mapping(let pairs, .block)? = node.structure else { return nil }
        for pair in pairs {
            guard case .sequence(let items, .block)? = pair.value.structure, let first = items.first,
                  let dash = source.dashOffset(before: first), source.lineStart(of: dash) > pair.key.start.offset
            else { continue }
            let offset = source.column(of: dash) - source.column(of: pair.key.start.offset)
            guard offset >= 0 else { continue }
            let gap = first.start.line == pair.value.start.line ? max(1, first.start.offset - dash - 1) : 1
            return (offset, gap)
        }
        return nil
    }

    /// A multi-line flow mapping holding a multi-line flow collection: how much deeper its members are.
    private static func flowStep(_ node: YAMLNode) -> Int? {
        guard case .mapping(let pairs, .flow)? = node.structure else { return nil }
        for pair in pairs {
            let members: [YAMLNode]
            switch pair.value.structure {
            case .mapping(let children, .flow)?: members = children.map(\.key)
            case .sequence(let items, .flow)?: members = Array(items)
            default: continue
            }
            guard let first = members.first, first.start.line > pair.key.start.line else { continue }
            let step = first.start.column - pair.key.start.column
            if step > 0 { return step }
        }
        return nil
    }

    /// The separators of a one-line flow mapping with at least two pairs.
    private static func compactSeparators(_ node: YAMLNode, _ source: SourceText) -> (colon: String, comma: String)? {
        guard case .mapping(let pairs, .flow) = node.content, pairs.count >= 2,
              pairs[0].key.start.line == pairs[1].key.start.line else { return nil }
        let afterKey = source.bytes[pairs[0].key.end.offset..<pairs[0].value.start.offset]
        let afterValue = source.bytes[pairs[0].value.end.offset..<pairs[1].key.start.offset]
        return (afterKey.contains(SourceText.space) ? ": " : ":", afterValue.contains(SourceText.space) ? ", " : ",")
    }

    static func allKeysDoubleQuoted(_ node: YAMLNode) -> Bool {
        switch node.content {
        case .mapping(let pairs, _):
            return pairs.allSatisfy { pair in
                if case .scalar(_, .doubleQuoted) = pair.key.content { return allKeysDoubleQuoted(pair.value) }
                return false
            }
        case .sequence(let items, _):
            return items.allSatisfy(allKeysDoubleQuoted)
        case .scalar, .alias:
            return true
        }
    }
}

extension SourceText {
    /// The `-` that introduces a block sequence item on the item's own line.
    func dashOffset(before item: YAMLNode) -> Int? {
        var index = item.start.offset
        while index > textStart && isBlank(bytes[index - 1]) { index -= 1 }
        guard index > textStart, bytes[index - 1] == UInt8(ascii: "-") else { return nil }
        return index - 1
    }
}
