/// A problem with one value of a typed YAML file (configuration, lockfile), located at the node that
/// caused it. Each file type wraps it in its own error, which adds the file's path.
struct FieldProblem: Error, Sendable, Equatable {
    var position: SourcePosition
    var message: String
}

/// Where a value sits in its file, shown in messages as `cluster.architectures[1]` or
/// `registries["docker.io"].mirror`.
struct FieldPath: Sendable, CustomStringConvertible {
    private var text: String

    static let root = FieldPath(text: "")

    func key(_ name: String) -> FieldPath {
        let simple = !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
        if simple { return FieldPath(text: text.isEmpty ? name : text + "." + name) }
        return FieldPath(text: text + "[\"" + name + "\"]")
    }

    func index(_ index: Int) -> FieldPath { FieldPath(text: text + "[\(index)]") }

    var description: String { text }
}

/// One key of a mapping with its value, as read by `YAMLFieldReader.entries`.
struct FieldEntry {
    var key: String
    var keyNode: YAMLNode
    var value: YAMLNode
    var path: FieldPath
}

/// Typed reads of YAML values that fail with a located, named problem instead of a silent default.
enum YAMLFieldReader {
    /// The pairs of a mapping. A null value counts as an empty mapping, so `rules:` with nothing under
    /// it means "no overrides". Keys must be scalars, unique, and (when `allowed` is given) known.
    static func entries(
        of node: YAMLNode, at path: FieldPath, allowed: [String]?
    ) throws(FieldProblem) -> [FieldEntry] {
        if node.isNull { return [] }
        guard let pairs = node.pairs else {
            throw FieldProblem(position: node.start, message: "'\(path)' must be a mapping, found \(kind(of: node))")
        }
        var entries: [FieldEntry] = []
        var seen: Set<String> = []
        for pair in pairs {
            guard let key = pair.key.scalar, !pair.key.isMergeKey else {
                let what = pair.key.isMergeKey ? "a merge key '<<'" : kind(of: pair.key)
                let place = path.description.isEmpty ? "at the top level" : "under '\(path)'"
                throw FieldProblem(position: pair.key.start, message: "keys \(place) must be plain names, found \(what)")
            }
            let keyPath = path.key(key)
            guard seen.insert(key).inserted else {
                throw FieldProblem(position: pair.key.start, message: "duplicate key '\(keyPath)'")
            }
            if let allowed, !allowed.contains(key) {
                throw FieldProblem(
                    position: pair.key.start,
                    message: "unknown key '\(keyPath)' (expected one of: \(allowed.joined(separator: ", ")))")
            }
            entries.append(FieldEntry(key: key, keyNode: pair.key, value: pair.value.resolved, path: keyPath))
        }
        return entries
    }

    /// The text of any non-null scalar (`386` is a fine architecture even though YAML reads a number).
    static func string(_ node: YAMLNode, at path: FieldPath, expected: String = "a string") throws(FieldProblem) -> String {
        guard let text = node.scalar, !node.isNull else {
            throw FieldProblem(position: node.start, message: "'\(path)' must be \(expected), found \(kind(of: node))")
        }
        return text
    }

    static func bool(_ node: YAMLNode, at path: FieldPath) throws(FieldProblem) -> Bool {
        if case .scalar(let text, .plain) = node.resolved.content {
            switch text {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        throw FieldProblem(position: node.start, message: "'\(path)' must be true or false, found \(kind(of: node))")
    }

    /// A plain decimal integer.
    static func integer(_ node: YAMLNode, at path: FieldPath) throws(FieldProblem) -> Int {
        if case .scalar(let text, .plain) = node.resolved.content, let value = Int(text) { return value }
        throw FieldProblem(position: node.start, message: "'\(path)' must be a number, found \(kind(of: node))")
    }

    /// A sequence's items; a null value counts as missing and is reported by the caller's check.
    static func sequence(_ node: YAMLNode, at path: FieldPath, expected: String) throws(FieldProblem) -> YAMLNode.Items {
        guard let items = node.sequence else {
            throw FieldProblem(position: node.start, message: "'\(path)' must be \(expected), found \(kind(of: node))")
        }
        return items
    }

    /// How a node reads to a user, for "found …" in messages.
    static func kind(of node: YAMLNode) -> String {
        let node = node.resolved
        switch node.content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let text, let style):
            if node.isNull { return "null" }
            guard style == .plain else { return "the string '\(text)'" }
            switch text {
            case "true", "True", "TRUE", "false", "False", "FALSE": return "the boolean \(text)"
            default: break
            }
            if Int(text) != nil || Double(text) != nil { return "the number \(text)" }
            return "the string '\(text)'"
        }
    }
}
