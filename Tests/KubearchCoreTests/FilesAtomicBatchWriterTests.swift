import Foundation
import Testing
@testable import KubearchCore

@Suite("Atomic batch writer")
struct AtomicBatchWriterTests {
    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func manyFilesFromManyThreadsAllLandWithoutLeftovers() throws {
        let scratch = try ConfigScratchFolder()
        let count = 600
        for index in 0..<count { try scratch.writeFile("apps/f\(index).yaml", "old \(index)\n", mode: index % 2 == 0 ? 0o600 : 0o640) }
        let writer = AtomicBatchWriter(batchSize: 64)
        let results = ResultSlots<AtomicWriteResult?>(count: count)  // nil: the write threw
        let root = scratch.path("apps")
        DispatchQueue.concurrentPerform(iterations: count) { index in
            // Every fifth file is written with what it already holds.
            let new = index % 5 == 0 ? "old \(index)\n" : "new \(index)\n"
            results.set(index, try? writer.write(Self.bytes(new), to: "\(root)/f\(index).yaml", expectedOriginal: Self.bytes("old \(index)\n")))
        }
        #expect(writer.finish().isEmpty)
        for (index, result) in results.values.enumerated() {
            #expect(result == (index % 5 == 0 ? .unchanged : .written))
            #expect(try scratch.read("apps/f\(index).yaml") == (index % 5 == 0 ? "old \(index)\n" : "new \(index)\n"))
            #expect(scratch.status("apps/f\(index).yaml").st_mode & 0o777 == (index % 2 == 0 ? 0o600 : 0o640))
        }
        #expect(try scratch.names(in: "apps").count == count)  // no temporary file left
    }

    @Test func moreFilesThanMayWaitAllLandWhileCommitsRun() throws {
        // Batches of 2 and at most 32 files waiting: callers outrun the commits and must wait for room.
        let scratch = try ConfigScratchFolder()
        let count = 300
        for index in 0..<count { try scratch.writeFile("many/f\(index).yaml", "old \(index)\n") }
        let writer = AtomicBatchWriter(batchSize: 2)
        let root = scratch.path("many")
        DispatchQueue.concurrentPerform(iterations: count) { index in
            _ = try? writer.write(Self.bytes("new \(index)\n"), to: "\(root)/f\(index).yaml", expectedOriginal: Self.bytes("old \(index)\n"))
        }
        #expect(writer.finish().isEmpty)
        for index in 0..<count { #expect(try scratch.read("many/f\(index).yaml") == "new \(index)\n") }
        #expect(try scratch.names(in: "many").count == count)
    }

    @Test(.timeLimit(.minutes(1))) func stagedFilesAreCommittedWhenAskedWithoutWaitingForAFullBatch() async throws {
        let scratch = try ConfigScratchFolder()
        for index in 0..<3 { try scratch.writeFile("few/f\(index).yaml", "old \(index)\n") }
        let writer = AtomicBatchWriter(batchSize: 64)
        for index in 0..<3 {
            try writer.write(Self.bytes("new \(index)\n"), to: scratch.path("few/f\(index).yaml"), expectedOriginal: Self.bytes("old \(index)\n"))
        }
        // Three of 64: nothing is committed until asked.
        #expect(try scratch.read("few/f0.yaml") == "old 0\n")
        writer.commitStaged()
        while try (0..<3).contains(where: { try scratch.read("few/f\($0).yaml") != "new \($0)\n" }) {
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        // A file staged afterwards is committed by `finish()`, which also removes every replaced file.
        try scratch.writeFile("few/late.yaml", "old late\n")
        try writer.write(Self.bytes("new late\n"), to: scratch.path("few/late.yaml"), expectedOriginal: Self.bytes("old late\n"))
        #expect(writer.finish().isEmpty)
        #expect(try scratch.read("few/late.yaml") == "new late\n")
        #expect(try scratch.names(in: "few").count == 4)
    }

    @Test func aHardLinkedFileIsReplacedAndItsOtherNameKeepsTheOldText() throws {
        // As `rename` over a path always did: the path gets a new inode, the other link is not written through.
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("a.yaml", "old\n")
        #expect(link(scratch.path("a.yaml"), scratch.path("other-name.yaml")) == 0)
        let writer = AtomicBatchWriter(batchSize: 1)
        try writer.write(Self.bytes("new\n"), to: scratch.path("a.yaml"), expectedOriginal: Self.bytes("old\n"))
        #expect(writer.finish().isEmpty)
        #expect(try scratch.read("a.yaml") == "new\n")
        #expect(try scratch.read("other-name.yaml") == "old\n")
        #expect(scratch.status("a.yaml").st_nlink == 1)
        #expect(scratch.status("other-name.yaml").st_nlink == 1)
    }

    @Test func aReadOnlyFileIsReplacedAndStaysReadOnly() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("ro.yaml", "old\n", mode: 0o444)
        let writer = AtomicBatchWriter()
        try writer.write(Self.bytes("new\n"), to: scratch.path("ro.yaml"), expectedOriginal: Self.bytes("old\n"))
        #expect(writer.finish().isEmpty)
        #expect(try scratch.read("ro.yaml") == "new\n")
        #expect(scratch.status("ro.yaml").st_mode & 0o7777 == 0o444)
        #expect(try scratch.names() == ["ro.yaml"])
    }

    @Test func aFileChangedBetweenStagingAndCommitIsLeftAloneAndReported() throws {
        let scratch = try ConfigScratchFolder()
        for name in ["a", "b", "c"] { try scratch.writeFile("\(name).yaml", "old \(name)\n") }
        let writer = AtomicBatchWriter(batchSize: 10)
        for name in ["a", "b", "c"] {
            #expect(try writer.write(Self.bytes("new \(name)\n"), to: scratch.path("\(name).yaml"), expectedOriginal: Self.bytes("old \(name)\n")) == .written)
        }
        // Staged but not committed: nothing has replaced the files yet.
        #expect(try scratch.read("a.yaml") == "old a\n")
        try scratch.writeFile("b.yaml", "someone else's edit\n")

        let failures = writer.finish()
        #expect(failures == [AtomicBatchWriter.Failure(path: scratch.path("b.yaml"), error: .changedOnDisk(scratch.path("b.yaml")))])
        #expect(try scratch.read("a.yaml") == "new a\n")
        #expect(try scratch.read("b.yaml") == "someone else's edit\n")
        #expect(try scratch.read("c.yaml") == "new c\n")
        #expect(try scratch.names() == ["a.yaml", "b.yaml", "c.yaml"])
    }

    @Test func aFileChangedBeforeStagingIsRefusedAtOnce() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("d.yaml", "edited\n")
        let writer = AtomicBatchWriter()
        #expect(throws: AtomicFileWriterError.changedOnDisk(scratch.path("d.yaml"))) {
            try writer.write(Self.bytes("fixed\n"), to: scratch.path("d.yaml"), expectedOriginal: Self.bytes("as read\n"))
        }
        #expect(writer.finish().isEmpty)
        #expect(try scratch.names() == ["d.yaml"])
    }

    @Test func aSymbolicLinkIsWrittenThrough() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile("real/target.yaml", "old\n")
        #expect(symlink(scratch.path("real/target.yaml"), scratch.path("link.yaml")) == 0)
        let writer = AtomicBatchWriter()
        try writer.write(Self.bytes("new\n"), to: scratch.path("link.yaml"), expectedOriginal: Self.bytes("old\n"))
        #expect(writer.finish().isEmpty)
        #expect(scratch.status("link.yaml").st_mode & S_IFMT == S_IFLNK)
        #expect(try scratch.read("real/target.yaml") == "new\n")
    }
}
