import Dispatch
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
        let next = SourceCursor(sources)
        process(inOrder: { next.take() }, detail: detail, window: window, body, deliver: deliver)
    }

    /// As `process(inOrder:)` over sources that `next` gives one by one (called under a lock, in
    /// order) until it returns nil: a walk that lists folders as it goes feeds the scan directly.
    public static func process<T: Sendable>(
        inOrder next: @escaping @Sendable () -> ManifestSource?, detail: ManifestScanner.Detail = .full, window: Int = 512,
        _ body: @escaping @Sendable (ManifestSource, ScannedFile) -> T,
        deliver: (ManifestSource, Result<T, UnreadableFile>) -> Void
    ) {
        let delivery = OrderedDelivery<(ManifestSource, Result<T, UnreadableFile>)>(count: nil, window: window)
        let workers = DispatchGroup()
        // Threads of their own, not Dispatch's pool: the caller, often a task on Swift's cooperative
        // pool (one thread per core), blocks while it delivers, and workers queued on the same pool
        // then ran on one core only (a 20,000-file check used 1.1 cores instead of 1.9).
        for _ in 0..<ProcessInfo.processInfo.activeProcessorCount {
            workers.enter()
            DetachedThread.start {
                while let (index, source) = delivery.take(from: next) {
                    delivery.put(index, (source, scanSource(source, detail: detail, standardInput: { readStandardInput() }, body)))
                }
                workers.leave()
            }
        }
        while let (source, result) = delivery.nextInOrder() {
            deliver(source, result)
        }
        workers.wait()
    }
}

/// Hands out an array's elements one by one (only ever under `OrderedDelivery`'s lock).
private final class SourceCursor: @unchecked Sendable {
    private let sources: [ManifestSource]
    private var next = 0

    init(_ sources: [ManifestSource]) {
        self.sources = sources
    }

    func take() -> ManifestSource? {
        guard next < sources.count else { return nil }
        next += 1
        return sources[next - 1]
    }
}
