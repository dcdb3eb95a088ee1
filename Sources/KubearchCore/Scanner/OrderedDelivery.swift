import Dispatch
import FoundationEssentials

/// Hands the results of a parallel scan back in source order while it runs: workers fill slots of a
/// window ahead of the next result to deliver, and stop taking sources when the window is full, so
/// no more than `window` results are held at once, however many sources there are.
final class OrderedDelivery<Value: Sendable>: @unchecked Sendable {
    // Everything below is guarded by `condition`'s lock.
    private let condition = ThreadCondition()
    private let count: Int
    private let window: Int
    private var slots: [Value?]
    /// The next source a worker may take.
    private var nextToTake = 0
    /// The next result the caller delivers.
    private var nextToDeliver = 0

    init(count: Int, window: Int) {
        self.count = count
        self.window = max(1, window)
        slots = Array(repeating: nil, count: self.window)
    }

    /// The next source index for a worker, waiting while the window is full; nil when all are taken.
    func take() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while nextToTake < count, nextToTake >= nextToDeliver + window { condition.wait() }
        guard nextToTake < count else { return nil }
        nextToTake += 1
        return nextToTake - 1
    }

    func put(_ index: Int, _ value: Value) {
        condition.lock()
        slots[index % window] = value
        condition.broadcast()
        condition.unlock()
    }

    /// The result of the next source in order, waiting until a worker has put it; nil after the last.
    func nextInOrder() -> Value? {
        condition.lock()
        defer { condition.unlock() }
        guard nextToDeliver < count else { return nil }
        let slot = nextToDeliver % window
        while slots[slot] == nil { condition.wait() }
        let value = slots[slot]
        slots[slot] = nil
        nextToDeliver += 1
        condition.broadcast()
        return value
    }
}

extension ManifestSet {
    /// The files under `paths` in the order `process(finding:with:)` gives them, listed on every
    /// core; no file is read.
    public static func list(_ paths: [String], with finder: ManifestFinder) throws(ManifestFinderError) -> [ManifestSource] {
        let work = WalkQueue<Void>(try finder.roots(paths))
        DispatchQueue.concurrentPerform(iterations: ProcessInfo.processInfo.activeProcessorCount) { _ in
            while let (root, entry) = work.next() {
                switch entry {
                case .folder(let location, let shown):
                    work.finish(root, listing: Result { () throws(ManifestFinderError) in try finder.contents(of: location, shown: shown) })
                case .file(let source):
                    work.finish(root, source: source, result: ())
                }
            }
        }
        return try work.ordered().map(\.source)
    }

    /// Reads, scans and hands each source to `body` on every core, as `process(_:)` does, but gives
    /// each result to `deliver` on the calling thread, in source order, as soon as every earlier one
    /// was delivered: at most `window` results wait, so memory does not grow with the sources.
    public static func process<T: Sendable>(
        inOrder sources: [ManifestSource], detail: ManifestScanner.Detail = .full, window: Int = 512,
        _ body: @escaping @Sendable (ManifestSource, ScannedFile) -> T,
        deliver: (ManifestSource, Result<T, UnreadableFile>) -> Void
    ) {
        let delivery = OrderedDelivery<Result<T, UnreadableFile>>(count: sources.count, window: window)
        let workers = DispatchGroup()
        // Threads of their own, not Dispatch's pool: the caller, often a task on Swift's cooperative
        // pool (one thread per core), blocks while it delivers, and workers queued on the same pool
        // then ran on one core only (a 20,000-file check used 1.1 cores instead of 1.9).
        for _ in 0..<ProcessInfo.processInfo.activeProcessorCount {
            workers.enter()
            DetachedThread.start {
                while let index = delivery.take() {
                    delivery.put(index, scanSource(sources[index], detail: detail, standardInput: { readStandardInput() }, body))
                }
                workers.leave()
            }
        }
        var index = 0
        while let result = delivery.nextInOrder() {
            deliver(sources[index], result)
            index += 1
        }
        workers.wait()
    }
}
