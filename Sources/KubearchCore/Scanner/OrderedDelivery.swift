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
