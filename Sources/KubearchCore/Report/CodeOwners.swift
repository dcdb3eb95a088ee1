import FoundationEssentials

/// A `CODEOWNERS` file as GitHub reads it: each line a gitignore-style pattern and its owners; the
/// last matching line wins (a matching line with no owners leaves the path unowned).
///
/// Patterns: `/` at the start anchors to the repository root, as does a `/` inside; otherwise the
/// pattern matches at any depth. A trailing `/` matches only folders. `*` and `?` stay within one
/// path component, `**` spans any number. A pattern matches a path, or a folder holding it — except
/// when its last component has a wildcard: GitHub documents `docs/*` as matching `docs/a.md` but not
/// `docs/build/b.md`.
public struct CodeOwners: Sendable, Hashable {
    public struct Rule: Sendable, Hashable {
        public var pattern: String
        public var owners: [String]
        public var line: Int
        let components: [String]
        let directoryOnly: Bool
        let matchesFolders: Bool
    }

    public var rules: [Rule]

    /// Where GitHub looks, in its order.
    public static let locations = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]

    public init(text: String) {
        var rules: [Rule] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let fields = Self.fields(line)
            guard let pattern = fields.first else { continue }
            var owners: [String] = []
            for field in fields.dropFirst() {
                if field.hasPrefix("#") { break }
                owners.append(field)
            }
            rules.append(Self.rule(pattern: pattern, owners: owners, line: index + 1))
        }
        self.rules = rules
    }

    /// The owners of a path relative to the repository root (`/`-separated); nil when no line
    /// matches, empty when the last matching line names nobody.
    public func owners(of path: String) -> [String]? {
        let components = path.split(separator: "/").map(String.init)
        for rule in rules.reversed() where Self.matches(rule, components) {
            return rule.owners
        }
        return nil
    }

    /// The file in the first of `locations` under `repositoryRoot`, or nil when there is none.
    public static func load(repositoryRoot: String) -> (path: String, owners: CodeOwners)? {
        for location in locations {
            let path = PathText.appending(to: repositoryRoot, location)
            if let data = FileManager.default.contents(atPath: path) {
                return (path, CodeOwners(text: String(decoding: data, as: UTF8.self)))
            }
        }
        return nil
    }

    /// Whitespace-separated fields, `#` starting a comment unless escaped (`\#`), `\ ` keeping a space.
    static func fields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "#" && current.isEmpty {
                if fields.isEmpty { return [] }
                current.append(character)
            } else if character == " " || character == "\t" {
                if !current.isEmpty { fields.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { fields.append(current) }
        return fields
    }

    static func rule(pattern: String, owners: [String], line: Int) -> Rule {
        var text = Substring(pattern)
        let directoryOnly = text.hasSuffix("/")
        while text.hasSuffix("/") { text = text.dropLast() }
        let anchored = text.hasPrefix("/") || text.dropFirst().contains("/")
        var components = text.split(separator: "/").map(String.init)
        if !anchored { components.insert("**", at: 0) }
        let last = components.last ?? ""
        let matchesFolders = last == "**" || !(last.contains("*") || last.contains("?"))
        return Rule(pattern: pattern, owners: owners, line: line, components: components, directoryOnly: directoryOnly, matchesFolders: matchesFolders)
    }

    static func matches(_ rule: Rule, _ path: [String]) -> Bool {
        // The path itself (a file), unless the pattern names only folders.
        if !rule.directoryOnly, match(rule.components[...], path[...]) { return true }
        // A folder holding the path.
        guard rule.matchesFolders || rule.directoryOnly else { return false }
        for end in stride(from: path.count - 1, through: 1, by: -1) where match(rule.components[...], path[..<end]) {
            return true
        }
        return false
    }

    private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            let rest = pattern.dropFirst()
            var tail = path
            while true {
                if match(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let name = path.first, component(Array(head.utf8)[...], Array(name.utf8)[...]) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    private static func component(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return name.isEmpty }
        switch first {
        case UInt8(ascii: "*"):
            var tail = name
            while true {
                if component(pattern.dropFirst(), tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        case UInt8(ascii: "?"):
            return !name.isEmpty && component(pattern.dropFirst(), name.dropFirst())
        default:
            return name.first == first && component(pattern.dropFirst(), name.dropFirst())
        }
    }
}
