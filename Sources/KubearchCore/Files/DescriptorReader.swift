import FoundationEssentials
import Glibc

/// Reads an open file to its end in as few `read` calls as possible.
enum DescriptorReader {
    /// A failed `read`, with its errno.
    struct Failure: Error { var code: Int32 }

    /// The bytes from `descriptor`'s position to the end, or the failed read.
    /// `expectedSize` (from fstat) sizes the buffer; one spare byte sees the end of a file whose
    /// size is right without growing. Growth appends a whole array (a memcpy): appending a
    /// `repeatElement` goes element by element through generic code, which took seconds per
    /// megabyte. No scratch buffer: freeing a 64 KiB one per file made glibc consolidate its heap.
    static func readAll(_ descriptor: Int32, expectedSize: Int) -> Result<[UInt8], Failure> {
        var bytes = [UInt8](repeating: 0, count: max(0, expectedSize) + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes += [UInt8](repeating: 0, count: max(4096, bytes.count)) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(code: errno))
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return .success(bytes)
    }
}
