import Foundation
import Testing
@testable import KubearchCore

/// Replaced files reused for the next staged file (`RecycledFiles`, `AtomicFileWriter.stage(recycling:)`),
/// driven one step at a time so that each test knows which file may be reused when.
// Glibc's module map leaves out <sys/xattr.h>; these are the C functions themselves.
@_silgen_name("setxattr")
private func setAttribute(_ path: UnsafePointer<CChar>, _ name: UnsafePointer<CChar>, _ value: UnsafeRawPointer, _ size: Int, _ flags: Int32) -> Int32
@_silgen_name("getxattr")
private func getAttribute(_ path: UnsafePointer<CChar>, _ name: UnsafePointer<CChar>, _ value: UnsafeMutableRawPointer?, _ size: Int) -> Int

@Suite("Recycled replaced files")
struct RecycledFilesTests {
    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Stages and commits `new` over `name` (which holds `old`) with `pool`; the file's inode before.
    @discardableResult
    private static func replace(_ name: String, _ old: String, with new: String, in scratch: ConfigScratchFolder, pool: RecycledFiles) throws -> ino_t {
        let before = scratch.status(name).st_ino
        let staged = try #require(try AtomicFileWriter.stage(bytes(new), to: scratch.path(name), expectedOriginal: bytes(old), flush: false, recycling: pool))
        #expect(staged.exchanges)
        try AtomicFileWriter.commit(staged, recycling: pool)
        #expect(try scratch.read(name) == new)
        return before
    }

    private static func device(_ scratch: ConfigScratchFolder) -> UInt64 { UInt64(scratch.status(".").st_dev) }

