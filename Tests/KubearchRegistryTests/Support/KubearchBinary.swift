import Foundation

/// Runs the `kubearch` executable that `swift build` put beside the test bundle, for tests that need
/// the real registries of this target's support (the CLI test target cannot import them).
///
/// The child's environment never reaches the user's credentials: `HOME` and `DOCKER_CONFIG` are the
/// caller's (temporary) folders and `REGISTRY_AUTH_FILE` is emptied.
enum KubearchBinary {
    struct Result: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static let url: URL = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("kubearch")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return TestEnvironment.packageRoot.appendingPathComponent(".build/debug/kubearch")
    }()

    /// Runs `kubearch arguments…` in `directory` to completion without blocking a cooperative
    /// thread; output goes to files (no pipe can fill up), read once the process has exited.
    /// `whileRunning` gets the child's pid once it started (e.g. to signal it).
    static func run(
        _ arguments: [String], in directory: URL, home: URL, dockerConfig: URL? = nil,
        whileRunning: @Sendable (Int32) async throws -> Void = { _ in }
    ) async throws -> Result {
        let outputFolder = try TestEnvironment.makeTemporaryDirectory("kubearch-run")
        defer { try? FileManager.default.removeItem(at: outputFolder) }
        let stdoutFile = outputFolder.appendingPathComponent("stdout")
        let stderrFile = outputFolder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        let stdout = try FileHandle(forWritingTo: stdoutFile)
        let stderr = try FileHandle(forWritingTo: stderrFile)

        TestEnvironment.prepareLoopback()
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["HOME"] = home.path
        environment["DOCKER_CONFIG"] = (dockerConfig ?? home.appendingPathComponent(".docker")).path
        environment["REGISTRY_AUTH_FILE"] = ""
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let exits = AsyncStream<Int32> { continuation in
            process.terminationHandler = { finished in
                continuation.yield(finished.terminationStatus)
                continuation.finish()
            }
        }
        try process.run()
        try await whileRunning(process.processIdentifier)
        var status: Int32 = -1
        for await code in exits { status = code }
        try? stdout.close()
        try? stderr.close()
        return Result(
            status: status,
            standardOutput: String(decoding: (try? Data(contentsOf: stdoutFile)) ?? Data(), as: UTF8.self),
            standardError: String(decoding: (try? Data(contentsOf: stderrFile)) ?? Data(), as: UTF8.self))
    }
}
