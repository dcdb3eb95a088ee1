import Foundation
import Testing
@testable import KubearchCore

/// A fresh folder under the system's temporary folder, removed when the value is dropped.
final class ConfigScratchFolder {
    let root: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("kubearch-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        // Resolve /tmp links so paths compare equal to what the code computes.
        root = (base.path as NSString).resolvingSymlinksInPath
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ relative: String) -> String { root + "/" + relative }

    func makeFolder(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    func writeFile(_ relative: String, _ text: String, mode: mode_t? = nil) throws {
        let full = path(relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        if let mode { chmod(full, mode) }
    }

    func read(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path(relative))), as: UTF8.self)
    }

    func names(in relative: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: relative.isEmpty ? root : path(relative)).sorted()
    }

    func status(_ relative: String) -> stat {
        var info = stat()
        lstat(path(relative), &info)
        return info
    }
}

@Suite("Atomic file writer")
struct AtomicFileWriterTests {
    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }

    @Test func createsANewFileWithTheDefaultModeMinusUmask() throws {
        let scratch = try ConfigScratchFolder()
        let result = try AtomicFileWriter.write(Self.bytes("new\n"), to: scratch.path("new.yaml"), expectedOriginal: nil)
        #expect(result == .written)
        #expect(try scratch.read("new.yaml") == "new\n")
        #expect(scratch.status("new.yaml").st_mode & 0o7777 == 0o644 & ~Self.currentUmask())
        #expect(try scratch.names() == ["new.yaml"])
    }

    @Test(arguments: [mode_t(0o600), 0o640, 0o755, 0o444])
    func replacesContentAndKeepsTheMode(mode: mode_t) throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("deploy.yaml", "old\n", mode: mode)
        let result = try AtomicFileWriter.write(Self.bytes("new\n"), to: scratch.path("deploy.yaml"), expectedOriginal: Self.bytes("old\n"))
        #expect(result == .written)
        #expect(try scratch.read("deploy.yaml") == "new\n")
        #expect(scratch.status("deploy.yaml").st_mode & 0o7777 == mode)
        #expect(try scratch.names() == ["deploy.yaml"])
    }

    @Test func identicalContentLeavesTheFileAndItsMtimeAlone() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("same.yaml", "same\n")
        // An mtime far in the past: any rewrite would move it to now.
        var times = [timeval(tv_sec: 1_000_000_000, tv_usec: 0), timeval(tv_sec: 1_000_000_000, tv_usec: 0)]
        #expect(utimes(scratch.path("same.yaml"), &times) == 0)
        let inode = scratch.status("same.yaml").st_ino
        let result = try AtomicFileWriter.write(Self.bytes("same\n"), to: scratch.path("same.yaml"), expectedOriginal: Self.bytes("same\n"))
        #expect(result == .unchanged)
        #expect(scratch.status("same.yaml").st_mtim.tv_sec == 1_000_000_000)
        #expect(scratch.status("same.yaml").st_ino == inode)
    }

    @Test func writtenFileIsANewInodeWithANewMtime() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("f.yaml", "a\n")
        var times = [timeval(tv_sec: 1_000_000_000, tv_usec: 0), timeval(tv_sec: 1_000_000_000, tv_usec: 0)]
        #expect(utimes(scratch.path("f.yaml"), &times) == 0)
        try AtomicFileWriter.write(Self.bytes("b\n"), to: scratch.path("f.yaml"), expectedOriginal: nil)
        #expect(scratch.status("f.yaml").st_mtim.tv_sec > 1_000_000_000)
    }

    @Test func aFileChangedOnDiskIsNotOverwritten() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("deploy.yaml", "edited by someone else\n")
        #expect(throws: AtomicFileWriterError.changedOnDisk(scratch.path("deploy.yaml"))) {
            try AtomicFileWriter.write(Self.bytes("fixed\n"), to: scratch.path("deploy.yaml"), expectedOriginal: Self.bytes("as read\n"))
        }
        #expect(try scratch.read("deploy.yaml") == "edited by someone else\n")
        #expect(try scratch.names() == ["deploy.yaml"])
    }

    @Test func aFileDeletedSinceReadingIsNotRecreated() throws {
        let scratch = try ConfigScratchFolder()
        #expect(throws: AtomicFileWriterError.changedOnDisk(scratch.path("gone.yaml"))) {
            try AtomicFileWriter.write(Self.bytes("fixed\n"), to: scratch.path("gone.yaml"), expectedOriginal: Self.bytes("as read\n"))
        }
        #expect(try scratch.names().isEmpty)
    }

    @Test func aFailingRenameLeavesTheTargetAndNoTemporaryFile() throws {
        // A non-empty folder where the file should go: every step succeeds up to the rename.
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("target.yaml/keep.txt", "keep\n")
        let error = #expect(throws: AtomicFileWriterError.self) {
            try AtomicFileWriter.write(Self.bytes("new\n"), to: scratch.path("target.yaml"), expectedOriginal: nil)
        }
        guard case .failed(let path, let operation, let code)? = error else {
            Issue.record("expected a failed rename, got \(String(describing: error))")
            return
        }
        #expect(path == scratch.path("target.yaml"))
        #expect(operation == "replace the file")
        #expect(code == EISDIR || code == ENOTEMPTY || code == EEXIST)
        #expect(try scratch.names() == ["target.yaml"])
        #expect(try scratch.names(in: "target.yaml") == ["keep.txt"])
        #expect(try scratch.read("target.yaml/keep.txt") == "keep\n")
        #expect(error?.description.hasPrefix("\(scratch.path("target.yaml")): cannot replace the file: ") == true)
    }

    @Test func aMissingFolderFailsBeforeCreatingAnything() throws {
        let scratch = try ConfigScratchFolder()
        let target = scratch.path("missing/deploy.yaml")
        let error = #expect(throws: AtomicFileWriterError.self) {
            try AtomicFileWriter.write(Self.bytes("x"), to: target, expectedOriginal: nil)
        }
        #expect(error == .failed(path: target, operation: "create a temporary file in \(scratch.path("missing"))", code: ENOENT))
        #expect(try scratch.names().isEmpty)
    }

    @Test func aSymbolicLinkIsWrittenThroughAndStaysALink() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("real/deploy.yaml", "old\n", mode: 0o640)
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link.yaml"), withDestinationPath: "real/deploy.yaml")
        let result = try AtomicFileWriter.write(Self.bytes("new\n"), to: scratch.path("link.yaml"), expectedOriginal: Self.bytes("old\n"))
        #expect(result == .written)
        #expect(scratch.status("link.yaml").st_mode & S_IFMT == S_IFLNK)
        #expect(try scratch.read("real/deploy.yaml") == "new\n")
        #expect(scratch.status("real/deploy.yaml").st_mode & 0o7777 == 0o640)
        #expect(try scratch.names(in: "real") == ["deploy.yaml"])
    }

    @Test func emptyAndLargeContent() throws {
        let scratch = try ConfigScratchFolder()
        let large = [UInt8]((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try AtomicFileWriter.write(large, to: scratch.path("big.bin"), expectedOriginal: nil)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: scratch.path("big.bin")))) == large)
        #expect(try AtomicFileWriter.write([], to: scratch.path("big.bin"), expectedOriginal: large) == .written)
        #expect(try scratch.read("big.bin") == "")
        #expect(try AtomicFileWriter.write([], to: scratch.path("big.bin"), expectedOriginal: []) == .unchanged)
    }

    @Test func dotSegmentsInThePath() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.makeFolder("sub")
        try AtomicFileWriter.write(Self.bytes("x\n"), to: scratch.path("sub/../rel.yaml"), expectedOriginal: nil)
        #expect(try scratch.read("rel.yaml") == "x\n")
        #expect(try scratch.names() == ["rel.yaml", "sub"])
    }
}
