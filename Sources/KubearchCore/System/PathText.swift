import Glibc

/// Path arithmetic on `/`-separated strings, as `NSString`'s path methods do it for the paths the
/// tool handles (see `ThreadLock` for why not `NSString`).
public enum PathText {
    /// The part after the last `/` (`"a/b.yaml"` → `"b.yaml"`; a trailing `/` is ignored).
    public static func lastComponent(_ path: String) -> String {
        let trimmed = trailingSlashesRemoved(path)
        guard trimmed != "/", let slash = trimmed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return trimmed }
        return String(trimmed[trimmed.utf8.index(after: slash)...])
    }

    /// The path without its last component (`"/a/b"` → `"/a"`, `"/a"` → `"/"`, `"b"` → `""`).
    public static func deletingLastComponent(_ path: String) -> String {
        let trimmed = trailingSlashesRemoved(path)
        guard let slash = trimmed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return trailingSlashesRemoved(String(trimmed[..<slash]))
    }

    /// `component` appended with one `/` between.
    public static func appending(to path: String, _ component: String) -> String {
        if path.isEmpty { return component }
        if component.isEmpty { return path }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let tail = component.hasPrefix("/") ? String(component.dropFirst()) : component
        return base + "/" + tail
    }

    /// `.` and `..` components and repeated `/` removed, without touching the file system (as
    /// `standardizingPath` does for an absolute path whose components are not symbolic links).
    public static func standardized(_ path: String) -> String {
        guard !path.isEmpty else { return path }
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            if part == "..", absolute { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// An absolute path with symbolic links resolved where it exists (`realpath`), else
    /// `standardized`: what `NSString.standardizingPath` gives for absolute paths on Linux.
    public static func resolved(_ path: String) -> String {
        guard path.hasPrefix("/") else { return standardized(path) }
        guard let real = realpath(path, nil) else { return standardized(path) }
        defer { free(real) }
        return String(cString: real)
    }

    private static func trailingSlashesRemoved(_ path: String) -> String {
        var result = Substring(path)
        while result.count > 1, result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}
