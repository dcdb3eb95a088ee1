import FoundationEssentials
import KubearchCore

/// The files a rendering reads, read once per run and shared by every root that reads them. `fix`
/// verifies its edits by rendering again through a copy whose `pending` texts stand in for files
/// not yet written.
public final class SourceFiles: @unchecked Sendable {
    public let currentDirectory: String
    /// The repository's top folder: nothing outside it is read (SPEC §11).
    public let repositoryRoot: String
    private let pending: [String: [UInt8]]
    private let lock = ThreadLock()
    private var cache: [String: Result<[UInt8], RenderFileError>] = [:]

    public init(currentDirectory: String, repositoryRoot: String, pending: [String: [UInt8]] = [:]) {
        self.currentDirectory = Self.normalize(currentDirectory)
        self.repositoryRoot = Self.normalize(repositoryRoot)
        self.pending = pending
    }

    /// A view of the same files with some replaced by texts not yet written.
    public func replacing(_ texts: [String: [UInt8]]) -> SourceFiles {
        SourceFiles(currentDirectory: currentDirectory, repositoryRoot: repositoryRoot, pending: pending.merging(texts) { $1 })
    }

    public enum RenderFileError: Error, Sendable, Hashable {
        case missing, unreadable(String)
    }

    public func read(_ path: String) -> Result<[UInt8], RenderFileError> {
        if let text = pending[path] { return .success(text) }
        lock.lock()
        if let cached = cache[path] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let result: Result<[UInt8], RenderFileError>
        if let data = FileManager.default.contents(atPath: path) {
            result = .success(Array(data))
        } else {
            result = FileManager.default.fileExists(atPath: path) ? .failure(.unreadable("cannot read")) : .failure(.missing)
        }
        lock.lock()
        cache[path] = result
        lock.unlock()
        return result
    }

    public func isDirectory(_ path: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory
    }

    public func exists(_ path: String) -> Bool {
        pending[path] != nil || FileManager.default.fileExists(atPath: path)
    }

    /// The kustomization file of a folder, if it has one: an error when it has two.
    public func kustomizationFile(in folder: String) -> Result<String?, RenderFileError> {
        let found = Kustomization.fileNames.map { folder + "/" + $0 }.filter { pending[$0] != nil || FileManager.default.fileExists(atPath: $0) }
        if found.count > 1 { return .failure(.unreadable("found more than one kustomization file (\(found.map { PathText.lastComponent($0) }.joined(separator: ", ")))")) }
        return .success(found.first)
    }

    /// Relative to the current folder when inside it, without `./`.
    public func displayPath(_ path: String) -> String {
        if path == currentDirectory { return "." }
        if path.hasPrefix(currentDirectory + "/") { return String(path.dropFirst(currentDirectory.count + 1)) }
        return path
    }

    public func isInsideRepository(_ path: String) -> Bool {
        path == repositoryRoot || path.hasPrefix(repositoryRoot == "/" ? "/" : repositoryRoot + "/")
    }

    /// `relative` resolved against `folder`, with `.` and `..` removed (symbolic links are not followed).
    public static func resolve(_ relative: String, in folder: String) -> String {
        normalize(relative.hasPrefix("/") ? relative : folder + "/" + relative)
    }

    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}
