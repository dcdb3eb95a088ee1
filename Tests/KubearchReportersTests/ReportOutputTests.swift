import Testing
@testable import KubearchReporters

@Suite("Report output")
struct ReportOutputTests {
    @Test(arguments: [0, 7, 10, 42, 1_000, 65_535, -1, -90, Int.max, Int.min])
    func integersAreWrittenAsSwiftPrintsThem(value: Int) {
        var output = ReportOutput()
        output.write(UInt8(ascii: "["))
        output.write(value)
        output.write(UInt8(ascii: "]"))
        #expect(output.text == "[\(value)]")
    }

    @Test func stringsNeedingNoEscapeAndStringsNeedingOneComeOutAsJSONDoes() {
        var json = JSONWriter(output: ReportOutput())
        json.beginArray()
        for value in ["plain/path.yaml", "é \u{1F600}", "quote \" back \\ tab \t nl \n cr \r", "\u{01}\u{1F}", "", "12345678\""] { json.string(value) }
        json.endArray()
        #expect(json.output.text == "[\n  \"plain/path.yaml\",\n  \"é \u{1F600}\",\n  \"quote \\\" back \\\\ tab \\t nl \\n cr \\r\",\n  \"\\u0001\\u001f\",\n  \"\",\n  \"12345678\\\"\"\n]")
    }

    /// The word-at-a-time check and copy against the byte-by-byte rule, for every byte value at
    /// every position of strings shorter than a word, one word long and longer (the last bytes
    /// are read as a word overlapping the one before).
    @Test(arguments: [1, 4, 7, 8, 9, 15, 16, 23])
    func theEscapeCheckFindsEveryByteThatNeedsOneAndCopiesTheRestExactly(length: Int) {
        for position in 0..<length {
            for value in 0...255 {
                var bytes = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
                bytes[position] = UInt8(value)
                let expected = value < 0x20 || value == 0x22 || value == 0x5C
                let found = bytes.withUnsafeBufferPointer { ShortCopy.needsEscape($0) }
                #expect(found == expected, "byte \(value) at \(position) of \(length)")
                // Guard bytes around the target: a copy writes exactly its bytes.
                var target = [UInt8](repeating: 0xEE, count: length + 16)
                let copied = bytes.withUnsafeBufferPointer { source in
                    target.withUnsafeMutableBufferPointer { ShortCopy.copyUnlessEscaped(source.baseAddress!, count: length, to: $0.baseAddress! + 8) }
                }
                #expect(copied == !expected)
                #expect(target[..<8].allSatisfy { $0 == 0xEE } && target[(8 + length)...].allSatisfy { $0 == 0xEE })
                if copied { #expect(Array(target[8..<(8 + length)]) == bytes) }
            }
        }
    }

    @Test func aCopyWritesToItsOwnBytes() {
        var first = ReportOutput()
        first.write("shared ")
        var second = first
        second.write("second")
        first.write("first")
        #expect(first.text == "shared first")
        #expect(second.text == "shared second")
    }

    @Test func aDrainGetsEveryByteInOrderInChunks() {
        final class Collected: @unchecked Sendable { var bytes: [UInt8] = []; var sizes: [Int] = [] }
        let collected = Collected()
        var output = ReportOutput { collected.bytes += $0; collected.sizes.append($0.count) }
        var expected: [UInt8] = []
        for index in 0..<20_000 {
            let piece = "line \(index)\n"
            output.write(piece)
            output.write(index)
            expected += Array(piece.utf8) + Array(String(index).utf8)
        }
        output.finish()
        #expect(collected.bytes == expected)
        // Each chunk but the last is handed on as soon as it is full: not before, not much after.
        #expect(collected.sizes.count > 2)
        #expect(collected.sizes.dropLast().allSatisfy { (ReportOutput.chunkSize..<ReportOutput.chunkSize + 32).contains($0) })
    }

    @Test func aPieceOfAChunkOrMoreGoesOutWholeAfterWhatIsBuffered() {
        final class Collected: @unchecked Sendable { var pieces: [[UInt8]] = [] }
        let collected = Collected()
        var output = ReportOutput { collected.pieces.append(Array($0)) }
        output.write("before ")
        let large = [UInt8](repeating: UInt8(ascii: "x"), count: ReportOutput.chunkSize)
        large.withUnsafeBytes { output.write($0) }
        output.write(" after")
        output.finish()
        #expect(collected.pieces == [Array("before ".utf8), large, Array(" after".utf8)])
    }

    @Test func anArrayOfAChunkOrMoreGoesOutWholeToo() {
        final class Collected: @unchecked Sendable { var pieces: [[UInt8]] = [] }
        let collected = Collected()
        var output = ReportOutput { collected.pieces.append(Array($0)) }
        output.write("before ")
        let large = [UInt8](repeating: UInt8(ascii: "y"), count: ReportOutput.chunkSize + 1)
        output.write(large)
        output.finish()
        #expect(collected.pieces == [Array("before ".utf8), large])
    }
}
