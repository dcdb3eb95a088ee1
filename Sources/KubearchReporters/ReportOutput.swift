/// The bytes a reporter writes, handed on in chunks as they fill up.
///
/// A 20,000-workload JSON report is about 30 MB: written whole it was a string, then a copy of its
/// bytes, at the peak of the run. Drained every `chunkSize` bytes it never holds more than a chunk.
/// Without a drain everything stays in `bytes` (for `render` and tests).
public struct ReportOutput {
    public static let chunkSize = 1 << 16

    public private(set) var bytes: [UInt8] = []
    private let drain: ((UnsafeRawBufferPointer) -> Void)?

    /// Keeps everything written.
    public init() {
        drain = nil
    }

    /// Keeps everything written, in room for about `capacity` bytes from the start (a buffer that
    /// grows by doubling holds up to twice what it needs, and copies on the way).
    public init(reservingCapacity capacity: Int) {
        drain = nil
        bytes.reserveCapacity(capacity)
    }

    /// Passes the bytes written to `drain` whenever a chunk is full, and the rest on `finish()`.
    public init(drain: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.drain = drain
        bytes.reserveCapacity(Self.chunkSize + 4096)
    }

    public mutating func write(_ text: String) {
        var text = text
        // Native strings are contiguous UTF-8: appended without transcoding.
        text.withUTF8 { bytes.append(contentsOf: $0) }
        drainIfFull()
    }

    public mutating func write(_ bytes: [UInt8]) {
        self.bytes.append(contentsOf: bytes)
        drainIfFull()
    }

    public mutating func write(_ byte: UInt8) {
        bytes.append(byte)
    }

    public mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes.append(contentsOf: bytes)
        drainIfFull()
    }

    /// Decimal digits, without making a String (reports write a line number or two per entry).
    public mutating func write(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes[start...].reverse()
    }

    /// The text written so far (only meaningful without a drain).
    public var text: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Hands on whatever is still buffered.
    public mutating func finish() {
        guard let drain, !bytes.isEmpty else { return }
        bytes.withUnsafeBytes(drain)
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func drainIfFull() {
        if drain != nil, bytes.count >= Self.chunkSize { finish() }
    }
}
