import CKubearchSystem
import Dispatch
import FoundationEssentials
import Glibc

/// Replaces many files, each atomically as `AtomicFileWriter.write` does, with the flushes to disk
/// shared by a batch: new contents are written beside their targets, one `syncfs` makes the whole
/// batch durable, the renames follow, and a second `syncfs` makes the renames durable. A crash at
/// any point leaves every file wholly old or wholly new (a staged file is never renamed before it is
/// on disk); what it can leave is hidden temporary files of the batch in flight.
///
/// Two fsyncs per file (content and folder) made `fix` of thousands of files wait on the disk far
/// longer than it computed; a batch costs two flushes however many files it holds.
///
/// Safe to call from many threads: each `write` stages its file; a full batch is committed on a
/// thread of its own while the callers go on (a flush mostly waits for the disk, and a worker that
/// waited for it left a core idle). At most `maximumQueuedBatches` wait, so memory stays bounded.
/// `finish()` waits for them and commits the rest.
public final class AtomicBatchWriter: @unchecked Sendable {
    /// A file that was staged but could not be put in place; all others were.
    public struct Failure: Error, Sendable, Equatable {
        public var path: String
        public var error: AtomicFileWriterError
    }

    private let batchSize: Int
    // Guarded by `lock`.
    private let lock = ThreadLock()
    private var staged: [AtomicFileWriter.StagedFile] = []
    private var failures: [Failure] = []
    /// One commit at a time, so the flush that covers a batch never races the next batch's renames.
    private let committer = DispatchQueue(label: "kubearch.atomic-batch-writer")
    private let committing = DispatchGroup()
    private static let maximumQueuedBatches = 4
    private let queueSlots = DispatchSemaphore(value: maximumQueuedBatches)

    public init(batchSize: Int = 256) {
        self.batchSize = max(1, batchSize)
    }

    /// Stages `bytes` for `path` (see `AtomicFileWriter.write` for `expectedOriginal`, links and
    /// modes). Errors found now are thrown; a failure while committing later is reported by
    /// `finish()`. Returns `.unchanged` when the file already holds `bytes`.
    @discardableResult
    public func write(_ bytes: [UInt8], to path: String, expectedOriginal: [UInt8]?) throws(AtomicFileWriterError) -> AtomicWriteResult {
        guard let file = try AtomicFileWriter.stage(bytes, to: path, expectedOriginal: expectedOriginal, flush: false) else { return .unchanged }
        lock.lock()
        staged.append(file)
        var batch: [AtomicFileWriter.StagedFile] = []
        if staged.count >= batchSize { swap(&batch, &staged) }
        lock.unlock()
        if !batch.isEmpty {
            let full = batch
            queueSlots.wait()
            committer.async(group: committing) {
                self.commit(full)
                self.queueSlots.signal()
            }
        }
        return .written
    }

    /// Commits what is still staged and returns every file that could not be put in place.
    public func finish() -> [Failure] {
        lock.lock()
        var batch: [AtomicFileWriter.StagedFile] = []
        swap(&batch, &staged)
        lock.unlock()
        committing.wait()
        let rest = batch
        if !rest.isEmpty { committer.sync { commit(rest) } }
        lock.lock()
        defer { lock.unlock() }
        return failures
    }

    /// Runs on `committer` only.
    private func commit(_ batch: [AtomicFileWriter.StagedFile]) {
        var lost: [Failure] = []
        // Contents first: if the flush fails, no file of the batch is replaced.
        if let problem = Self.flush(batch.map { ($0.device, $0.temporary) }) {
            for file in batch {
                unlink(file.temporary)
                lost.append(Failure(path: file.path, error: .failed(path: file.path, operation: "flush to disk", code: problem)))
            }
        } else {
            var renamed: [(UInt64, String)] = []
            for file in batch {
                do throws(AtomicFileWriterError) {
                    try AtomicFileWriter.commit(file)
                    renamed.append((file.device, file.folder))
                } catch {
                    lost.append(Failure(path: file.path, error: error))
                }
            }
            // The renames themselves; best effort, as for one file (the new contents are in place).
            _ = Self.flush(renamed)
        }
        guard !lost.isEmpty else { return }
        lock.lock()
        failures += lost
        lock.unlock()
    }

    /// `syncfs` once per file system, through one path on each; the errno of the first failure, or nil.
    private static func flush(_ paths: [(device: UInt64, path: String)]) -> Int32? {
        var flushed: Set<UInt64> = []
        for (device, path) in paths where flushed.insert(device).inserted {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return errno }
            defer { close(descriptor) }
            if kubearch_syncfs(descriptor) != 0 { return errno }
        }
        return nil
    }
}
