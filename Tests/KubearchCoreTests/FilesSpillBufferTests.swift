import Foundation
import Testing
@testable import KubearchCore

@Suite("Spill buffer")
struct SpillBufferTests {
    /// 10,000 appends of uneven sizes, through pieces far smaller than the total.
    private static func sample() -> [[UInt8]] {
        (0..<10_000).map { index in Array("row \(index) ".utf8) + Array(repeating: UInt8(ascii: "x"), count: index % 97) }
    }

    @Test(arguments: [1, 7, 4096])
    func whatIsAppendedComesBackInOrderFromAFile(pieceSize: Int) throws {
        let scratch = try ConfigScratchFolder()
        let buffer = SpillBuffer(folder: scratch.path("").dropLastSlash, pieceSize: pieceSize)
        #expect(buffer.isInFile)
        let appended = Self.sample()
        for bytes in appended { buffer.append(bytes) }
        var read: [UInt8] = []
        buffer.forEachPiece { read += $0 }
        #expect(read == appended.flatMap { $0 })
        // The file has no name: nothing is left in the folder.
        #expect(try scratch.names().isEmpty)
    }

    @Test func withoutAUsableFolderTheBytesStayInMemory() {
        let buffer = SpillBuffer(folder: "/nonexistent/kubearch-spill", pieceSize: 64)
        #expect(!buffer.isInFile)
        let appended = Self.sample()
        for bytes in appended { buffer.append(bytes) }
        var read: [UInt8] = []
        buffer.forEachPiece { read += $0 }
        #expect(read == appended.flatMap { $0 })
    }

    @Test func nothingAppendedReadsAsNothing() throws {
        let buffer = SpillBuffer()
        var pieces = 0
        buffer.forEachPiece { _ in pieces += 1 }
        #expect(pieces == 0)
    }
}

private extension String {
    var dropLastSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}
