import FoundationEssentials

/// Finds `.kubearch.yaml` the way git finds its own settings: in the current folder or the nearest
/// folder above it, never above the repository's root.
public enum ConfigurationLocator {
    /// Walks up from `directory` looking for `.kubearch.yaml` (or `.kubearch.yml`). Stops after the
    /// first folder that holds `.git` (a folder in a clone, a file in a worktree or submodule), or at
    /// the filesystem root outside a repository. A relative `directory` is taken from the current
    /// folder. Returns the path of the file found.
    public static func find(startingAt directory: String) -> String? {
        var folder = absolute(directory)
        while true {
            for name in Configuration.fileNames {
                let candidate = join(folder, name)
                if isRegularFile(candidate) { return candidate }
            }
            if FileManager.default.fileExists(atPath: join(folder, ".git")) { return nil }
            let parent = PathText.deletingLastComponent(folder)
            if parent == folder || parent.isEmpty { return nil }
            folder = parent
        }
    }

    private static func absolute(_ directory: String) -> String {
        let path = directory.hasPrefix("/") ? directory : join(FileManager.default.currentDirectoryPath, directory)
        return PathText.resolved(path)
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory
    }
}
