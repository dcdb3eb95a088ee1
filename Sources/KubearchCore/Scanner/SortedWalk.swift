/// The files under one folder in report order (by display path), each folder listed only when the
/// walk reaches it: what the walk holds at once grows with the depth of the tree and the width of
/// its folders, not with its number of files (at 100,000 files the whole listing was most of a
/// check's memory).
///
/// Siblings go by display path, a folder's with `/` after it: that is the order of the full paths
/// of the files below them, the order a sorted listing has (`ManifestSet.list`). Not thread-safe:
/// callers take it under a lock.
public final class SortedWalk: @unchecked Sendable {
    private let finder: ManifestFinder
    /// One frame per open folder: its entries not yet taken, last first.
    private var frames: [[ManifestFinder.Entry]]
    /// Folders that could not be listed, as unreadable entries of the report (shown path, reason).
    public private(set) var unlisted: [UnreadableFile] = []
    /// Set when the walk stops before a folder `stopsAt` marked; cleared by the next call.
    public private(set) var stopped = false
    /// Asked of each folder as it is listed (by its location); nil: no stops.
    public var stopsAt: (@Sendable (String) -> Bool)?

    /// `stopsAt`, asked of each folder as it is listed (by its location), makes `next()` return nil
    /// before the folder's files with `stopped` set; later calls go on from there.
    public init(root: ManifestFinder.Entry, finder: ManifestFinder, stopsAt: (@Sendable (String) -> Bool)? = nil) {
        self.finder = finder
        self.stopsAt = stopsAt
        frames = [[root]]
    }

    /// The next file; nil at the end, or at a stop (then `stopped` is true).
    public func next() -> ManifestSource? {
        stopped = false
        while !frames.isEmpty {
            guard let entry = frames[frames.count - 1].popLast() else {
                frames.removeLast()
                continue
            }
            switch entry {
            case .file(let source):
                return source
            case .folder(let location, let shown):
                do {
                    let entries = try finder.contents(of: location, shown: shown)
                    frames.append(entries.map { (Self.sortKey($0), $0) }.sorted { $0.0 > $1.0 }.map(\.1))
                } catch {
                    unlisted.append(UnreadableFile(path: shown.isEmpty ? "." : shown, reason: Self.reason(error)))
                    continue
                }
                if let stopsAt, stopsAt(location) {
                    stopped = true
                    return nil
                }
            }
        }
        return nil
    }

    private static func sortKey(_ entry: ManifestFinder.Entry) -> String {
        switch entry {
        case .file(let source): source.displayPath
        case .folder(_, let shown): shown + "/"
        }
    }

    private static func reason(_ error: ManifestFinderError) -> String {
        switch error {
        case .notFound: "No such file or directory"
        case .unreadable(_, let reason): reason
        }
    }
}
