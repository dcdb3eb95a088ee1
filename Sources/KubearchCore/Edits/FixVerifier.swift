import Glibc

/// Checks an edited file against its original before anything is written (SPEC §6 "Verified").
///
/// It works on parsed trees, independently of how the editor chose byte positions:
/// - the new text parses, with as many documents, the same BOM and line ending;
/// - documents without a planned workload are byte-for-byte the same;
/// - planned documents are equal as trees (scalars with their style and tag) once each planned
///   pod spec's `affinity.nodeAffinity` is set aside;
/// - inside `nodeAffinity`, the old content is still there in order: every old term, expression
///   and preferred entry, unchanged except for managed `values` now equal to D; each term may have
///   gained exactly the intended managed expression at its end (a single new term when there were
///   none), and the preferred list the intended entry; in YAML, every added expression carries the
///   marker so a later run recognises it;
/// - semantically, A(new) = A(old without managed expressions) ∩ D, and every managed expression
///   allows exactly D.
public enum FixVerifier {
    public static func verify(original: ScannedFile, fixed: [UInt8], plans: [(Workload, FixPlan)]) throws(FixError) {
        let pairs: [(old: Workload, newPodSpec: YAMLNode, plan: FixPlan, isJSON: Bool)]
        // Most fixes are decided while the new text is read; the rest (and every refusal, with its
        // reason) go through the whole new tree.
        if let streamed = StreamedFixComparison.newPodSpecs(original: original, fixed: fixed, plans: plans) {
            try checkLayout(original: original, fixed: fixed)
            pairs = zip(plans, streamed).map { ($0.0.0, $0.1.node, $0.0.1, $0.1.isJSONDocument) }
        } else {
            pairs = try compareTrees(original: original, fixed: fixed, plans: plans)
        }
        for (oldWorkload, newPodSpec, plan, isJSON) in pairs {
            var check = NodeAffinityCheck(
                oldBytes: original.bytes, newBytes: fixed, plan: plan, isJSON: isJSON,
                where: "\(oldWorkload.podSpecPathDescription) of document \(oldWorkload.documentIndex + 1)")
            try check.compare(oldPodSpec: oldWorkload.podSpec, newPodSpec: newPodSpec)
        }
    }

    /// Everything but the node affinity, on the whole new tree: the planned pod specs found again
    /// where they were, and whether their documents are JSON.
    static func compareTrees(
        original: ScannedFile, fixed: [UInt8], plans: [(Workload, FixPlan)]
    ) throws(FixError) -> [(old: Workload, newPodSpec: YAMLNode, plan: FixPlan, isJSON: Bool)] {
        // The tree alone: the planned workloads are looked up where they were, so the scanner's
        // search for workloads and images over the whole new text is not needed.
        let new = YAMLParser.parse(fixed)
        let old = original.stream
        if let error = new.error { throw .verificationFailed("the new text does not parse: \(error)") }
        // Edited documents had none (the editor refuses them), the others are compared byte for byte.
        guard new.duplicateKeys.count == old.duplicateKeys.count else {
            throw .verificationFailed("the new text has a duplicate key")
        }
        guard new.documents.count == old.documents.count else {
            throw .verificationFailed("the new text has \(new.documents.count) documents, not \(old.documents.count)")
        }
        try checkLayout(original: original, fixed: fixed)
        let targetDocuments = Set(plans.map(\.0.documentIndex))
        for (oldDocument, newDocument) in zip(old.documents, new.documents) where !targetDocuments.contains(oldDocument.index) {
            guard original.bytes[oldDocument.range.bytes] == fixed[newDocument.range.bytes] else {
                throw .verificationFailed("document \(oldDocument.index + 1) changed but has no planned workload")
            }
        }
        var pairs: [(old: Workload, newPodSpec: YAMLNode, plan: FixPlan, isJSON: Bool)] = []
        for (workload, plan) in plans {
            guard let newPodSpec = podSpec(at: workload, in: new) else {
                throw .verificationFailed("\(workload.podSpecPathDescription) of document \(workload.documentIndex + 1) is gone")
            }
            let isJSON = new.documents.first { $0.index == workload.documentIndex }.map(EditStyle.isJSONDocument) ?? false
            pairs.append((workload, newPodSpec, plan, isJSON))
        }
        for index in targetDocuments.sorted() {
            let planned = pairs.filter { $0.old.documentIndex == index }
            let oldStripped = Set(planned.map(\.old.podSpec.start.offset))
            let newStripped = Set(planned.map(\.newPodSpec.start.offset))
            guard let oldDocument = old.documents.first(where: { $0.index == index }),
                  let newDocument = new.documents.first(where: { $0.index == index }),
                  PlainEquality.equal(oldDocument.root, settingAside: oldStripped, newDocument.root, settingAside: newStripped)
            else {
                throw .verificationFailed("document \(index + 1) changed outside the node affinity")
            }
        }
        return pairs
    }

