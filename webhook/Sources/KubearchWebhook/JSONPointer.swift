/// An RFC 6901 JSON Pointer, built from unescaped reference tokens.
struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    private(set) var tokens: [String]

    init(_ tokens: [String] = []) {
        self.tokens = tokens
    }

    /// This pointer with one more token (a key, an index, or `-` for "after the last element").
    func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens + [token])
    }

    func appending(_ index: Int) -> JSONPointer {
        appending(String(index))
    }

    /// `~` becomes `~0` and `/` becomes `~1`, in that order (RFC 6901 §3), so that a key such as
    /// `kubernetes.io/arch` is one token, not two.
    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    var description: String {
        tokens.map { "/" + Self.escape($0) }.joined()
    }
}

private extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
