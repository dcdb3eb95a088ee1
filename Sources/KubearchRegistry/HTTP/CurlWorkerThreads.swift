import FoundationEssentials
import KubearchCore

/// Threads that run blocking libcurl transfers, kept between transfers.
///
/// A transfer blocks its thread (never one of Swift concurrency's few cooperative threads); creating
/// and ending a thread for each one was a tenth of `lock`'s CPU time. A job goes to an idle thread
/// when there is one, else to a new thread, so transfers never queue behind each other; a thread
/// left idle for `idleLifetime` seconds ends.
final class CurlWorkerThreads: @unchecked Sendable {
    // `@unchecked Sendable`: `jobs` and `waiting` are only touched with `condition` locked.
    private let condition = ThreadCondition()
    private var jobs: [@Sendable () -> Void] = []
    /// Threads waiting for a job (a woken one counts until it has taken the lock again).
    private var waiting = 0
    private let idleLifetime: TimeInterval

    init(idleLifetime: TimeInterval = 10) {
        self.idleLifetime = idleLifetime
    }

    /// Threads waiting for a job.
    var idleThreads: Int {
        condition.lock()
        defer { condition.unlock() }
        return waiting
    }

    func run(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        // Enough waiting threads for every queued job: wake one. Otherwise this job gets its own.
        let wakeOne = waiting >= jobs.count
        if wakeOne { condition.signal() }
        condition.unlock()
        if !wakeOne {
            DetachedThread.start { [self] in work() }
        }
    }

    private func work() {
        condition.lock()
        while true {
            waiting += 1
            var idleTooLong = false
            while jobs.isEmpty, !idleTooLong {
                idleTooLong = !condition.wait(seconds: idleLifetime)
            }
            waiting -= 1
            guard !jobs.isEmpty else {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
            condition.lock()
        }
    }
}