    /// The same BOM and line endings: added text must not bring line breaks of the other kind.
    static func checkLayout(original: ScannedFile, fixed: [UInt8]) throws(FixError) {
        let old = original.stream
        guard YAMLParser.startsWithBOM(fixed) == old.hasBOM, YAMLParser.detectLineEnding(fixed) == old.lineEnding,
              otherLineBreaks(fixed, than: old.lineEnding) == otherLineBreaks(original.bytes, than: old.lineEnding) else {
            throw .verificationFailed("the BOM or line endings changed")
        }
    }

    /// The pod spec in `stream` at the place `workload` had in the old text: its document, its
    /// `List` items, then its pod spec path, reached as the scanner reached it (aliases resolved).
    /// Only a mapping counts, as for the scanner.
    static func podSpec(at workload: Workload, in stream: YAMLStream) -> YAMLNode? {
        guard let document = stream.documents.first(where: { $0.index == workload.documentIndex }) else { return nil }
        var object = document.root.resolved
        for item in workload.itemPath {
            guard let items = object["items"]?.sequence, items.indices.contains(item) else { return nil }
            object = items[item].resolved
        }
        guard let podSpec = object.value(at: workload.podSpecPath), podSpec.isMapping else { return nil }
        return podSpec
    }

    /// Line breaks not of the file's kind (`\n` in a CRLF file, `\r\n` in an LF one): added text
    /// must not add any.
    private static func otherLineBreaks(_ bytes: [UInt8], than lineEnding: LineEnding) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            guard let start = buffer.baseAddress else { return 0 }
            var count = 0
            var from = start
            let end = start + buffer.count
            // memchr from one line feed to the next: this runs over every byte of every fixed file.
            while from < end, let found = memchr(from, Int32(SourceText.newline), end - from) {
                let newline = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
                let isCRLF = newline > start && newline[-1] == SourceText.carriageReturn
                if isCRLF != (lineEnding == .crlf) { count += 1 }
                from = newline + 1
            }
            return count
        }
    }
}

/// The nodeAffinity comparison for one workload.
private struct NodeAffinityCheck {
    let oldBytes: [UInt8]
    let newBytes: [UInt8]
    let plan: FixPlan
    let isJSON: Bool
    let `where`: String

    private func fail(_ reason: String) -> FixError { .verificationFailed("\(self.where): \(reason)") }

    mutating func compare(oldPodSpec: YAMLNode, newPodSpec: YAMLNode) throws(FixError) {
        try compareStructure(old: oldPodSpec.value(at: ["affinity", "nodeAffinity"]), new: newPodSpec.value(at: ["affinity", "nodeAffinity"]))
        try compareMeaning(old: NodeConstraints(podSpec: oldPodSpec, source: oldBytes), new: NodeConstraints(podSpec: newPodSpec, source: newBytes))
    }

    // MARK: Structure

    private func compareStructure(old: YAMLNode?, new: YAMLNode?) throws(FixError) {
        guard let new, new.isMapping else { throw fail("no nodeAffinity mapping after the fix") }
        let special: Set<String> = [AffinitySnippets.required, AffinitySnippets.preferred]
        guard Self.others(old, excluding: special) == Self.others(new, excluding: special) else {
            throw fail("nodeAffinity fields other than required/preferred changed")
        }
        if plan.architectures.isEmpty {
            guard old?[AffinitySnippets.required].map(PlainNode.init) == new[AffinitySnippets.required].map(PlainNode.init) else {
                throw fail("the required node affinity changed though the plan only prefers an architecture")
            }
        } else {
            try compareRequired(old: old?[AffinitySnippets.required], new: new[AffinitySnippets.required])
        }
        if let preferred = plan.preferredArchitecture {
            try comparePreferred(old: old?[AffinitySnippets.preferred], new: new[AffinitySnippets.preferred], architecture: preferred)
        } else if old?[AffinitySnippets.preferred].map(PlainNode.init) != new[AffinitySnippets.preferred].map(PlainNode.init) {
            throw fail("the preferred terms changed though the plan has no preferred architecture")
        }
    }

