import Foundation

/// The shared to-do list of a parallel walk: folders to list and files to read, taken by any worker.
/// Each entry remembers which command-line root it came from, so results can be put back in the
/// order a serial walk gives (root by root, then by display path, each file once).
final class WalkQueue<Result: Sendable>: @unchecked Sendable {
    // Everything below is guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var pending: [(root: Int, entry: ManifestFinder.Entry)]
    /// Entries taken but not finished: while any is in progress, more work may still appear.
    private var inProgress = 0
    private var done: [(root: Int, source: ManifestSource, result: Result)] = []
    private var failures: [(root: Int, error: ManifestFinderError)] = []

    init(_ roots: [ManifestFinder.Entry]) {
        // A stack: the last root is taken first, which does not matter since results are re-ordered.
        pending = roots.enumerated().map { ($0.offset, $0.element) }
    }

    /// The next entry to work on; nil once nothing is pending and nothing is in progress.
    func next() -> (root: Int, entry: ManifestFinder.Entry)? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty {
            if inProgress == 0 { return nil }
            condition.wait()
        }
        inProgress += 1
        return pending.removeLast()
    }

    func finish(_ root: Int, listing: Swift.Result<[ManifestFinder.Entry], ManifestFinderError>) {
        condition.lock()
        switch listing {
        case .success(let entries): pending += entries.map { (root, $0) }
        case .failure(let error): failures.append((root, error))
        }
        settle()
    }

    func finish(_ root: Int, source: ManifestSource, result: Result) {
        condition.lock()
        done.append((root, source, result))
        settle()
    }

    /// Called with the lock held: one entry less in progress; wakes waiters when there is new work
    /// or when the walk is over.
    private func settle() {
        inProgress -= 1
        if !pending.isEmpty || inProgress == 0 { condition.broadcast() }
        condition.unlock()
    }

    /// Results root by root, by display path within a root, the first of duplicate locations kept;
    /// the first root's listing failure, if any, instead.
    func ordered() throws(ManifestFinderError) -> [(source: ManifestSource, result: Result)] {
        condition.lock()
        defer { condition.unlock() }
        if let failure = failures.min(by: { $0.root < $1.root }) { throw failure.error }
        // Sorted by index: results are generic here, and moving them through a sort costs a
        // value-witness call per copy (it was most of the time left after the parallel part).
        let order = done.indices.sorted { a, b in
            done[a].root != done[b].root ? done[a].root < done[b].root : done[a].source.displayPath < done[b].source.displayPath
        }
        var seen: Set<String> = []
        var results: [(source: ManifestSource, result: Result)] = []
        results.reserveCapacity(order.count)
        for index in order where seen.insert(done[index].source.location).inserted {
            results.append((done[index].source, done[index].result))
        }
        done = []
        return results
    }
}
