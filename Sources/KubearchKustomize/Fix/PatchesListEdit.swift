import KubearchCore

/// Lists patch files at the end of a kustomization's `patches:` by a text edit, so the file keeps its
/// comments, order and style (SPEC §11): new block items go after the last item's line at its
/// indentation, a flow list gets `, {path: …}` before its `]`, and a kustomization without
/// `patches:` gets the key at the end of the file.
enum PatchesListEdit {
    struct Entry: Sendable, Equatable {
        var path: String
        var target: (kind: String, name: String, namespace: String?)?

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.path == rhs.path && lhs.target?.kind == rhs.target?.kind && lhs.target?.name == rhs.target?.name
                && lhs.target?.namespace == rhs.target?.namespace
        }

        var node: ResourceNode {
            var pairs: [(key: String, value: ResourceNode)] = [("path", .string(path))]
            if let target {
                var selector: [(key: String, value: ResourceNode)] = [("kind", .string(target.kind)), ("name", .string(Self.exactPattern(target.name)))]
                if let namespace = target.namespace { selector.append(("namespace", .string(Self.exactPattern(namespace)))) }
                pairs.append(("target", .mapping(selector)))
            }
            return .mapping(pairs)
        }

        /// kustomize reads a target's name and namespace as regular expressions over the whole value;
        /// Kubernetes names may hold `.`, which must match only itself.
        static func exactPattern(_ name: String) -> String {
            name.replacing(".", with: "\\.")
        }
    }

    enum Failure: Error, CustomStringConvertible {
        case unsupported(String)
        var description: String { if case .unsupported(let text) = self { text } else { "" } }
    }

    /// The kustomization's text with `entries` appended to its `patches:`.
    static func apply(_ entries: [Entry], to kustomization: Kustomization) throws(Failure) -> [UInt8] {
        guard !entries.isEmpty else { return kustomization.bytes }
        let bytes = kustomization.bytes
        let newline = bytes.contains(UInt8(ascii: "\r")) ? "\r\n" : "\n"
        let root = kustomization.root
        guard let pair = root.pair(forKey: "patches") else {
            // A new key after everything else, its items indented as the file indents `resources:`.
            let keyIndent = max(0, (root.pairs?.first?.key.start.column ?? 1) - 1)
            let itemIndent = keyIndent + (root.pair(forKey: "resources").flatMap { itemOffset(of: $0, in: bytes) } ?? 0)
            var text = bytes.last == UInt8(ascii: "\n") || bytes.isEmpty ? "" : newline
            text += String(repeating: " ", count: keyIndent) + "patches:" + newline
            text += block(entries, indent: itemIndent, newline: newline)
            return bytes + Array(text.utf8)
        }
        let value = pair.value
        guard case .sequence(let items, let style) = value.content else {
            throw .unsupported("\(kustomization.file):\(value.start): `patches` is not a list kubearch can add to")
        }
        if style == .flow {
            let close = value.range.end.offset - 1
            guard close >= 0, close < bytes.count, bytes[close] == UInt8(ascii: "]") else {
                throw .unsupported("\(kustomization.file):\(value.start): cannot find the end of the `patches` list")
            }
            let text = (items.isEmpty ? "" : ", ") + entries.map(flow).joined(separator: ", ")
            return Array(bytes[..<close]) + Array(text.utf8) + Array(bytes[close...])
        }
        guard let last = items.last else {
            throw .unsupported("\(kustomization.file):\(value.start): `patches` is an empty block list")
        }
        let insertion = BlockListText.lineEnd(after: BlockListText.lastScalarEnd(last), in: bytes)
        let indent = BlockListText.dashColumn(of: last, in: bytes)
        var text = insertion == bytes.count && bytes.last != UInt8(ascii: "\n") ? newline : ""
        text += block(entries, indent: indent, newline: newline)
        return Array(bytes[..<insertion]) + Array(text.utf8) + Array(bytes[insertion...])
    }

    private static func block(_ entries: [Entry], indent: Int, newline: String) -> String {
        let text = PatchFileText.block(.init(.sequence(entries.map(\.node))), indent: indent)
        return newline == "\n" ? text : text.replacing("\n", with: newline)
    }

    private static func flow(_ entry: Entry) -> String {
        var text = "{path: \(PlainScalar.doubleQuoted(entry.path))"
        if let target = entry.target {
            text += ", target: {kind: \(PlainScalar.doubleQuoted(target.kind)), name: \(PlainScalar.doubleQuoted(Entry.exactPattern(target.name)))"
            if let namespace = target.namespace { text += ", namespace: \(PlainScalar.doubleQuoted(Entry.exactPattern(namespace)))" }
            text += "}"
        }
        return text + "}"
    }

    /// How far right of its key a block list's `-` sits (0 for kustomize's own style).
    private static func itemOffset(of pair: YAMLPair, in bytes: [UInt8]) -> Int? {
        guard case .sequence(let items, .block) = pair.value.content, let first = items.first else { return nil }
        return BlockListText.dashColumn(of: first, in: bytes) - (pair.key.start.column - 1)
    }
}
