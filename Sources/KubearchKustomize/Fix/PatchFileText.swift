import KubearchCore

/// Writes the YAML of the patch files `fix` manages the way a person would: block mappings, list
/// items at their key's indentation (as kustomize and kubectl print them), lists of scalars in flow
/// style (`values: [amd64, arm64]`), scalars plain unless that would change their type.
enum PatchFileText {
    static func documents(_ nodes: [ResourceNode], header: String) -> [UInt8] {
        var text = header
        for (index, node) in nodes.enumerated() {
            if index > 0 { text += "---\n" }
            text += block(node, indent: 0)
        }
        return Array(text.utf8)
    }

    /// A mapping's pairs or a list's items, each line starting at `indent`.
    static func block(_ node: ResourceNode, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        switch node.value {
        case .mapping(let pairs):
            return pairs.map { pair in pad + quotedIfNeeded(pair.key) + ":" + afterKey(pair.value, indent: indent) }.joined()
        case .sequence(let items):
            return items.map { item in
                // `- key: value` with the item's other keys two columns in.
                guard item.pairs?.isEmpty == false else { return pad + "-" + afterKey(item, indent: indent) }
                let body = block(item, indent: indent + 2)
                return pad + "- " + body.dropFirst(indent + 2)
            }.joined()
        case .scalar:
            return pad + scalar(node) + "\n"
        }
    }

    private static func afterKey(_ value: ResourceNode, indent: Int) -> String {
        switch value.value {
        case .scalar: return " " + scalar(value) + "\n"
        case .mapping(let pairs) where pairs.isEmpty: return " {}\n"
        case .sequence(let items) where items.allSatisfy({ $0.pairs == nil && $0.items == nil }):
            return " [" + items.map(scalar).joined(separator: ", ") + "]\n"
        case .mapping: return "\n" + block(value, indent: indent + 2)
        case .sequence: return "\n" + block(value, indent: indent)
        }
    }

    /// Plain when that reads back the same, else quoted (keys, and names in a patch's target).
    static func quotedIfNeeded(_ text: String) -> String {
        isSafePlain(text) ? text : PlainScalar.doubleQuoted(text)
    }

    private static func scalar(_ node: ResourceNode) -> String {
        guard case .scalar(let text, let isQuoted) = node.value else { return "" }
        if !isQuoted { return ResourceNode.isNullText(text) ? "null" : (isSafePlain(text) || !ResourceNode.isStringLike(text, quoted: false) ? text : PlainScalar.doubleQuoted(text)) }
        // A string that YAML would read as a number, boolean or null keeps its quotes.
        return isSafePlain(text) && ResourceNode.isStringLike(text, quoted: false) ? text : PlainScalar.doubleQuoted(text)
    }

    /// Text that reads back as the same plain scalar: letters, digits and `._/+-~\\` (a plain
    /// scalar has no escapes), not starting with an indicator.
    static func isSafePlain(_ text: String) -> Bool {
        guard let first = text.utf8.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "~") else { return false }
        return text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "~"), UInt8(ascii: "\\")].contains(byte)
        }
    }
}
