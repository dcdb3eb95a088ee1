import FoundationEssentials
import Glibc

/// A manifest file to read: where it is, and the path reports show for it.
public struct ManifestSource: Sendable, Hashable {
    /// Relative to the current folder without a leading `./`; `-` for standard input.
    public let displayPath: String
    /// The path to open; or, when `completedByDisplayPath`, the folder prefix (shared by every file
    /// of a walk) that `displayPath` completes into it. A walk of 100,000 files kept two path
    /// strings per file, the larger part of its memory.
    private let storedLocation: String
    private let completedByDisplayPath: Bool

    init(location: String, displayPath: String) {
        storedLocation = location
        self.displayPath = displayPath
        completedByDisplayPath = false
    }

    init(locationPrefix: String, displayPath: String) {
        storedLocation = locationPrefix
        self.displayPath = displayPath
        completedByDisplayPath = true
    }

    /// The path to open.
    public var location: String {
        completedByDisplayPath ? storedLocation + displayPath : storedLocation
    }

    public static func == (lhs: ManifestSource, rhs: ManifestSource) -> Bool {
        lhs.displayPath == rhs.displayPath && lhs.location == rhs.location
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(displayPath)
        hasher.combine(location)
    }
}

public enum ManifestFinderError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case unreadable(String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path): "\(path): no such file or directory"
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        }
    }
}

/// Expands command-line PATHs into the manifest files to scan (SPEC §3).
public struct ManifestFinder: Sendable {
    public static let extensions: Set<String> = ["yaml", "yml", "json"]

    public var exclude: [Glob]
    public var currentDirectory: String
    /// Told what each listed folder holds, when set (hidden and excluded entries count too).
    public var listedFolders: ListedFolders?

    public init(exclude: [Glob] = [], currentDirectory: String = FileManager.default.currentDirectoryPath) {
        self.exclude = exclude
        self.currentDirectory = currentDirectory
        locationPrefix = currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/"
    }

    /// `currentDirectory` and a slash: what a file's location is before its display path, when
    /// that path is relative to the current folder (one string for the whole walk).
    private let locationPrefix: String

    /// What a command-line path stands for: a file to read, or a folder whose entries are listed
    /// with `contents(of:)`. Splitting the walk into folder listings lets a caller list folders on
    /// every core while files found earlier are already being read.
    public enum Entry: Sendable, Hashable {
        case file(ManifestSource)
        case folder(location: String, shown: String)
    }

    /// Files named explicitly are taken whatever their extension (as kubeconform does); folders are
    /// walked for `*.yaml`, `*.yml` and `*.json`, skipping hidden entries (`.git` among them) and
    /// symbolic links to folders (which is also what keeps a link loop from looping).
    /// Files come path by path; within a folder given as a path, sorted by display path; each once.
    public func find(_ paths: [String]) throws(ManifestFinderError) -> [ManifestSource] {
        var found: [ManifestSource] = []
        var seen: Set<String> = []
        for entry in try roots(paths) {
            switch entry {
            case .file(let source):
                if seen.insert(source.location).inserted { found.append(source) }
            case .folder:
                for source in try walk(entry) where seen.insert(source.location).inserted { found.append(source) }
            }
        }
        return found
    }

