/// Runs a `SortedWalk` on a thread of its own, a bounded number of files ahead of the workers that
/// take them: listing folders under the workers' lock made them wait for each other (twice the
/// context switches and a tenth more CPU on a tree of one folder per file).
public final class WalkAhead: @unchecked Sendable {
    // Everything below is guarded by `condition`'s lock; the walk is only used by the thread.
    private let condition = ThreadCondition()
    private var buffer: [ManifestSource] = []
    private var head = 0
    private var finished = false
    private var producerWaits = false
    private var consumersWaiting = 0
    private let capacity: Int

    /// Starts walking; `next()` hands out the files in walk order, then nil where the walk ends or stops.
    public init(_ walk: SortedWalk, capacity: Int = 256) {
        self.capacity = max(2, capacity)
        DetachedThread.start { [self] in
            while true {
                let source = walk.next()
                condition.lock()
                while source != nil, buffer.count - head >= self.capacity {
                    producerWaits = true
                    condition.wait()
                }
                producerWaits = false
                if let source {
                    if head > self.capacity {
                        buffer.removeFirst(head)
                        head = 0
                    }
                    buffer.append(source)
                } else {
                    finished = true
                }
                if consumersWaiting > 0 || source == nil { condition.broadcast() }
                condition.unlock()
                if source == nil { return }
            }
        }
    }

    /// The next file of the walk, waiting for the walking thread when it is behind.
    public func next() -> ManifestSource? {
        condition.lock()
        defer { condition.unlock() }
        while head == buffer.count, !finished {
            consumersWaiting += 1
            condition.wait()
            consumersWaiting -= 1
        }
        guard head < buffer.count else { return nil }
        head += 1
        // Wake the walking thread once half the buffer is free, not for every file taken.
        if producerWaits, buffer.count - head <= capacity / 2 { condition.broadcast() }
        return buffer[head - 1]
    }

    /// Waits until the walking thread is done with the walk (it has given its last file, or nil).
    public func waitUntilFinished() {
        condition.lock()
        while !finished {
            consumersWaiting += 1
            condition.wait()
            consumersWaiting -= 1
        }
        condition.unlock()
    }
}
