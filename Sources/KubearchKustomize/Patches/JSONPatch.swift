import FoundationEssentials

/// RFC 6902 JSON Patch over `ResourceNode`, with RFC 6901 pointers (`~0`, `~1`, `-` for the end of a list).
struct JSONPatchOperation: Sendable {
    var op: String
    var path: [String]
    var from: [String]?
    var value: ResourceNode?
    var origin: Origin?

    enum Failure: Error, CustomStringConvertible {
        case message(String)
        var description: String { if case .message(let text) = self { text } else { "" } }
    }

    /// Reads operations from a patch document: a list of `{op, path, value?, from?}` mappings.
    static func operations(from document: ResourceNode) throws(Failure) -> [JSONPatchOperation] {
        guard let items = document.items else { throw .message("a JSON 6902 patch must be a list of operations") }
        var operations: [JSONPatchOperation] = []
        for item in items {
            guard let op = item["op"]?.scalar, let path = item["path"]?.scalar else {
                throw .message("each JSON 6902 operation needs `op` and `path`")
            }
            operations.append(JSONPatchOperation(
                op: op, path: try pointer(path), from: try item["from"]?.scalar.map(pointer), value: item["value"], origin: item.origin))
        }
        return operations
    }

    static func pointer(_ text: String) throws(Failure) -> [String] {
        guard !text.isEmpty else { return [] }
        guard text.hasPrefix("/") else { throw .message("JSON pointer `\(text)` must start with `/`") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0.replacing("~1", with: "/").replacing("~0", with: "~"))
        }
    }

    func apply(to document: inout ResourceNode) throws(Failure) {
        switch op {
        case "add":
            guard let value else { throw .message("`add` needs a value") }
            try Self.insert(value, at: path, in: &document, replacing: false)
        case "replace":
            guard let value else { throw .message("`replace` needs a value") }
            guard Self.get(path, in: document) != nil else { throw .message("`replace`: nothing at \(Self.describe(path))") }
            try Self.insert(value, at: path, in: &document, replacing: true)
        case "remove":
            guard Self.get(path, in: document) != nil else { throw .message("`remove`: nothing at \(Self.describe(path))") }
            try Self.remove(at: path, in: &document)
        case "move", "copy":
            guard let from, let moved = Self.get(from, in: document) else { throw .message("`\(op)`: nothing at the `from` path") }
            if op == "move" { try Self.remove(at: from, in: &document) }
            try Self.insert(moved, at: path, in: &document, replacing: false)
        case "test":
            guard let value, let found = Self.get(path, in: document), found.sameValue(as: value) else {
                throw .message("`test` failed at \(Self.describe(path))")
            }
        default:
            throw .message("unknown JSON 6902 operation `\(op)`")
        }
    }

    static func describe(_ path: [String]) -> String { "/" + path.joined(separator: "/") }

    static func get(_ path: [String], in node: ResourceNode) -> ResourceNode? {
        var current = node
        for token in path {
            if let items = current.items {
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            } else if let next = current[token] {
                current = next
            } else {
                return nil
            }
        }
        return current
    }

    private static func insert(_ value: ResourceNode, at path: [String], in node: inout ResourceNode, replacing: Bool) throws(Failure) {
        guard let token = path.first else {
            node = value
            return
        }
        let rest = Array(path.dropFirst())
        if case .sequence(var items) = node.value {
            let index = token == "-" ? items.count : Int(token) ?? -1
            if rest.isEmpty {
                if replacing {
                    guard items.indices.contains(index) else { throw .message("index \(token) out of range") }
                    items[index] = value
                } else {
                    guard (0...items.count).contains(index) else { throw .message("index \(token) out of range") }
                    items.insert(value, at: index)
                }
            } else {
                guard items.indices.contains(index) else { throw .message("index \(token) out of range") }
                try insert(value, at: rest, in: &items[index], replacing: replacing)
            }
            node.value = .sequence(items)
        } else if node.pairs != nil {
            if rest.isEmpty {
                node[token] = value
            } else {
                guard var child = node[token] else { throw .message("nothing at /\(token) to add below") }
                try insert(value, at: rest, in: &child, replacing: replacing)
                node[token] = child
            }
        } else {
            throw .message("cannot add below a scalar at /\(token)")
        }
    }

    private static func remove(at path: [String], in node: inout ResourceNode) throws(Failure) {
        guard let token = path.first else { throw .message("cannot remove the whole document") }
        let rest = Array(path.dropFirst())
        if case .sequence(var items) = node.value {
            guard let index = Int(token), items.indices.contains(index) else { throw .message("index \(token) out of range") }
            if rest.isEmpty { items.remove(at: index) } else { try remove(at: rest, in: &items[index]) }
            node.value = .sequence(items)
        } else if var child = node[token] {
            if rest.isEmpty {
                node[token] = nil
            } else {
                try remove(at: rest, in: &child)
                node[token] = child
            }
        } else {
            throw .message("nothing at /\(token)")
        }
    }
}
