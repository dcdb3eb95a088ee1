import Foundation
import Testing

@testable import KubearchRegistry

@Suite("SHA256")
struct SHA256Tests {
    /// FIPS 180-4 / NIST CAVP examples.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func nistVectors(message: String, expected: String) {
        #expect(SHA256.hexDigest(Data(message.utf8)) == expected)
    }

    @Test func oneMillionLetterA() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the padding boundaries (55, 56, 63, 64 …), checked against coreutils' sha256sum.
    @Test func paddingBoundariesMatchSha256sum() throws {
        let lengths = [1, 54, 55, 56, 57, 63, 64, 65, 111, 119, 120, 127, 128, 129, 1000]
        for length in lengths {
            let data = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            let reference = try sha256sum(data)
            #expect(SHA256.hexDigest(data) == reference, "length \(length)")
        }
    }

    @Test func incrementalUpdatesInAnyChunkingGiveTheSameDigest() {
        let data = Data((0..<777).map { UInt8(truncatingIfNeeded: $0 &* 13) })
        let whole = SHA256.hexDigest(data)
        for chunkSize in [1, 3, 63, 64, 65, 200] {
            var hasher = SHA256()
            var offset = 0
            while offset < data.count {
                let end = min(offset + chunkSize, data.count)
                hasher.update(data.subdata(in: offset..<end))
                offset = end
            }
            #expect(hasher.finalizeHex() == whole, "chunk size \(chunkSize)")
        }
    }

    @Test func finalizeDoesNotDisturbFurtherUpdates() {
        var hasher = SHA256()
        hasher.update(Data("ab".utf8))
        _ = hasher.finalize()
        hasher.update(Data("c".utf8))
        #expect(hasher.finalizeHex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash(Data("abc".utf8)).count == 32)
    }

    private func sha256sum(_ data: Data) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }
}
