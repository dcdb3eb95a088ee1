import FoundationEssentials
import KubearchCore

/// The folder kustomize trees may read from (SPEC §11: nothing outside the repository).
public enum RepositoryRoot {
    /// The nearest folder at or above `directory` holding `.git`; without one, `directory` itself.
    public static func find(startingAt directory: String) -> String {
        let start = SourceFiles.normalize(directory)
        var folder = start
        while true {
            if FileManager.default.fileExists(atPath: folder + "/.git") { return folder }
            let parent = PathText.deletingLastComponent(folder)
            if parent == folder || parent.isEmpty { return start }
            folder = parent
        }
    }
}
