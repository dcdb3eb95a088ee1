/// A loop for work that mostly waits, on the disk rather than the CPU: its iterations run on
/// `threads` threads of their own, more than there are cores (`DispatchQueue.concurrentPerform`
/// keeps to one per core), so that many waits overlap.
public enum WaitingLoop {
    /// Runs `body` once for every index of `0..<count`, in no fixed order; returns when all are done.
    public static func perform(_ count: Int, threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let loop = Shared(count: count, threads: min(max(1, threads), count))
        for _ in 0..<loop.running {
            DetachedThread.start {
                while let index = loop.take() { body(index) }
                loop.threadEnded()
            }
        }
        loop.waitForAll()
    }

    private final class Shared: @unchecked Sendable {
        private let state = ThreadCondition()
        private let count: Int
        // Guarded by `state`.
        private var next = 0
        private(set) var running: Int

        init(count: Int, threads: Int) {
            self.count = count
            running = threads
        }

        func take() -> Int? {
            state.lock()
            defer { state.unlock() }
            guard next < count else { return nil }
            next += 1
            return next - 1
        }

        func threadEnded() {
            state.lock()
            running -= 1
            if running == 0 { state.signal() }
            state.unlock()
        }

        func waitForAll() {
            state.lock()
            while running > 0 { state.wait() }
            state.unlock()
        }
    }
}
