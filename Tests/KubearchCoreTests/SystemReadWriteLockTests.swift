import Dispatch
import Testing
@testable import KubearchCore

/// `ThreadReadWriteLock`: readers never see a writer's change half made, and no write is lost.
@Suite struct SystemReadWriteLockTests {
    @Test func readersSeeWholeWritesAndEveryWriteCounts() {
        let state = PairOfCounts()
        let threads = DispatchGroup()
        let torn = TornReads()
        for worker in 0..<4 {
            threads.enter()
            DetachedThread.start {
                for step in 0..<20_000 {
                    if (step + worker) % 10 == 0 {
                        state.lock.write {
                            state.first += 1
                            // Between the two updates a reader holding the lock would see them differ.
                            for _ in 0..<10 { state.spins &+= 1 }
                            state.second += 1
                        }
                    } else if state.lock.read({ state.first != state.second }) {
                        torn.add()
                    }
                }
                threads.leave()
            }
        }
        threads.wait()
        #expect(torn.count == 0)
        #expect(state.first == 8_000 && state.second == 8_000)
    }
}

private final class PairOfCounts: @unchecked Sendable {
    let lock = ThreadReadWriteLock()
    var first = 0
    var second = 0
    var spins = 0
}

private final class TornReads: @unchecked Sendable {
    private let lock = ThreadLock()
    private(set) var count = 0

    func add() {
        lock.lock()
        count += 1
        lock.unlock()
    }
}
