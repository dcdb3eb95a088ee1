import Foundation
import Testing
@testable import KubearchCore

@Suite("Waiting loop")
struct WaitingLoopTests {
    @Test(arguments: [(0, 4), (1, 16), (5, 16), (1000, 16), (300, 1)])
    func everyIndexRunsOnceAndAllAreDoneOnReturn(count: Int, threads: Int) {
        let runs = ResultSlots<Int>(count: count)
        let counter = Counter()
        WaitingLoop.perform(count, threads: threads) { index in
            usleep(UInt32(index % 3) * 100)  // uneven waits, so threads overtake each other
            runs.set(index, counter.increment())
        }
        #expect(runs.values.count == count)
        // Each index ran exactly once: the numbers handed out are a permutation of 1...count.
        #expect(runs.values.sorted() == Array(0..<count).map { $0 + 1 })
    }

    private final class Counter: @unchecked Sendable {
        private let lock = ThreadLock()
        private var value = 0
        func increment() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}
