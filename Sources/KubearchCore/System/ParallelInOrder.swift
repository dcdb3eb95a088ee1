import Dispatch
import FoundationEssentials

/// Work items done on every core and handed back in order, at most `window` results held at once
/// (what `ManifestSet.process(inOrder:)` does for files, for any indexed work).
public enum ParallelInOrder {
    /// Calls `transform` for every index in `0..<count` on worker threads and `deliver` with each
    /// result on the calling thread, in index order.
    public static func map<T: Sendable>(
        count: Int, window: Int, _ transform: @escaping @Sendable (Int) -> T, deliver: (T) -> Void
    ) {
        let delivery = OrderedDelivery<T>(count: count, window: window, batch: 1)
        let workers = DispatchGroup()
        for _ in 0..<min(count, ProcessInfo.processInfo.activeProcessorCount) {
            workers.enter()
            DetachedThread.start {
                while let index = delivery.take() { delivery.put(index, transform(index)) }
                workers.leave()
            }
        }
        while let result = delivery.nextInOrder() { deliver(result) }
        workers.wait()
    }
}
