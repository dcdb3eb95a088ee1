/// The bytes a reporter writes, handed on in chunks as they fill up.
///
/// A 20,000-workload JSON report is about 30 MB: written whole it was a string, then a copy of its
/// bytes, at the peak of the run. Drained every `chunkSize` bytes it never holds more than a chunk.
/// Without a drain everything stays (`bytes`, `text`; for `render`, rows rendered apart and tests).
///
/// Reports are written a few bytes at a time (a key, a quote, a line's indentation), so the bytes
/// live in storage written through a pointer: `Array.append(contentsOf:)` cost about 90
/// instructions a call before it copied anything, most of a JSON report's writing.
public struct ReportOutput {
    public static let chunkSize = 1 << 16

    private var storage: Storage
    private let drain: ((UnsafeRawBufferPointer) -> Void)?

    /// Keeps everything written.
    public init() {
        self.init(reservingCapacity: 256)
    }

    /// Keeps everything written, in room for about `capacity` bytes from the start (storage that
    /// grows by doubling holds up to twice what it needs, and copies on the way).
    public init(reservingCapacity capacity: Int) {
        storage = Storage(capacity: capacity)
        drain = nil
    }

    /// Passes the bytes written to `drain` whenever a chunk is full, and the rest on `finish()`.
    public init(drain: @escaping (UnsafeRawBufferPointer) -> Void) {
        storage = Storage(capacity: Self.chunkSize + 4096)
        self.drain = drain
    }

    /// Everything written and not yet drained.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// The text written so far (only meaningful without a drain).
    public var text: String {
        withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: storage.base, count: storage.count))
    }

    public mutating func write(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ write($0) }) == nil {
            var native = text
            native.withUTF8 { write($0) }
        }
    }

    public mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { write($0) }
    }

    /// A piece of a chunk or more goes to the drain as it is, after what is buffered (rows read
    /// back at a report's end were copied twice on their way out).
    public mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if let drain, bytes.count >= Self.chunkSize {
            finish()
            drain(UnsafeRawBufferPointer(bytes))
            return
        }
        write(reserving: bytes.count) { target in
            target.update(from: source, count: bytes.count)
            return bytes.count
        }
    }

    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        write(bytes.assumingMemoryBound(to: UInt8.self))
    }

    public mutating func write(_ byte: UInt8) {
        write(reserving: 1) { target in
            target.pointee = byte
            return 1
        }
    }

    /// Decimal digits, without making a String (reports write a line number or two per entry).
    public mutating func write(_ value: Int) {
        write(reserving: 20) { target in
            var rest = value.magnitude
            var count = 0
            if value < 0 {
                target[0] = UInt8(ascii: "-")
                count = 1
            }
            let start = count
            repeat {
                target[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            var digits = UnsafeMutableBufferPointer(start: target + start, count: count - start)
            digits.reverse()
            return count
        }
    }

    /// Room for `count` more bytes: `body` writes at most that many at the pointer and returns how
    /// many it wrote (0 leaves the output as it was).
    mutating func write(reserving count: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy(adding: count) }
        if storage.count + count > storage.capacity { storage.grow(toHold: count) }
        storage.count += body(storage.base + storage.count)
        if drain != nil, storage.count >= Self.chunkSize { finish() }
    }

    /// Hands on whatever is still buffered.
    public mutating func finish() {
        guard let drain, storage.count > 0 else { return }
        withUnsafeBytes(drain)
        storage.count = 0
    }

    /// The bytes, owned by one output at a time (copied when a copy of the output writes).
    private final class Storage {
        private(set) var base: UnsafeMutablePointer<UInt8>
        var count = 0
        private(set) var capacity: Int

        init(capacity: Int) {
            self.capacity = max(16, capacity)
            base = .allocate(capacity: self.capacity)
        }

        deinit {
            base.deallocate()
        }

        func grow(toHold more: Int) {
            capacity = max(2 * capacity, count + more)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: base, count: count)
            base.deallocate()
            base = grown
        }

        func copy(adding more: Int) -> Storage {
            let copy = Storage(capacity: count + max(more, 256))
            copy.base.update(from: base, count: count)
            copy.count = count
            return copy
        }
    }
}
