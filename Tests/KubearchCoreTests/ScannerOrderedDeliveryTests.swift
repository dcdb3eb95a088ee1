import Dispatch
import Testing
@testable import KubearchCore

/// `OrderedDelivery`: results of workers finishing in any order come back in index order, each once,
/// and never more than `window` results are held (the caller is slow enough to make it matter). The caller sleeps for runs of `batch` results, so
/// the sizes here leave runs cut short by the window and by the last index.
@Suite struct ScannerOrderedDeliveryTests {
    @Test(arguments: [(count: 1_000, window: 8, batch: 32), (count: 997, window: 64, batch: 16), (count: 5, window: 512, batch: 32), (count: 0, window: 4, batch: 2)])
    func deliversEveryResultInOrder(count: Int, window: Int, batch: Int) {
        let delivery = OrderedDelivery<Int>(window: window, batch: batch)
        let produced = Produced(count)
        let held = HeldCounter()
        let workers = DispatchGroup()
        for worker in 0..<3 {
            workers.enter()
            DetachedThread.start {
                var state = UInt64(worker + 1)
                while let (index, item) = delivery.take(from: { produced.next() }) {
                    #expect(item == index)
                    // Uneven work, so results are put out of order.
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    for _ in 0..<Int(state >> 52) { held.spin() }
                    held.add(1)
                    delivery.put(index, index * 7)
                }
                workers.leave()
            }
        }
        var delivered: [Int] = []
        while let value = delivery.nextInOrder() {
            delivered.append(value)
            held.add(-1)
            // A slow caller too, so that workers run ahead into the window's bound.
            for _ in 0..<(value % 3) * 200 { held.spin() }
        }
        workers.wait()
        #expect(delivered == (0..<count).map { $0 * 7 })
        // One more than the window: a worker may take the next index between the caller's
        // `nextInOrder()` freeing a slot and its own count going down.
        #expect(held.peak <= window + 1)
        if count > 10 * window { #expect(held.peak >= window) }
    }
}

/// The numbers `0..<count`, one by one (asked only under the delivery's lock).
private final class Produced: @unchecked Sendable {
    private let count: Int
    private var last = -1

    init(_ count: Int) {
        self.count = count
    }

    func next() -> Int? {
        guard last + 1 < count else { return nil }
        last += 1
        return last
    }
}

private final class HeldCounter: @unchecked Sendable {
    private let lock = ThreadLock()
    private var current = 0
    private var spins = 0
    private(set) var peak = 0

    func add(_ delta: Int) {
        lock.lock()
        current += delta
        peak = max(peak, current)
        lock.unlock()
    }

    func spin() {
        lock.lock()
        spins &+= 1
        lock.unlock()
    }
}
