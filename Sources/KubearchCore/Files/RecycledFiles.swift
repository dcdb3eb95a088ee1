/// Replaced files kept, under hidden temporary names, to hold the next new contents a batch writes.
///
/// A new content put in place by `RENAME_EXCHANGE` leaves the old file at the temporary name.
/// Writing the next file's content over it, rather than creating a file and later freeing the
/// replaced one, spares the file system an inode and its blocks allocated and freed per file: on
/// ext4 the allocation searches past inodes freed in the last minute, and a free waits for the
/// blocks' discard where the mount has `discard`. Measured on the bench disk (ext4, `discard`, no
/// journal): `fix` of 20,000 files, 9,426 replaced of which 8,768 went into reused files, took
/// 2.50 → 1.89 s and 2.0 → 1.1 s of system CPU (median of 3).
///
/// A replaced file may be overwritten only once the exchange that took its name is on disk: until
/// then a crash can leave the target naming it. So files come in as `pending` and become reusable
/// when the batch writer's next flush of their file system covers them. Thread-safe.
final class RecycledFiles: @unchecked Sendable {
    private let lock = ThreadLock()
    // Guarded by `lock`, keyed by file system (st_dev).
    private var pending: [UInt64: [String]] = [:]
    private var reusable: [UInt64: [String]] = [:]

    /// A replaced file on `device` that may be overwritten, if there is one.
    func take(on device: UInt64) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return reusable[device]?.popLast()
    }

    /// A file that a not yet flushed exchange left at `path`.
    func keep(_ path: String, on device: UInt64) {
        lock.lock()
        pending[device, default: []].append(path)
        lock.unlock()
    }

    /// Everything pending on `devices` is now on disk: those files may be overwritten.
    func flushed(_ devices: Set<UInt64>) {
        lock.lock()
        for device in devices {
            guard let files = pending.removeValue(forKey: device) else { continue }
            reusable[device, default: []] += files
        }
        lock.unlock()
    }

    /// Every kept file, pending or not, which the pool then forgets (to be removed).
    func takeAll() -> [String] {
        lock.lock()
        defer { lock.unlock() }
        let all = pending.values.flatMap { $0 } + reusable.values.flatMap { $0 }
        pending = [:]
        reusable = [:]
        return all
    }
}
