import FoundationEssentials
import KubearchCore

/// The CODEOWNERS owners of report paths: the file is looked up in the git repository holding the
/// current folder, and each path (relative to the current folder) is matched from that root.
struct TeamOwners {
    var root: String
    var codeOwners: CodeOwners

    /// Nil outside a git repository or when it has no CODEOWNERS.
    static func load(currentDirectory: String) -> TeamOwners? {
        var folder = PathText.resolved(currentDirectory)
        while !FileManager.default.fileExists(atPath: PathText.appending(to: folder, ".git")) {
            let parent = PathText.deletingLastComponent(folder)
            guard parent != folder, !parent.isEmpty else { return nil }
            folder = parent
        }
        return CodeOwners.load(repositoryRoot: folder).map { TeamOwners(root: folder, codeOwners: $0.owners) }
    }

    /// The owners of `path` joined by spaces (`@org/team @someone`), or nil.
    func owner(of path: String, currentDirectory: String) -> String? {
        guard path != "-" else { return nil }
        let absolute = PathText.resolved(path.hasPrefix("/") ? path : PathText.appending(to: currentDirectory, path))
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard absolute.hasPrefix(prefix) else { return nil }
        guard let owners = codeOwners.owners(of: String(absolute.dropFirst(prefix.count))), !owners.isEmpty else { return nil }
        return owners.joined(separator: " ")
    }
}
