import Foundation
import Testing

private let lock = """
    version: 1
    images:
      example.com/arm:1:
        digest: sha256:\(String(repeating: "1", count: 64))
        platforms: [linux/arm64/v8]
      example.com/multi:1:
        digest: sha256:\(String(repeating: "2", count: 64))
        platforms: [linux/amd64, linux/arm64]

    """

private func deployment(_ name: String, image: String) -> String {
    """
    # \(name): a comment that must survive
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: \(name)
    spec:
      template:
        spec:
          containers:
          - name: app
            image: \(image)   # pinned by the team
    """ + "\n"
}

private func modificationDate(_ url: URL) throws -> Date {
    try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date)
}

@Suite("kubearch fix")
struct FixCommandTests {
    @Test func dryRunThenFixThenNothingLeft() async throws {
        let folder = try TemporaryFolder("kubearch-fix")
        defer { folder.remove() }
        try folder.write("kubearch.lock", lock)
        let arm = try folder.write("apps/arm.yaml", deployment("arm", image: "example.com/arm:1"))
        let multi = try folder.write("apps/multi.yaml", deployment("multi", image: "example.com/multi:1"))
        let multiBefore = try modificationDate(multi)

        let dry = try await BuiltBinary.run(["fix", "--offline", "--dry-run", "apps"], in: folder.url)
        #expect(dry.status == 0)
        #expect(dry.standardOutput == """
            --- a/apps/arm.yaml
            +++ b/apps/arm.yaml
            @@ -9,3 +9,11 @@
                   containers:
                   - name: app
                     image: example.com/arm:1   # pinned by the team
            +      affinity:
            +        nodeAffinity:
            +          requiredDuringSchedulingIgnoredDuringExecution:
            +            nodeSelectorTerms:
            +            - matchExpressions:
            +              - key: kubernetes.io/arch
            +                operator: In
            +                values: [arm64] # managed by kubearch

            """)
        #expect(dry.standardError.contains("would fix 1 workload in 1 file"))
        #expect(try folder.read("apps/arm.yaml") == deployment("arm", image: "example.com/arm:1"))

        let fixed = try await BuiltBinary.run(["fix", "--offline", "apps"], in: folder.url)
        #expect(fixed.status == 0)
        #expect(fixed.standardOutput.isEmpty)
        #expect(fixed.standardError.contains("fixed 1 workload in 1 file"))
        let text = try folder.read("apps/arm.yaml")
        #expect(text.hasPrefix(deployment("arm", image: "example.com/arm:1")))
        #expect(text.hasSuffix("values: [arm64] # managed by kubearch\n"))
        #expect(try modificationDate(multi) == multiBefore)

        // Clean now, and a second fix changes nothing (not even the mtime).
        #expect(try await BuiltBinary.run(["check", "--offline", "apps"], in: folder.url).status == 0)
        let armAfter = try modificationDate(arm)
        let again = try await BuiltBinary.run(["fix", "--offline", "apps"], in: folder.url)
        #expect(again.status == 0)
        #expect(again.standardError.contains("fixed 0 workloads in 0 files"))
        #expect(try modificationDate(arm) == armAfter)
    }

    @Test func standardInputIsAFilter() async throws {
        let folder = try TemporaryFolder("kubearch-fix-stdin")
        defer { folder.remove() }
        try folder.write("kubearch.lock", lock)
        let input = deployment("arm", image: "example.com/arm:1")
        let result = try await BuiltBinary.run(["fix", "--offline", "-"], in: folder.url, input: Data(input.utf8))
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix(input))
        #expect(result.standardOutput.contains("values: [arm64] # managed by kubearch"))
        let untouched = deployment("multi", image: "example.com/multi:1")
        let same = try await BuiltBinary.run(["fix", "--offline", "-"], in: folder.url, input: Data(untouched.utf8))
        #expect(same.standardOutput == untouched)
    }

    @Test func unfixableFindingsKeepExitCodeOne() async throws {
        let folder = try TemporaryFolder("kubearch-fix-unfixable")
        defer { folder.remove() }
        try folder.write("kubearch.lock", lock)
        // An arm64-only image pinned to amd64 by nodeSelector: KA003, not fixable.
        try folder.write("pod.yaml", "kind: Pod\nmetadata: {name: p}\nspec:\n  nodeSelector: {kubernetes.io/arch: amd64}\n  containers: [{name: a, image: example.com/arm:1}]\n")
        let result = try await BuiltBinary.run(["fix", "--offline", "pod.yaml"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.standardError.contains("KA003"))
        #expect(try folder.read("pod.yaml").hasPrefix("kind: Pod\nmetadata: {name: p}\n"))
    }

    /// SIGKILL at random moments during a fix of many files: every file is wholly old or wholly new.
    @Test func killedMidwayLeavesNoFileHalfWritten() async throws {
        let folder = try TemporaryFolder("kubearch-fix-kill")
        defer { folder.remove() }
        try folder.write("kubearch.lock", lock)
        let count = 400
        var originals: [String: String] = [:]
        for index in 0..<count {
            let name = "apps/app-\(index).yaml"
            originals[name] = deployment("app-\(index)", image: "example.com/arm:1")
            try folder.write(name, originals[name] ?? "")
        }
        // The fully fixed form of each file, from a run that was not interrupted.
        let reference = try TemporaryFolder("kubearch-fix-reference")
        defer { reference.remove() }
        try reference.write("kubearch.lock", lock)
        for (name, text) in originals { try reference.write(name, text) }
        #expect(try await BuiltBinary.run(["fix", "--offline", "apps"], in: reference.url).status == 0)

        var generator = SystemRandomNumberGenerator()
        for _ in 0..<6 {
            let process = Process()
            process.executableURL = BuiltBinary.url
            process.arguments = ["fix", "--offline", "apps"]
            process.currentDirectoryURL = folder.url
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 2_000...60_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            for (name, original) in originals {
                let now = try folder.read(name)
                let fixed = try reference.read(name)
                #expect(now == original || now == fixed, "\(name) is neither old nor new")
            }
        }
        // No temporary files are left behind as manifests, and a final run completes the job.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("apps").path)
            .filter { !$0.hasSuffix(".yaml") || $0.hasPrefix(".") }
        #expect(try await BuiltBinary.run(["fix", "--offline", "apps"], in: folder.url).status == 0)
        for name in originals.keys {
            let now = try folder.read(name)
            let fixed = try reference.read(name)
            #expect(now == fixed)
        }
        #expect(try await BuiltBinary.run(["check", "--offline", "apps"], in: folder.url).status == 0)
        // Temporary files from killed runs are hidden dot-files, never scanned as manifests.
        #expect(leftovers.allSatisfy { $0.hasPrefix(".") })
    }
}
