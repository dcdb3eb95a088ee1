import CKubearchSystem
import Glibc

/// Bytes appended now and read back once, in order, later, kept in a file with no name rather than
/// on the heap (for output that must wait for the end of a run but can be large). Without a usable
/// temporary folder, or after a failed write, they stay in memory; nothing appended is lost.
/// Used by one thread at a time.
public final class SpillBuffer: @unchecked Sendable {
    private let pieceSize: Int
    private var pending: [UInt8] = []
    private var inMemory: [[UInt8]] = []
    private var descriptor: Int32
    /// Bytes in the file, all written in full.
    private var fileSize = 0

    /// `folder` defaults to `$TMPDIR`, else `/tmp`.
    public init(folder: String? = nil, pieceSize: Int = 1 << 16) {
        self.pieceSize = max(1, pieceSize)
        let folder = folder ?? getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        descriptor = kubearch_open_unnamed_file(folder)
        pending.reserveCapacity(self.pieceSize)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether the bytes go to a file (false: they are kept in memory).
    public var isInFile: Bool { descriptor >= 0 }

    public func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        pending.append(contentsOf: bytes)
        if pending.count >= pieceSize { spill() }
    }

    /// Everything appended, in order, in pieces cut anywhere; each piece is valid only during
    /// `body` (read into one buffer, not copied into arrays: 20 MB of JSON rows at a report's end).
    public func forEachPiece(_ body: (UnsafeRawBufferPointer) -> Void) {
        if descriptor >= 0 { readFile(body) }
        for piece in inMemory { piece.withUnsafeBytes(body) }
        if !pending.isEmpty { pending.withUnsafeBytes(body) }
    }

    private func spill() {
        if descriptor >= 0 {
            if write(pending) {
                pending.removeAll(keepingCapacity: true)
                return
            }
            // The file's whole writes move to memory, and the rest goes on there.
            var written: [[UInt8]] = []
            readFile { written.append(Array($0)) }
            close(descriptor)
            descriptor = -1
            inMemory = written
        }
        inMemory.append(pending)
        pending = []
        pending.reserveCapacity(pieceSize)
    }

    /// Appends `bytes` to the file in full, or leaves `fileSize` where it was.
    private func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress.map { $0 + offset }, $0.count - offset, off_t(fileSize + offset)) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        fileSize += bytes.count
        return true
    }

    private func readFile(_ body: (UnsafeRawBufferPointer) -> Void) {
        var offset = 0
        var piece = [UInt8](repeating: 0, count: 4 * pieceSize)
        while offset < fileSize {
            let wanted = min(piece.count, fileSize - offset)
            let read = piece.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
            if read < 0, errno == EINTR { continue }
            guard read > 0 else { break }
            offset += read
            piece.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[..<read])) }
        }
    }
}