    private func compareRequired(old: YAMLNode?, new: YAMLNode?) throws(FixError) {
        guard let new, new.isMapping else { throw fail("no required node affinity after the fix") }
        guard Self.others(old, excluding: ["nodeSelectorTerms"]) == Self.others(new, excluding: ["nodeSelectorTerms"]) else {
            throw fail("required node affinity fields other than nodeSelectorTerms changed")
        }
        let oldTerms = old?["nodeSelectorTerms"]?.sequence ?? []
        guard let newTerms = new["nodeSelectorTerms"]?.sequence else { throw fail("no nodeSelectorTerms after the fix") }
        if oldTerms.isEmpty {
            guard newTerms.count == 1, let term = newTerms.first, term.pairs?.count == 1,
                  let expressions = term["matchExpressions"]?.sequence, expressions.count == 1, let added = expressions.first
            else { throw fail("expected exactly one new node selector term") }
            try checkAdded(added, values: plan.architectures)
            return
        }
        guard newTerms.count == oldTerms.count else { throw fail("the number of node selector terms changed") }
        for (oldTerm, newTerm) in zip(oldTerms, newTerms) {
            try compareHolder(old: oldTerm, new: newTerm, values: plan.architectures, mayGainExpression: true)
        }
    }

    private func comparePreferred(old: YAMLNode?, new: YAMLNode?, architecture: String) throws(FixError) {
        let oldEntries = old?.sequence ?? []
        guard let newEntries = new?.sequence, newEntries.count == oldEntries.count || newEntries.count == oldEntries.count + 1 else {
            throw fail("the preferred terms are not the old ones plus at most one")
        }
        for (oldEntry, newEntry) in zip(oldEntries, newEntries) {
            guard Self.others(oldEntry, excluding: ["preference"]) == Self.others(newEntry, excluding: ["preference"]) else {
                throw fail("a preferred term's weight changed")
            }
            if let oldPreference = oldEntry["preference"] {
                guard let newPreference = newEntry["preference"] else { throw fail("a preferred term lost its preference") }
                try compareHolder(old: oldPreference, new: newPreference, values: [architecture], mayGainExpression: false)
            } else if newEntry["preference"] != nil {
                throw fail("a preferred term gained a preference")
            }
        }
        guard newEntries.count > oldEntries.count, let added = newEntries.last else { return }
        guard added.pairs?.map({ $0.key.scalar }) == ["weight", "preference"],
              added["weight"]?.scalar == String(AffinitySnippets.preferredWeight),
              let preference = added["preference"], preference.pairs?.count == 1,
              let expressions = preference["matchExpressions"]?.sequence, expressions.count == 1, let expression = expressions.first
        else { throw fail("the added preferred term is not the intended one") }
        try checkAdded(expression, values: [architecture])
    }

    /// A term or a preference: other fields unchanged; its expressions unchanged except managed
    /// `values`, plus possibly the intended expression at the end.
    private func compareHolder(old: YAMLNode, new: YAMLNode, values: [String], mayGainExpression: Bool) throws(FixError) {
        guard Self.others(old, excluding: ["matchExpressions"]) == Self.others(new, excluding: ["matchExpressions"]) else {
            throw fail("a node selector term's other fields changed")
        }
        let oldExpressions = old["matchExpressions"]?.sequence ?? []
        let newExpressions = new["matchExpressions"]?.sequence ?? []
        let gained = newExpressions.count - oldExpressions.count
        guard gained == 0 || (gained == 1 && mayGainExpression) else { throw fail("a term's expressions were removed or duplicated") }
        for (oldExpression, newExpression) in zip(oldExpressions, newExpressions) {
            let isManaged = oldExpression["key"]?.scalar.map(NodeLabel.isArchitecture) == true && ManagedMarker.isManaged(oldExpression, in: oldBytes)
            if isManaged {
                guard Self.others(oldExpression, excluding: ["values"]) == Self.others(newExpression, excluding: ["values"]),
                      newExpression["values"]?.sequence?.compactMap(\.scalar) == values,
                      ManagedMarker.isManaged(newExpression, in: newBytes)
                else { throw fail("a managed expression was not rewritten to \(values)") }
            } else if PlainNode(oldExpression) != PlainNode(newExpression) {
                throw fail("a user's expression changed")
            }
        }
        if gained == 1, let added = newExpressions.last { try checkAdded(added, values: values) }
    }

