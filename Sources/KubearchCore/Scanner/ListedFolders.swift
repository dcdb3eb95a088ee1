/// What a walk saw in each folder it listed: whether the folder holds an entry with one of `names`.
/// Asked instead of the file system afterwards: `fix` asks, of every file it changes, whether a
/// kustomization sits in its folder or above, and three `stat`s per folder were 4 % of its time on
/// a tree of one folder per file.
public final class ListedFolders: @unchecked Sendable {
    public let names: Set<String>
    // `seen` is guarded by `lock`: folders are listed on every core while files are judged.
    private let lock = ThreadLock()
    private var seen: [String: Bool] = [:]

    /// Folders that hold none of `names` are remembered only when `remembersEveryFolder` (for
    /// `holdsWatchedName` to tell them from folders not listed); a streamed walk of 100,000
    /// folders needs to know only the ones that hold one.
    private let remembersEveryFolder: Bool

    public init(watchingFor names: some Sequence<String>, remembersEveryFolder: Bool = true) {
        self.names = Set(names)
        self.remembersEveryFolder = remembersEveryFolder
    }

    /// Whether `folder` (as the walk spelt it, without a trailing slash) holds one of `names`;
    /// nil when the walk did not list it (or, unless `remembersEveryFolder`, when it holds none).
    public func holdsWatchedName(_ folder: String) -> Bool? {
        lock.lock()
        defer { lock.unlock() }
        return seen[folder]
    }

    func record(_ folder: String, holdsWatchedName: Bool) {
        guard holdsWatchedName || remembersEveryFolder else { return }
        let key = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        lock.lock()
        seen[key] = holdsWatchedName
        lock.unlock()
    }
}
