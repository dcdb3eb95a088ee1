/// What a walk saw in each folder it listed: whether the folder holds an entry with one of `names`.
/// Asked instead of the file system afterwards: `fix` asks, of every file it changes, whether a
/// kustomization sits in its folder or above, and three `stat`s per folder were 4 % of its time on
/// a tree of one folder per file.
public final class ListedFolders: @unchecked Sendable {
    public let names: Set<String>
    // `seen` is guarded by `lock`: folders are listed on every core while files are judged.
    private let lock = ThreadLock()
    private var seen: [String: Bool] = [:]

    public init(watchingFor names: some Sequence<String>) {
        self.names = Set(names)
    }

    /// Whether `folder` (as the walk spelt it, without a trailing slash) holds one of `names`;
    /// nil when the walk did not list it.
    public func holdsWatchedName(_ folder: String) -> Bool? {
        lock.lock()
        defer { lock.unlock() }
        return seen[folder]
    }

    func record(_ folder: String, holdsWatchedName: Bool) {
        let key = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        lock.lock()
        seen[key] = holdsWatchedName
        lock.unlock()
    }
}