    @Test func aReplacedFileHoldsTheNextFileOnceItsExchangeIsFlushed() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("a.yaml", "old a: a longer text than what b gets\n", mode: 0o640)
        try scratch.writeFile("b.yaml", "old b\n", mode: 0o600)
        let pool = RecycledFiles()
        let inodeOfA = try Self.replace("a.yaml", "old a: a longer text than what b gets\n", with: "new a\n", in: scratch, pool: pool)
        pool.flushed([Self.device(scratch)])
        try Self.replace("b.yaml", "old b\n", with: "new b\n", in: scratch, pool: pool)
        // b now lives in a's old inode, cut to its new length and with b's mode.
        #expect(scratch.status("b.yaml").st_ino == inodeOfA)
        #expect(try scratch.read("b.yaml") == "new b\n")
        #expect(scratch.status("b.yaml").st_mode & 0o7777 == 0o600)
        #expect(scratch.status("a.yaml").st_mode & 0o7777 == 0o640)
        // b's old file waits, under the hidden name the reused file had, until the writer removes it.
        let kept = pool.takeAll()
        #expect(kept.count == 1)
        #expect(try String(contentsOfFile: try #require(kept.first), encoding: .utf8) == "old b\n")
        for file in kept { unlink(file) }
        #expect(try scratch.names() == ["a.yaml", "b.yaml"])
    }

    /// The reused file is written where it is and exchanged into the other folder: one rename, not two.
    @Test func aReplacedFileFromAnotherFolderIsReusedWhereItIs() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("a/x.yaml", "old x\n")
        try scratch.writeFile("b/y.yaml", "old y\n")
        let pool = RecycledFiles()
        let inodeOfX = try Self.replace("a/x.yaml", "old x\n", with: "new x\n", in: scratch, pool: pool)
        pool.flushed([Self.device(scratch)])
        try Self.replace("b/y.yaml", "old y\n", with: "new y\n", in: scratch, pool: pool)
        #expect(scratch.status("b/y.yaml").st_ino == inodeOfX)
        #expect(try scratch.names(in: "b") == ["y.yaml"])
        // y's old content now waits in folder a, under the name x's old file had.
        let kept = try #require(pool.takeAll().first)
        #expect(kept.hasPrefix(scratch.path("a/.x.yaml.kubearch-")))
        #expect(try String(contentsOfFile: kept, encoding: .utf8) == "old y\n")
        unlink(kept)
        #expect(try scratch.names(in: "a") == ["x.yaml"])
    }

    /// Where the file system will not exchange across the two folders (another mount of it, another
    /// project quota: EXDEV, refused here by the test), the content goes to a new file beside the target.
    @Test func aFolderTheReusedFileCannotGoToGetsANewFile() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("a/x.yaml", "old x\n")
        try scratch.writeFile("b/y.yaml", "old y\n", mode: 0o640)
        let pool = RecycledFiles()
        try Self.replace("a/x.yaml", "old x\n", with: "new x\n", in: scratch, pool: pool)
        pool.flushed([Self.device(scratch)])
        let staged = try #require(try AtomicFileWriter.stage(
            Self.bytes("new y\n"), to: scratch.path("b/y.yaml"), expectedOriginal: Self.bytes("old y\n"), flush: false, recycling: pool))
        #expect(staged.temporary.hasPrefix(scratch.path("a/")))
        try AtomicFileWriter.commit(staged, recycling: pool) { _, _ in
            errno = EXDEV
            return -1
        }
        #expect(try scratch.read("b/y.yaml") == "new y\n")
        #expect(scratch.status("b/y.yaml").st_mode & 0o7777 == 0o640)
        // The reused file is gone, and the pool offers no more on that file system.
        #expect(try scratch.names(in: "a") == ["x.yaml"])
        #expect(try scratch.names(in: "b") == ["y.yaml"])
        pool.keep(scratch.path("a/x.yaml"), size: 6, on: Self.device(scratch))
        pool.flushed([Self.device(scratch)])
        #expect(pool.take(on: Self.device(scratch), fitting: 6) == nil)
        #expect(pool.takeAll().count == 1)
    }

    @Test func aFileNoLongerThanTheNewContentIsTakenFirst() {
        // Then the new content covers it and no truncation is needed.
        let pool = RecycledFiles()
        for (name, size) in [("a", 900), ("b", 400), ("c", 2_000)] { pool.keep(name, size: size, on: 7) }
        #expect(pool.take(on: 7, fitting: 500) == nil)  // not flushed yet
        pool.flushed([8])
        #expect(pool.take(on: 7, fitting: 500) == nil)  // another file system's flush
        pool.flushed([7])
        #expect(pool.take(on: 8, fitting: 500) == nil)
        #expect(pool.take(on: 7, fitting: 500) == "b")
        #expect(pool.take(on: 7, fitting: 1_000) == "a")
        #expect(pool.take(on: 7, fitting: 10) == "c")  // none fits: any will do
        #expect(pool.take(on: 7, fitting: 10) == nil)
    }

    @Test func aReplacedFileIsNotOverwrittenBeforeAFlushCoversItsExchange() throws {
        // Until then a crash may leave a.yaml naming the old file: writing b into it could land in a.
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("a.yaml", "old a\n")
        try scratch.writeFile("b.yaml", "old b\n")
        let pool = RecycledFiles()
        let inodeOfA = try Self.replace("a.yaml", "old a\n", with: "new a\n", in: scratch, pool: pool)
        try Self.replace("b.yaml", "old b\n", with: "new b\n", in: scratch, pool: pool)
        #expect(scratch.status("b.yaml").st_ino != inodeOfA)
        let kept = pool.takeAll()
        #expect(try Set(kept.map { try String(contentsOfFile: $0, encoding: .utf8) }) == ["old a\n", "old b\n"])
        for file in kept { unlink(file) }
    }

    @Test func aReplacedFileWithAnotherLinkIsRemovedNotReused() throws {
        // Its other name still shows the old text; writing into it would change that file too.
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("a.yaml", "old a\n")
        try scratch.writeFile("b.yaml", "old b\n")
        #expect(link(scratch.path("a.yaml"), scratch.path("other-name.yaml")) == 0)
        let pool = RecycledFiles()
        let inodeOfA = try Self.replace("a.yaml", "old a\n", with: "new a\n", in: scratch, pool: pool)
        pool.flushed([Self.device(scratch)])
        try Self.replace("b.yaml", "old b\n", with: "new b\n", in: scratch, pool: pool)
        #expect(scratch.status("b.yaml").st_ino != inodeOfA)
        #expect(try scratch.read("other-name.yaml") == "old a\n")
        #expect(scratch.status("other-name.yaml").st_nlink == 1)  // the kept name was removed
        for file in pool.takeAll() { unlink(file) }
        #expect(try scratch.names() == ["a.yaml", "b.yaml", "other-name.yaml"])
    }

    @Test func aReplacedFileWithExtendedAttributesIsRemovedNotReused() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("a.yaml", "old a\n")
        try scratch.writeFile("b.yaml", "old b\n")
        let value = Self.bytes("a's label")
        guard setAttribute(scratch.path("a.yaml"), "user.kubearch-test", value, value.count, 0) == 0 else {
            // The scratch folder's file system keeps no user attributes: nothing to carry over there.
            #expect(errno == ENOTSUP)
            return
        }
        #expect(getAttribute(scratch.path("a.yaml"), "user.kubearch-test", nil, 0) == value.count)
        let pool = RecycledFiles()
        try Self.replace("a.yaml", "old a\n", with: "new a\n", in: scratch, pool: pool)
        pool.flushed([Self.device(scratch)])
        try Self.replace("b.yaml", "old b\n", with: "new b\n", in: scratch, pool: pool)
        // (The inode number says nothing here: the removed file's number may be given to b's new file.)
        #expect(getAttribute(scratch.path("b.yaml"), "user.kubearch-test", nil, 0) < 0)
        for file in pool.takeAll() { unlink(file) }
        #expect(try scratch.names() == ["a.yaml", "b.yaml"])
    }

    /// What `AtomicBatchWriter.commitStaged` removes before the end: only files a flush covered.
    @Test func takingTheReusableFilesLeavesThePendingOnes() throws {
        let scratch = try ConfigScratchFolder()
        for name in ["a", "b", "c"] { try scratch.writeFile("\(name).yaml", "old \(name)\n") }
        let pool = RecycledFiles()
        try Self.replace("a.yaml", "old a\n", with: "new a\n", in: scratch, pool: pool)
        try Self.replace("b.yaml", "old b\n", with: "new b\n", in: scratch, pool: pool)
        pool.flushed([Self.device(scratch)])
        // c takes one of a's and b's old files; c's own old file is pending (no flush since).
        try Self.replace("c.yaml", "old c\n", with: "new c\n", in: scratch, pool: pool)
        let reusable = pool.takeReusable()
        #expect(reusable.count == 1)
        #expect(pool.takeReusable().isEmpty)
        let pending = pool.takeAll()
        #expect(pending.count == 1)
        #expect(try String(contentsOfFile: try #require(pending.first), encoding: .utf8) == "old c\n")
        #expect(Set(reusable + pending).count == 2)
        for file in reusable + pending { #expect(unlink(file) == 0) }
        #expect(try scratch.names() == ["a.yaml", "b.yaml", "c.yaml"])
    }

    @Test func aFileWithoutAnExpectedOriginalIsRenamedAsBefore() throws {
        // No check just before the exchange that the target is a regular file: a rename it is.
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("a.yaml", "old a\n")
        let pool = RecycledFiles()
        let staged = try #require(try AtomicFileWriter.stage(Self.bytes("new a\n"), to: scratch.path("a.yaml"), expectedOriginal: nil, flush: false, recycling: pool))
        #expect(!staged.exchanges)
        try AtomicFileWriter.commit(staged, recycling: pool)
        #expect(try scratch.read("a.yaml") == "new a\n")
        #expect(pool.takeAll().isEmpty)
        #expect(try scratch.names() == ["a.yaml"])
    }
}
