import FoundationEssentials

/// The shared to-do list of a parallel walk: folders to list and files to read, taken by any worker.
/// Each entry remembers which command-line root it came from, so results can be put back in the
/// order a serial walk gives (root by root, then by display path, each file once).
final class WalkQueue<Result: Sendable>: @unchecked Sendable {
    // Everything below is guarded by `condition`'s lock.
    private let condition = ThreadCondition()
    private var pending: [(root: Int, entry: ManifestFinder.Entry)]
    /// Entries taken but not finished: while any is in progress, more work may still appear.
    private var inProgress = 0
    /// Finished files: where each came from, and (at the same index) what processing it gave.
    /// Kept apart because `Result` is generic here: sorting generic values costs a value-witness
    /// call per move, which made the final sort most of the time left after the parallel part.
    private var doneSources: [(root: Int, source: ManifestSource)] = []
    private var doneResults: [Result] = []
    private var failures: [(root: Int, error: ManifestFinderError)] = []
    private let rootCount: Int

    init(_ roots: [ManifestFinder.Entry]) {
        // A stack: the last root is taken first, which does not matter since results are re-ordered.
        pending = roots.enumerated().map { ($0.offset, $0.element) }
        rootCount = roots.count
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
        doneSources.append((root, source))
        doneResults.append(result)
        settle()
    }

    /// Called with the lock held: one entry less in progress; wakes waiters when there is new work
    /// or when the walk is over.
    private func settle() {
        inProgress -= 1
        if !pending.isEmpty || inProgress == 0 { condition.broadcast() }
        condition.unlock()
    }

    /// The sources alone, in the order `ordered()` gives (for a walk whose results are nothing): sorted
    /// in place, so a 100,000-file listing holds one array of sources at its peak, not four.
    func orderedSources() throws(ManifestFinderError) -> [ManifestSource] {
        condition.lock()
        defer { condition.unlock() }
        if let failure = failures.min(by: { $0.root < $1.root }) { throw failure.error }
        doneResults = []
        doneSources.sort(by: Self.walkOrder)
        var firsts = FirstOfEachLocation(mayRepeat: rootCount > 1)
        var sources: [ManifestSource] = []
        sources.reserveCapacity(doneSources.count)
        for (_, source) in doneSources where firsts.keeps(source) {
            sources.append(source)
        }
        doneSources = []
        return sources
    }

    /// Results root by root, by display path within a root, the first of duplicate locations kept;
    /// the first root's listing failure, if any, instead.
    func ordered() throws(ManifestFinderError) -> (sources: [ManifestSource], results: [Result]) {
        condition.lock()
        defer { condition.unlock() }
        if let failure = failures.min(by: { $0.root < $1.root }) { throw failure.error }
        // Compared in place, not through copies of the elements.
        let order = doneSources.withUnsafeBufferPointer { done in
            Array(done.indices).sorted { Self.walkOrder(done[$0], done[$1]) }
        }
        var firsts = FirstOfEachLocation(mayRepeat: rootCount > 1)
        var sources: [ManifestSource] = []
        var results: [Result] = []
        sources.reserveCapacity(order.count)
        results.reserveCapacity(order.count)
        for index in order where firsts.keeps(doneSources[index].source) {
            sources.append(doneSources[index].source)
            results.append(doneResults[index])
        }
        return (sources, results)
    }
}

extension WalkQueue {
    /// Root by root, then by display path.
    static func walkOrder(_ first: (root: Int, source: ManifestSource), _ second: (root: Int, source: ManifestSource)) -> Bool {
        first.root != second.root ? first.root < second.root : first.source.displayPath < second.source.displayPath
    }

    /// Keeps the first source of each location. One root's walk never repeats a location; only
    /// several roots can name a file twice, so a single root keeps everything without a set.
    struct FirstOfEachLocation {
        let mayRepeat: Bool
        private var seen: Set<String> = []

        init(mayRepeat: Bool) {
            self.mayRepeat = mayRepeat
        }

        mutating func keeps(_ source: ManifestSource) -> Bool {
            !mayRepeat || seen.insert(source.location).inserted
        }
    }
}