    /// The entries the command-line paths name, in order; folders are not listed yet.
    public func roots(_ paths: [String]) throws(ManifestFinderError) -> [Entry] {
        var roots: [Entry] = []
        for path in paths {
            if path == "-" {
                roots.append(.file(ManifestSource(location: "-", displayPath: "-")))
                continue
            }
            let location = path.hasPrefix("/") ? path : currentDirectory + "/" + path
            var isDirectory = false
            guard FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory) else {
                // A dangling or looping symbolic link is there but cannot be read: reported as an
                // unreadable file when read, while the other paths are still scanned.
                var info = stat()
                guard lstat(location, &info) == 0 else { throw .notFound(path) }
                roots.append(.file(ManifestSource(location: location, displayPath: displayPath(location))))
                continue
            }
            if isDirectory {
                let shown = displayPath(location)
                roots.append(.folder(location: location, shown: shown == "." ? "" : shown))
            } else {
                roots.append(.file(ManifestSource(location: location, displayPath: displayPath(location))))
            }
        }
        return roots
    }

    /// One folder's manifest files and subfolders (hidden, excluded and non-manifest entries left out).
    public func contents(of folder: String, shown shownFolder: String) throws(ManifestFinderError) -> [Entry] {
        var contents: [Entry] = []
        var holdsWatchedName = false
        for (name, type) in try entries(of: folder) {
            if let listedFolders, !holdsWatchedName, listedFolders.names.contains(name) { holdsWatchedName = true }
            if name.hasPrefix(".") { continue }
            // Display paths are built by appending names: cheaper than normalising every file's path.
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            // Most walks show paths as they open them: then both share one string (at 100,000 files
            // two copies were most of the listing's memory).
            let shown = folder == shownFolder ? path
                : shownFolder.isEmpty ? name : shownFolder.hasSuffix("/") ? shownFolder + name : shownFolder + "/" + name
            if !exclude.isEmpty, exclude.contains(where: { $0.matches(shown) }) { continue }
            switch type {
            case .folder:
                contents.append(.folder(location: path, shown: shown))
            case .file, .link:
                if Self.hasManifestExtension(name) && !(type == .link && isDirectory(path)) {
                    contents.append(.file(source(location: path, displayPath: shown)))
                }
            case .other:
                continue
            }
        }
        listedFolders?.record(folder, holdsWatchedName: holdsWatchedName)
        return contents
    }

    /// A source that shares `locationPrefix` when its location is that prefix and its display path.
    private func source(location: String, displayPath: String) -> ManifestSource {
        let prefix = locationPrefix.utf8
        let location8 = location.utf8
        if location8.count == prefix.count + displayPath.utf8.count, location8.starts(with: prefix),
           location8.dropFirst(prefix.count).elementsEqual(displayPath.utf8) {
            return ManifestSource(locationPrefix: locationPrefix, displayPath: displayPath)
        }
        return ManifestSource(location: location, displayPath: displayPath)
    }

    /// Every manifest file under a root folder, sorted by display path.
    private func walk(_ root: Entry) throws(ManifestFinderError) -> [ManifestSource] {
        var results: [ManifestSource] = []
        var pending = [root]
        while let entry = pending.popLast() {
            switch entry {
            case .file(let source): results.append(source)
            case .folder(let location, let shown): pending += try contents(of: location, shown: shown)
            }
        }
        return results.sorted { $0.displayPath < $1.displayPath }
    }

    private enum EntryType { case folder, file, link, other }

    /// Names and types of a folder's entries, from readdir's `d_type` (no stat per entry when the
    /// file system fills it in).
    private func entries(of folder: String) throws(ManifestFinderError) -> [(String, EntryType)] {
        guard let directory = opendir(folder) else {
            throw .unreadable(folder, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        var entries: [(String, EntryType)] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var type: EntryType
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): type = .folder
            case Int32(DT_REG): type = .file
            case Int32(DT_LNK): type = .link
            case Int32(DT_UNKNOWN): type = .other
            default: continue
            }
            if type == .other {
                var info = stat()
                guard lstat(folder + "/" + name, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: type = .folder
                case S_IFREG: type = .file
                case S_IFLNK: type = .link
                default: continue
                }
            }
            entries.append((name, type))
        }
        return entries
    }

    static func hasManifestExtension(_ name: String) -> Bool {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")) else { return false }
        let ext = name.utf8[name.utf8.index(after: dot)...]
        return extensions.contains(String(decoding: ext, as: UTF8.self).lowercased())
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory
    }

    /// Relative to the current folder when inside it, without `./`; otherwise as given.
    public func displayPath(_ path: String) -> String {
        var absolute = path.hasPrefix("/") ? path : currentDirectory + "/" + path
        absolute = PathText.resolved(absolute)
        let base = PathText.resolved(currentDirectory)
        if absolute == base { return "." }
        if absolute.hasPrefix(base + "/") { return String(absolute.dropFirst(base.count + 1)) }
        var shown = path
        while shown.hasPrefix("./") { shown.removeFirst(2) }
        return shown
    }
}
