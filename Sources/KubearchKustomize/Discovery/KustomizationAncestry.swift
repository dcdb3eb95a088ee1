import FoundationEssentials
import KubearchCore
import Glibc

/// Whether a file lies at or below a kustomization's folder, answered from a per-folder cache so
/// that a run over thousands of files asks the file system about each folder once.
///
/// Every file a kustomization reads is inside its folder (kustomize's load restrictor, which
/// kubearch keeps), so a file outside every kustomization folder is certainly plain; `fix` writes
/// such files as soon as they are fixed and holds back the others until the kustomize tree is known.
public final class KustomizationAncestry: @unchecked Sendable {
    private let files: SourceFiles
    /// What the walk that found the files saw of their folders (nil: ask the file system).
    private let listed: ListedFolders?
    private let lock = ThreadLock()
    private var known: [String: Bool] = [:]

    public init(files: SourceFiles, listed: ListedFolders? = nil) {
        self.files = files
        self.listed = listed
    }

    /// A walk to hand to `ManifestFinder.listedFolders`, watching for kustomization files.
    public static func listedFolders(remembersEveryFolder: Bool = true) -> ListedFolders {
        ListedFolders(watchingFor: Kustomization.fileNames, remembersEveryFolder: remembersEveryFolder)
    }

    public func isInsideKustomization(_ path: String) -> Bool {
        // The walk gives absolute, normalised paths; only others need resolving.
        let plain = path.utf8.first == UInt8(ascii: "/") && !Self.mayNeedResolving(path)
        let absolute = plain ? path : SourceFiles.resolve(path, in: files.currentDirectory)
        guard let slash = absolute.utf8.lastIndex(of: UInt8(ascii: "/")) else { return false }
        return folderIsInside(slash == absolute.startIndex ? "/" : String(absolute[..<slash]))
    }

    /// Whether an absolute path has a `.`/`..` component or an empty one (`/.` or `//`). Byte by
    /// byte: `String.contains` of a string goes through the regex engine, 20,000 instructions a call.
    private static func mayNeedResolving(_ path: String) -> Bool {
        var previous: UInt8 = 0
        for byte in path.utf8 {
            if previous == UInt8(ascii: "/") && (byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")) { return true }
            previous = byte
        }
        return false
    }

    /// What the walk saw there, else one `stat` per name, without Foundation's path bridging (a
    /// fix of 20,000 files asks about as many folders).
    private func holdsKustomization(_ folder: String) -> Bool {
        if let listed, let holds = listed.holdsWatchedName(folder) { return holds }
        var info = stat()
        return Kustomization.fileNames.contains { stat(folder + "/" + $0, &info) == 0 }
    }

    private func folderIsInside(_ folder: String) -> Bool {
        lock.lock()
        if let answer = known[folder] {
            lock.unlock()
            return answer
        }
        lock.unlock()
        let answer: Bool
        if !holdsKustomization(folder) {
            let parent = PathText.deletingLastComponent(folder)
            answer = parent != folder && !parent.isEmpty && files.isInsideRepository(parent) && folderIsInside(parent)
        } else {
            answer = true  // a kustomization here (or two, which is an error of that tree)
        }
        lock.lock()
        known[folder] = answer
        lock.unlock()
        return answer
    }
}
