import FoundationEssentials

/// A git repository's address reduced to what makes it the same repository (SPEC §11): scheme,
/// user, port, a trailing `/` and `.git` do not matter, and an scp-like ssh address
/// (`git@github.com:org/repo`) names the same repository as its https spelling. Compared without
/// case, since the hosts GitOps repositories live on (GitHub, GitLab, Bitbucket) ignore it.
public struct GitRepositoryURL: Sendable, Hashable, CustomStringConvertible {
    /// `host/path`, lower case.
    public let key: String
    public let description: String

    public init?(_ text: String) {
        var rest = text.trimmingSpaces()
        description = rest
        guard !rest.isEmpty else { return nil }
        if let scheme = rest.firstRange(of: "://") {
            rest = String(rest[scheme.upperBound...])
        } else if let colon = rest.firstIndex(of: ":"), !rest[..<colon].contains("/") {
            // scp-like: [user@]host:path
            rest = rest[..<colon] + "/" + rest[rest.index(after: colon)...]
        } else {
            return nil
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var host = String(rest[..<slash])
        var path = String(rest[slash...])
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        if let colon = host.firstIndex(of: ":") { host = String(host[..<colon]) }
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix(".git") { path.removeLast(4) }
        while path.hasPrefix("/") { path.removeFirst() }
        guard !host.isEmpty, !path.isEmpty else { return nil }
        key = (host + "/" + path).lowercased()
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.key == rhs.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    /// The `url` of remote `origin` in the git configuration of the repository at `repositoryRoot`
    /// (a linked worktree's `.git` file leads to the shared configuration), read without running git.
    public static func origin(ofRepositoryAt repositoryRoot: String) -> String? {
        let dotGit = repositoryRoot + "/.git"
        var gitDirectory = dotGit
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: dotGit, isDirectory: &isDirectory) else { return nil }
        if !isDirectory {
            guard let text = try? String(contentsOfFile: dotGit, encoding: .utf8),
                  let line = text.split(separator: "\n").first(where: { $0.hasPrefix("gitdir:") }) else { return nil }
            let path = line.dropFirst("gitdir:".count).trimmingSpaces()
            gitDirectory = path.hasPrefix("/") ? path : repositoryRoot + "/" + path
            if let common = try? String(contentsOfFile: gitDirectory + "/commondir", encoding: .utf8) {
                let relative = common.trimmingWhitespace()
                gitDirectory = relative.hasPrefix("/") ? relative : gitDirectory + "/" + relative
            }
        }
        guard let config = try? String(contentsOfFile: gitDirectory + "/config", encoding: .utf8) else { return nil }
        var inOrigin = false
        for raw in config.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingSpaces()
            if line.hasPrefix("[") {
                inOrigin = line.replacing(" ", with: "") == "[remote\"origin\"]"
            } else if inOrigin, let equals = line.firstIndex(of: "="), line[..<equals].trimmingSpaces() == "url" {
                return line[line.index(after: equals)...].trimmingSpaces()
            }
        }
        return nil
    }
}
