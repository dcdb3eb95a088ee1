import Dispatch
import FoundationEssentials
import Glibc

/// A file that could not be read at all (it never reached the parser).
public struct UnreadableFile: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): cannot read: \(reason)" }
}

/// Reads and scans many manifest files, using every core, in the order the sources were given.
public struct ManifestSet: Sendable {
    public var files: [ScannedFile]
    public var unreadable: [UnreadableFile]

    public var workloads: [Workload] { files.flatMap(\.workloads) }
    public var findings: [Finding] { files.flatMap(\.findings) }

    /// `standardInput` is read once for a `-` source; tests pass bytes directly.
    public static func scan(_ sources: [ManifestSource], standardInput: @Sendable () -> [UInt8] = { readStandardInput() }) -> ManifestSet {
        var set = ManifestSet(files: [], unreadable: [])
        for result in process(sources, standardInput: standardInput, { _, file in file }) {
            switch result {
            case .success(let file): set.files.append(file)
            case .failure(let error): set.unreadable.append(error)
            }
        }
        return set
    }

    /// Reads, scans and hands each file to `body` on every core, returning what `body` keeps, in source
    /// order. Each file's tree is dropped as soon as `body` returns, so memory stays bounded by the
    /// number of cores rather than the size of the repository.
    public static func process<T: Sendable>(
        _ sources: [ManifestSource], detail: ManifestScanner.Detail = .full,
        standardInput: @Sendable () -> [UInt8] = { readStandardInput() },
        _ body: @Sendable (ManifestSource, ScannedFile) -> T
    ) -> [Result<T, UnreadableFile>] {
        let results = ResultSlots<Result<T, UnreadableFile>>(count: sources.count)
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            results.set(index, scanSource(sources[index], detail: detail, standardInput: standardInput, body))
        }
        return results.values
    }

    /// Finds the files under `paths` and processes them as `process(_:)` does, listing folders on
    /// the same workers that read and scan files, so no core waits for the walk to finish.
    /// Sources and results come in the order `ManifestFinder.find` gives; a folder that cannot be
    /// listed fails the whole call, as it does there.
    public static func process<T: Sendable>(
        finding paths: [String], with finder: ManifestFinder, detail: ManifestScanner.Detail = .full,
        standardInput: @Sendable () -> [UInt8] = { readStandardInput() },
        _ body: @Sendable (ManifestSource, ScannedFile) -> T
    ) throws(ManifestFinderError) -> (sources: [ManifestSource], results: [Result<T, UnreadableFile>]) {
        let work = WalkQueue<Result<T, UnreadableFile>>(try finder.roots(paths))
        walk(work, with: finder) { source in scanSource(source, detail: detail, standardInput: standardInput, body) }
        return try work.ordered()
    }

    /// Lists the folders of `work` with `finder` and turns each file into its result, on every core.
    static func walk<T: Sendable>(_ work: WalkQueue<T>, with finder: ManifestFinder, _ result: @Sendable (ManifestSource) -> T) {
        DispatchQueue.concurrentPerform(iterations: ProcessInfo.processInfo.activeProcessorCount) { _ in
            while let (root, entry) = work.next() {
                switch entry {
                case .folder(let location, let shown):
                    work.finish(root, listing: Result { () throws(ManifestFinderError) in try finder.contents(of: location, shown: shown) })
                case .file(let source):
                    work.finish(root, source: source, result: result(source))
                }
            }
        }
    }

    static func scanSource<T: Sendable>(
        _ source: ManifestSource, detail: ManifestScanner.Detail,
        standardInput: @Sendable () -> [UInt8], _ body: @Sendable (ManifestSource, ScannedFile) -> T
    ) -> Result<T, UnreadableFile> {
        if source.location == "-" {
            return .success(body(source, ManifestScanner.scan(path: source.displayPath, bytes: standardInput(), detail: detail)))
        }
        switch readFile(source.location) {
        case .success(let bytes): return .success(body(source, ManifestScanner.scan(path: source.displayPath, bytes: bytes, detail: detail)))
        case .failure(let reason): return .failure(UnreadableFile(path: source.displayPath, reason: reason.message))
        }
    }

    struct ReadFailure: Error { var message: String }

    /// A source file's bytes, read as a scan reads them; nil when it cannot be read (the scan
    /// reports that).
    public static func bytes(of source: ManifestSource) -> [UInt8]? {
        try? readFile(source.location).get()
    }

    /// Whole-file read with POSIX calls: a folder, a FIFO or a permission problem becomes a message.
    static func readFile(_ path: String) -> Result<[UInt8], ReadFailure> {
        // Non-blocking, so that a FIFO is refused below instead of waiting forever for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(ReadFailure(message: String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(ReadFailure(message: String(cString: strerror(errno)))) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(ReadFailure(message: "not a regular file")) }
        return DescriptorReader.readAll(descriptor, expectedSize: Int(info.st_size))
            .mapError { ReadFailure(message: String(cString: strerror($0.code))) }
    }

    public static func readStandardInput() -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += chunk[..<count]
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return bytes
            }
        }
    }
}

/// Fixed-size storage that concurrent workers fill, one slot each.
public final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    // Each index is written by exactly one worker and read only after all have finished;
    // the lock makes that hand-over explicit.
    private var slots: [Value?]
    private let lock = ThreadLock()

    public init(count: Int) { slots = Array(repeating: nil, count: count) }

    public func set(_ index: Int, _ value: Value) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    public var values: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