    /// An expression `fix` added: exactly `{key: kubernetes.io/arch, operator: In, values: [...]}`,
    /// with string values, carrying the marker outside JSON.
    private func checkAdded(_ expression: YAMLNode, values: [String]) throws(FixError) {
        guard expression.pairs?.map({ $0.key.scalar }) == ["key", "operator", "values"],
              expression["key"]?.scalar == NodeLabel.architecture, expression["operator"]?.scalar == "In",
              let items = expression["values"]?.sequence, items.compactMap(\.scalar) == values,
              items.allSatisfy(Self.isString)
        else { throw fail("the added expression is not `kubernetes.io/arch In \(values)`") }
        if !isJSON && !ManagedMarker.isManaged(expression, in: newBytes) {
            throw fail("the added expression does not carry the `\(ManagedMarker.comment)` marker")
        }
    }

    // MARK: Meaning

    private func compareMeaning(old: NodeConstraints, new: NodeConstraints) throws(FixError) {
        guard !plan.architectures.isEmpty else { return }  // preferred term only: checked structurally
        let target = Set(plan.architectures)
        var named = target.union([UnnamedArchitecture.value])
        for constraints in [old, new] {
            if let selector = constraints.selectorArchitecture { named.insert(selector.value) }
            for term in constraints.requiredTerms { named.formUnion(term.architectureExpressions.flatMap(\.values)) }
        }
        var userOld = old
        userOld.requiredTerms = old.requiredTerms.map { term in
            var userTerm = term
            userTerm.expressions = term.expressions.filter { !($0.isManaged && NodeLabel.isArchitecture($0.key)) }
            return userTerm
        }
        let expected = userOld.allowedArchitectures(within: named).intersection(target)
        let actual = new.allowedArchitectures(within: named)
        guard actual == expected else {
            throw fail("the new constraint allows \(Self.describe(actual)), expected \(Self.describe(expected))")
        }
        guard new.managedExpressions.allSatisfy({ Set($0.values) == target && $0.operator == .in }) else {
            throw fail("a managed expression does not allow exactly \(plan.architectures)")
        }
    }

    private static func describe(_ architectures: Set<String>) -> String {
        "[" + architectures.map { $0 == UnnamedArchitecture.value ? "(others)" : $0 }.sorted().joined(separator: ", ") + "]"
    }

    // MARK: Helpers

    /// A mapping's pairs without `excluding` keys, as plain trees (nil node: no pairs).
    private static func others(_ node: YAMLNode?, excluding: Set<String>) -> [PlainPair] {
        guard let node, !node.isNull else { return [] }
        guard let pairs = node.pairs else { return [PlainPair(key: PlainNode(node), value: .scalar("", .plain, nil))] }
        return pairs.filter { !excluding.contains($0.key.scalar ?? "") }.map { PlainPair(key: PlainNode($0.key), value: PlainNode($0.value)) }
    }

    static func isString(_ node: YAMLNode) -> Bool {
        guard case .scalar(let text, let style) = node.resolved.content else { return false }
        return style != .plain || SnippetRenderer.isSafePlain(text)
    }
}

/// A YAML tree without positions, for comparing small parts of old and new text (whole documents
/// are compared by `PlainEquality`, which follows the same rules without copying). Scalars keep their style and
/// tag (quoting matters to Kubernetes); aliases compare by name (not expanded, so alias bombs stay
/// small); collection style is ignored.
indirect enum PlainNode: Equatable {
    case scalar(String, ScalarStyle, String?)
    case sequence([PlainNode])
    case mapping([PlainPair])
    case alias(String)

    init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let text, let style):
            self = .scalar(text, style, node.tag)
        case .alias(let name, _):
            self = .alias(name)
        case .sequence(let items, _):
            self = .sequence(items.map(PlainNode.init))
        case .mapping(let pairs, _):
            self = .mapping(pairs.map { PlainPair(key: PlainNode($0.key), value: PlainNode($0.value)) })
        }
    }
}

struct PlainPair: Equatable {
    var key: PlainNode
    var value: PlainNode
}
