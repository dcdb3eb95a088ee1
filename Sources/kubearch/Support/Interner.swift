import FoundationEssentials
import KubearchCore

/// Keeps one stored copy of each distinct value and hands that copy out again: the workload rows of
/// a JSON report hold the same few architecture lists, platform lists and canonical references
/// thousands of times, and a separate heap copy per row was a tenth of the run's peak memory.
/// Safe to use from the scan's workers.
final class Interner<Value: Hashable & Sendable>: @unchecked Sendable {
    private let lock = ThreadLock()
    private var stored: Set<Value> = []

    func shared(_ value: Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        return stored.insert(value).memberAfterInsert
    }
}
