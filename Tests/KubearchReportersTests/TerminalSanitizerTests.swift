import Testing
@testable import KubearchReporters

@Suite("Terminal sanitizer")
struct TerminalSanitizerTests {
    /// The word-at-a-time search agrees with a byte-by-byte one for every byte value at every
    /// position of a word and of the tail, between harmless bytes of both kinds (ASCII and UTF-8).
    @Test(arguments: [UInt8(ascii: "a"), 0xC3])
    func wordSearchMatchesByteSearch(filler: UInt8) {
        for length in [1, 7, 8, 9, 16, 23] {
            for position in 0..<length {
                for value in UInt8.min...UInt8.max {
                    var bytes = [UInt8](repeating: filler, count: length)
                    bytes[position] = value
                    let expected = bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }
                    let found = bytes.withUnsafeBufferPointer(TerminalSanitizer.mayHoldControlCharacters)
                    if found != expected {
                        Issue.record("byte \(value) at \(position) of \(length): found \(found), expected \(expected)")
                        return
                    }
                }
            }
        }
    }

    @Test func controlsAreEscapedAndPlainTextIsKept() {
        #expect(TerminalSanitizer.sanitize("image: nginx:1.27 ü") == "image: nginx:1.27 ü")
        #expect(TerminalSanitizer.sanitize("a\u{1B}[2Jb\nc\u{85}") == "a\\u{1B}[2Jb\\nc\\u{85}")
    }
}
