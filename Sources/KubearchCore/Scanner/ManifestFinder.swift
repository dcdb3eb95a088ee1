import Foundation

/// A manifest file to read: where it is, and the path reports show for it.
public struct ManifestSource: Sendable, Hashable {
    /// The path to open.
    public var location: String
    /// Relative to the current folder without a leading `./`; `-` for standard input.
    public var displayPath: String
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

    public init(exclude: [Glob] = [], currentDirectory: String = FileManager.default.currentDirectoryPath) {
        self.exclude = exclude
        self.currentDirectory = currentDirectory
    }

    /// Files named explicitly are taken whatever their extension (as kubeconform does); folders are
    /// walked for `*.yaml`, `*.yml` and `*.json`, skipping hidden entries (`.git` among them) and
    /// symbolic links to folders (which is also what keeps a link loop from looping).
    public func find(_ paths: [String]) throws(ManifestFinderError) -> [ManifestSource] {
        var found: [ManifestSource] = []
        var seen: Set<String> = []
        for path in paths {
            if path == "-" {
                found.append(ManifestSource(location: "-", displayPath: "-"))
                continue
            }
            let location = path.hasPrefix("/") ? path : currentDirectory + "/" + path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory) else {
                // A dangling or looping symbolic link is there but cannot be read: reported as an
                // unreadable file when read, while the other paths are still scanned.
                var info = stat()
                guard lstat(location, &info) == 0 else { throw .notFound(path) }
                if seen.insert(location).inserted { found.append(ManifestSource(location: location, displayPath: displayPath(location))) }
                continue
            }
            if isDirectory.boolValue {
                for file in try walk(location) where seen.insert(file.location).inserted { found.append(file) }
            } else if seen.insert(location).inserted {
                found.append(ManifestSource(location: location, displayPath: displayPath(location)))
            }
        }
        return found
    }

    private func walk(_ root: String) throws(ManifestFinderError) -> [ManifestSource] {
        var results: [ManifestSource] = []
        // Display paths are built by appending names: cheaper than normalising every file's path.
        let rootShown = displayPath(root)
        var pending = [(path: root, shown: rootShown == "." ? "" : rootShown)]
        while let (folder, shownFolder) = pending.popLast() {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder)
            } catch {
                throw .unreadable(folder, reason: (error as NSError).localizedDescription)
            }
            for name in names.sorted() where !name.hasPrefix(".") {
                let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
                let shown = shownFolder.isEmpty ? name : shownFolder.hasSuffix("/") ? shownFolder + name : shownFolder + "/" + name
                if exclude.contains(where: { $0.matches(shown) }) { continue }
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    pending.append((path, shown))
                case S_IFREG, S_IFLNK:
                    let ext = (name as NSString).pathExtension.lowercased()
                    if Self.extensions.contains(ext) && !(info.st_mode & S_IFMT == S_IFLNK && isDirectory(path)) {
                        results.append(ManifestSource(location: path, displayPath: shown))
                    }
                default:
                    continue
                }
            }
        }
        return results.sorted { $0.displayPath < $1.displayPath }
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Relative to the current folder when inside it, without `./`; otherwise as given.
    public func displayPath(_ path: String) -> String {
        var absolute = path.hasPrefix("/") ? path : currentDirectory + "/" + path
        absolute = (absolute as NSString).standardizingPath
        let base = (currentDirectory as NSString).standardizingPath
        if absolute == base { return "." }
        if absolute.hasPrefix(base + "/") { return String(absolute.dropFirst(base.count + 1)) }
        var shown = path
        while shown.hasPrefix("./") { shown.removeFirst(2) }
        return shown
    }
}
