/// Mapping keys whose values a lean parse consumes without building nodes, prepared once: a scan
/// parses thousands of files with the same set.
public struct YAMLSkipSet: Sendable {
    public let keys: Set<String>
    /// For each key length below 64, a bit per first byte (mod 64) of the keys of that length: most
    /// keys are ruled out by this before `keys` hashes them.
    private let shapes: [UInt64]

    public init(_ keys: Set<String>) {
        self.keys = keys
        var shapes = [UInt64](repeating: 0, count: 64)
        for key in keys {
            guard let first = key.utf8.first else { continue }
            // Keys of 64 bytes or more are never ruled out (bucket 63 stands for all of them).
            shapes[min(key.utf8.count, 63)] |= 1 << (first & 63)
        }
        self.shapes = shapes
    }

    public var isEmpty: Bool { keys.isEmpty }

    /// As `contains(_:)` for a key's UTF-8 bytes; most keys are ruled out without making a string.
    func contains(bytes key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = key.first else { return keys.contains("") }
        guard shapes[min(key.count, 63)] & (1 << (first & 63)) != 0 else { return false }
        return keys.contains(String(decoding: key, as: UTF8.self))
    }

    public func contains(_ key: String) -> Bool {
        guard let first = key.utf8.first else { return keys.contains(key) }
        return shapes[min(key.utf8.count, 63)] & (1 << (first & 63)) != 0 && keys.contains(key)
    }
}
