import FoundationEssentials

extension ManifestSet {
    /// The files under `paths` in the order `process(finding:with:)` gives them, listed on every
    /// core; no file is read.
    public static func list(_ paths: [String], with finder: ManifestFinder) throws(ManifestFinderError) -> [ManifestSource] {
        let work = WalkQueue<Void>(try finder.roots(paths))
        walk(work, with: finder) { _ in () }
        return try work.orderedSources()
    }

    /// Reads, scans and hands each source to `body` on every core, as `process(_:)` does, but gives
    /// each result to `deliver` on the calling thread, in source order, as soon as every earlier one
    /// was delivered: at most `window` results wait, so memory does not grow with the sources.
    public static func process<T: Sendable>(
        inOrder sources: [ManifestSource], detail: ManifestScanner.Detail = .full, window: Int = 512,
        _ body: @escaping @Sendable (ManifestSource, ScannedFile) -> T,
        deliver: (ManifestSource, Result<T, UnreadableFile>) -> Void
    ) {
        ParallelInOrder.map(sources, window: window, { scanSource($0, detail: detail, standardInput: { readStandardInput() }, body) }, deliver: deliver)
    }

    /// As `process(inOrder:)` over the files `walk` gives, walked on a thread of its own ahead of
    /// the workers (`WalkAhead`); returns once the walk has ended or stopped, so that its `stopped`
    /// and `unlisted` can be read.
    public static func process<T: Sendable>(
        walking walk: SortedWalk, detail: ManifestScanner.Detail = .full,
        _ body: @escaping @Sendable (ManifestSource, ScannedFile) -> T,
        deliver: (ManifestSource, Result<T, UnreadableFile>) -> Void
    ) {
        let ahead = WalkAhead(walk)
        process(inOrder: { ahead.next() }, detail: detail, body, deliver: deliver)
        ahead.waitUntilFinished()
    }

    /// As `process(inOrder:)` over sources that `next` gives one by one (called under a lock, in
    /// order) until it returns nil: a walk that lists folders as it goes feeds the scan directly.
    public static func process<T: Sendable>(
        inOrder next: @escaping @Sendable () -> ManifestSource?, detail: ManifestScanner.Detail = .full, window: Int = 512,
        _ body: @escaping @Sendable (ManifestSource, ScannedFile) -> T,
        deliver: (ManifestSource, Result<T, UnreadableFile>) -> Void
    ) {
        ParallelInOrder.map(next, window: window, { scanSource($0, detail: detail, standardInput: { readStandardInput() }, body) }, deliver: deliver)
    }
}
