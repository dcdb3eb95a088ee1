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
    private let lock = ThreadLock()
    private var known: [String: Bool] = [:]

    public init(files: SourceFiles) {
        self.files = files
    }

    public func isInsideKustomization(_ path: String) -> Bool {
        // The walk gives absolute, normalised paths; only others need resolving.
        let plain = path.hasPrefix("/") && !path.contains("/.") && !path.contains("//")
        let absolute = plain ? path : SourceFiles.resolve(path, in: files.currentDirectory)
        guard let slash = absolute.utf8.lastIndex(of: UInt8(ascii: "/")) else { return false }
        return folderIsInside(slash == absolute.startIndex ? "/" : String(absolute[..<slash]))
    }

    /// One `stat` per name, without Foundation's path bridging (a fix of 20,000 files asks about
    /// as many folders).
    private static func holdsKustomization(_ folder: String) -> Bool {
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
        if !Self.holdsKustomization(folder) {
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
