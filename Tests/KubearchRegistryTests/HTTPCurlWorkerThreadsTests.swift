import Foundation
import Testing

@testable import KubearchRegistry

/// The threads blocking libcurl transfers run on: reused, never queued behind a busy one, ended when idle.
@Suite("HTTP CurlWorkerThreads")
struct HTTPCurlWorkerThreadsTests {
    /// Runs `job` on `threads`, awaiting it without blocking a cooperative thread; returns a name
    /// for the thread it ran on, unique in the process (a pthread_t or Thread address may be reused
    /// once its thread has ended).
    private func thread(of threads: CurlWorkerThreads, _ job: @escaping @Sendable () -> Void = {}) async -> String {
        await withCheckedContinuation { continuation in
            threads.run {
                job()
                let dictionary = Thread.current.threadDictionary
                let name = dictionary["kubearch-test-thread"] as? String ?? UUID().uuidString
                dictionary["kubearch-test-thread"] = name
                continuation.resume(returning: name)
            }
        }
    }

    /// Polls until `condition` holds; the test's time limit catches a pool that never gets there.
    private func eventually(_ condition: () -> Bool) async throws {
        while !condition() { try await Task.sleep(nanoseconds: 5_000_000) }
    }

    @Test(.timeLimit(.minutes(1))) func anIdleThreadTakesTheNextJob() async throws {
        let threads = CurlWorkerThreads()
        var seen: Set<String> = []
        for _ in 0..<5 {
            seen.insert(await thread(of: threads))
            try await eventually { threads.idleThreads == 1 }
        }
        #expect(seen.count == 1)
    }

    /// Four jobs that each wait for all four to have started: queued behind one another on fewer
    /// threads, they would never finish.
    @Test(.timeLimit(.minutes(1))) func busyThreadsDoNotMakeJobsWait() async throws {
        let threads = CurlWorkerThreads()
        let barrier = Barrier(count: 4)
        let names = await withTaskGroup(of: String.self) { group in
            for _ in 0..<4 { group.addTask { await thread(of: threads) { barrier.arriveAndWait() } } }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(names.count == 4)
        try await eventually { threads.idleThreads == 4 }
    }

    @Test(.timeLimit(.minutes(1))) func idleThreadsEnd() async throws {
        let threads = CurlWorkerThreads(idleLifetime: 0.05)
        let first = await thread(of: threads)
        try await eventually { threads.idleThreads == 0 }
        #expect(await thread(of: threads) != first)
    }
}

/// Blocks each caller of `arriveAndWait` (on a pool thread, never a cooperative one) until `count` have arrived.
private final class Barrier: @unchecked Sendable {
    // `@unchecked Sendable`: `arrived` is only touched with `condition` locked.
    private let condition = NSCondition()
    private let count: Int
    private var arrived = 0

    init(count: Int) { self.count = count }

    func arriveAndWait() {
        condition.lock()
        arrived += 1
        condition.broadcast()
        while arrived < count { condition.wait() }
        condition.unlock()
    }
}
