import Foundation
import Testing

@Suite("Bad input: kubearch fix", .serialized)
struct BadInputFixTests {
    private func bytes(_ folder: BadInputFolder, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.url.appendingPathComponent(name)))
    }

    /// Files that do not parse stay byte for byte as they were while the good ones next to them
    /// are fixed; the syntax errors remain as findings, so the exit code is 1.
    @Test func unparsableFilesUntouchedGoodOnesFixed() async throws {
        let folder = try BadInputFolder()
        defer { folder.remove() }
        try folder.write("other.yaml", Array(BadInputFolder.deployment("other").utf8))
        let broken = Array((BadInputFolder.deployment("broken") + "\tbad: tab\n").utf8)
        let binary = pseudoRandomBytes(count: 4096, seed: 11).map { $0 == UInt8(ascii: "{") ? 0 : $0 }
        try folder.write("broken.yaml", broken)
        try folder.write("binary.yaml", binary)

        let result = try await runBinary(["fix", "--offline", "."], in: folder.url)
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardError.contains("fixed 2 workloads in 2 files"), "\(result.standardError)")
        #expect(result.standardError.contains("broken.yaml:11:1: error: invalid YAML"), "\(result.standardError)")
        #expect(result.standardError.contains("binary.yaml:"))
        #expect(try bytes(folder, "broken.yaml") == broken)
        #expect(try bytes(folder, "binary.yaml") == binary)
        for name in ["good.yaml", "other.yaml"] {
            #expect(try folder.folder.read(name).hasSuffix("values: [arm64] # managed by kubearch\n"), "\(name)")
        }
    }

    /// A fixable workload in a document with a duplicate key is refused (which of the two keys
    /// counts is a guess): the file stays as it was, the others are fixed, exit 2.
    @Test func duplicateKeyFileRefusedOthersFixed() async throws {
        let folder = try BadInputFolder()
        defer { folder.remove() }
        let duplicate = Array((BadInputFolder.deployment("dup") + "      containers:\n      - name: again\n        image: \(BadInputFolder.armImage)\n").utf8)
        try folder.write("dup.yaml", duplicate)

        let result = try await runBinary(["fix", "--offline", "."], in: folder.url)
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("fixed 1 workload in 1 file"))
        #expect(result.standardError.contains("dup.yaml:11:7: error: duplicate key `containers` (first at 8:7)"), "\(result.standardError)")
        #expect(result.standardError.contains("kubearch: dup.yaml: not fixed: `spec.template.spec` is in a document with the duplicate key `containers` at 11:7"))
        #expect(try bytes(folder, "dup.yaml") == duplicate)
        #expect(try folder.folder.read("good.yaml").hasSuffix("values: [arm64] # managed by kubearch\n"))
    }
}
