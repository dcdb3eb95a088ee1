import Foundation

/// Where test fixtures and tools are, and process-wide preparation for loopback servers.
enum TestEnvironment {
    /// The root package: the nearest folder above this file holding Package.swift and these
    /// fixtures (the webhook package in `webhook/` compiles this support through a symlink).
    static let packageRoot: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Tests/KubearchRegistryTests/Fixtures").path) {
                return folder
            }
            folder = folder.deletingLastPathComponent()
        }
        preconditionFailure("no Package.swift above \(#filePath)")
    }()

    /// `Tests/KubearchRegistryTests/Fixtures`: the helper scripts the support types run.
    static var fixturesDirectory: URL {
        packageRoot.appendingPathComponent("Tests/KubearchRegistryTests/Fixtures")
    }

    static func fixture(_ name: String) -> String {
        fixturesDirectory.appendingPathComponent(name).path
    }

    /// A Python 3 with the `cryptography` package: `$KUBEARCH_TEST_PYTHON`, else Debian's, else PATH's.
    static let python: String = {
        if let chosen = ProcessInfo.processInfo.environment["KUBEARCH_TEST_PYTHON"], !chosen.isEmpty {
            return chosen
        }
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") { return "/usr/bin/python3" }
        return "python3"
    }()

    static let dockerRegistry = "/usr/bin/docker-registry"

    /// Makes sure loopback traffic never goes through a proxy from the environment. `CurlTransport` honours
    /// `http_proxy`/`https_proxy`/`all_proxy` (either case); when one is set, 127.0.0.1 and localhost are added to
    /// `no_proxy`. Done once, before the first server starts (changing the environment while other
    /// threads read it is unsafe, so it happens only when a proxy is actually configured).
    static func prepareLoopback() {
        _ = loopbackPrepared
    }

    private static let loopbackPrepared: Bool = {
        let environment = ProcessInfo.processInfo.environment
        let proxyNames = ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
        guard proxyNames.contains(where: { !(environment[$0] ?? "").isEmpty }) else { return true }
        for name in ["no_proxy", "NO_PROXY"] {
            let existing = environment[name] ?? ""
            let entries = existing.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let missing = ["127.0.0.1", "localhost"].filter { !entries.contains($0) }
            guard !missing.isEmpty else { continue }
            setenv(name, (entries.filter { !$0.isEmpty } + missing).joined(separator: ","), 1)
        }
        return true
    }()

    /// A new empty folder under the system temporary folder.
    static func makeTemporaryDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("kubearch-\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a short tool to completion without blocking a cooperative thread; throws with its
    /// output when it fails.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("kubearch-tool-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let output = try FileHandle(forWritingTo: outputFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try? output.close()
        let text = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw TestSupportError.toolFailed("\(executable) \(arguments.joined(separator: " ")): \(text)")
        }
        return text
    }

    /// Polls `condition` every 20 ms until it is true or `seconds` pass.
    static func wait(upTo seconds: Double, until condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return try await condition()
    }
}

enum TestSupportError: Error, CustomStringConvertible {
    case toolFailed(String)
    case serverDidNotStart(String)
    case unexpectedResponse(String)

    var description: String {
        switch self {
        case .toolFailed(let detail): "tool failed: \(detail)"
        case .serverDidNotStart(let detail): "server did not start: \(detail)"
        case .unexpectedResponse(let detail): "unexpected response: \(detail)"
        }
    }
}
