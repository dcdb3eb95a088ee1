import Foundation

/// Runs the `kubearch` executable that `swift build` put beside the test bundle.
struct BuiltBinary {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static let fixtures = packageRoot.appendingPathComponent("fixtures")
    static let sharedCorpus = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/manifests")

    /// The executable next to the running test bundle (same build folder and configuration).
    static let url: URL = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("kubearch")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/kubearch")
    }()

    /// Runs the binary on a thread of its own (see `offPool`).
    static func run(
        _ arguments: [String], in directory: URL = packageRoot, input: Data? = nil, environment: [String: String] = [:]
    ) async throws -> Result {
        try await offPool { try runBlocking(arguments, in: directory, input: input, environment: environment) }
    }

    static func runBlocking(
        _ arguments: [String], in directory: URL = packageRoot, input: Data? = nil, environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        // Read both pipes concurrently so a full pipe never blocks the child.
        let errorData = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errorData.value = stderr.fileHandleForReading.readDataToEndOfFile() }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.value, as: UTF8.self))
    }
}

private final class DataBox: @unchecked Sendable {
    // Written by one reader thread before `group.wait()` returns; read only after.
    var value = Data()
}

/// Runs blocking work (child processes and waiting for them) on a thread of its own: a test that
/// blocks one of the cooperative pool's few threads (two on a two-core machine) stalls every async
/// test meanwhile, and timing-based tests elsewhere then fail.
func offPool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
