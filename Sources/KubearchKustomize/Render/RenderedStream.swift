import FoundationEssentials
import KubearchCore

/// A rendered root written out as one YAML stream (one document per object, as `kubectl kustomize`
/// prints it) and scanned by the ordinary scanner, so rendered workloads are judged by exactly the
/// code that judges plain files. What the text cannot say is kept beside it: the origin of every
/// scalar, by its offset in the text.
///
/// Strings are written double-quoted (JSON escapes are YAML escapes), plain scalars stay plain when
/// that keeps their type, and an expression kubearch manages is written in flow style with its
/// `# managed by kubearch` marker so the policy sees it as managed.
public struct RenderedStream: Sendable {
    public var text: [UInt8]
    /// Offset of a scalar's first byte in `text` → where it was written.
    public var scalarOrigins: [Int: Origin]

    public init(_ resources: [Resource]) {
        var writer = Writer()
        for resource in resources {
            writer.append("---\n")
            writer.writeMapping(resource.tree, indent: 0, inlineFirst: false)
        }
        text = writer.text
        scalarOrigins = writer.origins
    }

    private struct Writer {
        var text: [UInt8] = []
        var origins: [Int: Origin] = [:]

        mutating func append(_ string: String) { text += Array(string.utf8) }

        mutating func indent(_ count: Int) { text += Array(repeating: UInt8(ascii: " "), count: count) }

        /// A mapping's pairs at `indent`; with `inlineFirst` the first pair continues the current line
        /// (after a sequence's `- `).
        mutating func writeMapping(_ node: ResourceNode, indent level: Int, inlineFirst: Bool) {
            let pairs = node.pairs ?? []
            for (index, pair) in pairs.enumerated() {
                if index > 0 || !inlineFirst { indent(level) }
                writeString(pair.key)
                append(":")
                writeValue(pair.value, indent: level)
            }
        }

        /// A value after `key:` (or after `- `): scalars and empty collections on the same line, others below.
        mutating func writeValue(_ node: ResourceNode, indent level: Int) {
            switch node.value {
            case .scalar:
                append(" ")
                writeScalar(node)
                append("\n")
            case .mapping(let pairs) where pairs.isEmpty:
                append(" {}\n")
            case .sequence(let items) where items.isEmpty:
                append(" []\n")
            case .mapping:
                append("\n")
                writeMapping(node, indent: level + 2, inlineFirst: false)
            case .sequence(let items):
                append("\n")
                for item in items { writeItem(item, indent: level) }
            }
        }

        mutating func writeItem(_ item: ResourceNode, indent level: Int) {
            indent(level)
            append("- ")
            switch item.value {
            case .scalar:
                writeScalar(item)
                append("\n")
            case .mapping(let pairs) where item.isManaged && !pairs.isEmpty:
                writeFlow(item)
                append(" \(ManagedMarker.comment)\n")
            case .mapping(let pairs) where !pairs.isEmpty:
                writeMapping(item, indent: level + 2, inlineFirst: true)
            case .mapping:
                append("{}\n")
            case .sequence(let items) where items.isEmpty:
                append("[]\n")
            case .sequence(let items):
                append("\n")
                for nested in items { writeItem(nested, indent: level + 2) }
            }
        }

        mutating func writeFlow(_ node: ResourceNode) {
            switch node.value {
            case .scalar: writeScalar(node)
            case .mapping(let pairs):
                append("{")
                for (index, pair) in pairs.enumerated() {
                    if index > 0 { append(", ") }
                    writeString(pair.key)
                    append(": ")
                    writeFlow(pair.value)
                }
                append("}")
            case .sequence(let items):
                append("[")
                for (index, item) in items.enumerated() {
                    if index > 0 { append(", ") }
                    writeFlow(item)
                }
                append("]")
            }
        }

        mutating func writeScalar(_ node: ResourceNode) {
            guard case .scalar(let value, let quoted) = node.value else { return }
            if let origin = node.origin { origins[text.count] = origin }
            if !quoted, ResourceNode.isNullText(value) {
                append("null")
            } else if !quoted, Self.isSafePlain(value) {
                append(value)
            } else {
                writeString(value)
            }
        }

        /// Plain text that reads back as itself: numbers, booleans and simple words.
        static func isSafePlain(_ value: String) -> Bool {
            guard let first = value.utf8.first, first != UInt8(ascii: "-") || value.utf8.count > 1 else { return false }
            return value.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(byte)
            }
        }

        mutating func writeString(_ value: String) {
            text.append(UInt8(ascii: "\""))
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": append("\\\"")
                case "\\": append("\\\\")
                case "\n": append("\\n")
                case "\t": append("\\t")
                case "\r": append("\\r")
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                        || scalar.value == 0xFEFF || (0xD800...0xDFFF).contains(scalar.value) {
                        let hex = String(scalar.value, radix: 16, uppercase: true)
                        append("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex)
                    } else {
                        text += Array(String(scalar).utf8)
                    }
                }
            }
            text.append(UInt8(ascii: "\""))
        }
    }
}
