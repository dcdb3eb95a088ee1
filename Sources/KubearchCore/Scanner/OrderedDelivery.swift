/// Hands the results of a parallel scan back in source order while it runs: workers fill slots of a
/// window ahead of the next result to deliver, and stop taking sources when the window is full, so
/// no more than `window` results are held at once, however many sources there are.
///
/// Each wake-up is a futex call and, here, often an inter-processor interrupt: waking the caller
/// for every result and every worker on every delivery was about a tenth of a 20,000-file check's
/// CPU. So the caller, once it has to wait, sleeps until a run of `batch` results is ready, and
/// workers that found the window full are woken only when a batch of room is free again.
final class OrderedDelivery<Value: Sendable>: @unchecked Sendable {
    // Everything below is guarded by `condition`'s lock.
    private let condition = ThreadCondition()
    /// How many results there are; `Int.max` until the producer runs dry.
    private var count: Int
    private let window: Int
    private let batch: Int
    private var slots: [Value?]
    /// Which slots hold a result: asking a generic optional whether it is nil copies it through its
    /// value witness, which made the readiness checks a visible part of a run.
    private var filled: [Bool]
    /// Every result from the next to deliver up to (not including) this index has been put.
    private var readyEnd = 0
    /// The next source a worker may take.
    private var nextToTake = 0
    /// The next result the caller delivers.
    private var nextToDeliver = 0
    /// While the caller sleeps: the last index of the run it waits for.
    private var callerWaitsThrough: Int?
    private var workersWaiting = 0

    /// As many results as `take(from:)`'s producer gives.
    init(window: Int, batch: Int = 32) {
        count = Int.max
        self.window = max(1, window)
        self.batch = min(max(1, batch), self.window)
        slots = Array(repeating: nil, count: self.window)
        filled = Array(repeating: false, count: self.window)
    }

    /// The next item and its index, from `produce` (called under the lock,
    /// so items and indexes go in the same order), waiting while the window is full; nil once
    /// `produce` has returned nil.
    func take<Item>(from produce: () -> Item?) -> (index: Int, item: Item)? {
        condition.lock()
        defer { condition.unlock() }
        while nextToTake < count, nextToTake >= nextToDeliver + window {
            workersWaiting += 1
            condition.wait()
            workersWaiting -= 1
        }
        guard nextToTake < count else { return nil }
        guard let item = produce() else {
            count = nextToTake
            condition.broadcast()
            return nil
        }
        nextToTake += 1
        return (nextToTake - 1, item)
    }

    func put(_ index: Int, _ value: Value) {
        condition.lock()
        slots[index % window] = value
        filled[index % window] = true
        while readyEnd < nextToTake, filled[readyEnd % window] { readyEnd += 1 }
        if let last = callerWaitsThrough, last < readyEnd {
            callerWaitsThrough = nil
            condition.broadcast()
        }
        condition.unlock()
    }

    /// The result of the next source in order, waiting until a worker has put it; nil after the last.
    func nextInOrder() -> Value? {
        condition.lock()
        defer { condition.unlock() }
        guard nextToDeliver < count else { return nil }
        let slot = nextToDeliver % window
        if readyEnd <= nextToDeliver {
            // Workers must not sleep on a window the caller is about to wait on them to fill.
            if workersWaiting > 0 { condition.broadcast() }
            // The run ends sooner when an open-ended producer runs dry meanwhile.
            while readyEnd <= min(count - 1, nextToDeliver + batch - 1) {
                callerWaitsThrough = min(count - 1, nextToDeliver + batch - 1)
                condition.wait()
                if nextToDeliver >= count {
                    callerWaitsThrough = nil
                    return nil
                }
            }
            callerWaitsThrough = nil
        }
        let value = slots[slot]
        slots[slot] = nil
        filled[slot] = false
        nextToDeliver += 1
        if workersWaiting > 0, nextToTake + batch <= nextToDeliver + window { condition.broadcast() }
        return value
    }
}
