import Foundation
import Testing

/// What every registry request of the built binary carries and where it goes: through the proxy the
/// environment names (a real tinyproxy on loopback, which logs what it forwarded), directly for hosts
/// in `NO_PROXY`, and always with `User-Agent: kubearch/VERSION`.
@Suite("kubearch through a forwarding proxy, and its User-Agent")
struct ProxyAndUserAgentTests {
    /// Every proxy variable cleared, so the machine's own settings cannot interfere; an empty value
    /// counts as unset.
    private static let noProxies = [
        "http_proxy": "", "HTTP_PROXY": "", "https_proxy": "", "HTTPS_PROXY": "", "all_proxy": "", "ALL_PROXY": "",
        "no_proxy": "", "NO_PROXY": "",
    ]

    private static func environment(_ settings: [String: String]) -> [String: String] {
        noProxies.merging(settings) { $1 }
    }

    @Test(.enabled(if: LoopbackRegistry.isAvailable && LoopbackTinyproxy.isAvailable, "needs docker-registry and tinyproxy"))
    func registryRequestsGoThroughTheProxyFromTheEnvironment() async throws {
        let registry = try await offPool { try LoopbackRegistry.start() }
        defer { registry.stop() }
        let proxy = try await offPool { try LoopbackTinyproxy.start() }
        defer { proxy.stop() }
        let folder = try TemporaryFolder("kubearch-proxy")
        defer { folder.remove() }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent(".git"), withIntermediateDirectories: true)
        let pushed = try await offPool { try registry.pushImage("mirror/docker.io/library/alpine", tag: "3", platform: "linux/arm64/v8") }
        try folder.write(".kubearch.yaml", "version: 1\nregistries:\n  docker.io:\n    mirror: http://\(registry.host)/mirror/docker.io\n")
        try folder.write("app.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - {name: app, image: alpine:3}\n")

        // Upper-case HTTP_PROXY counts (curl alone would ignore it; docker and crane honour it).
        let proxied = try await BuiltBinary.run(["lock"], in: folder.url, environment: Self.environment(["HTTP_PROXY": proxy.url]))
        #expect(proxied.status == 0, "\(proxied.standardError)")
        #expect(try folder.read("kubearch.lock").contains("docker.io/library/alpine:3:\n    digest: \(pushed.digest)"))
        #expect(proxy.forwardedRequests == [
            "GET http://\(registry.host)/v2/mirror/docker.io/library/alpine/manifests/3",
            "GET http://\(registry.host)/v2/mirror/docker.io/library/alpine/blobs/\(try configDigest(registry, pushed.digest))",
        ], "\(proxy.log)")

        // NO_PROXY names the registry: asked directly, nothing more in the proxy's log.
        let direct = try await BuiltBinary.run(
            ["lock", "--refresh"], in: folder.url, environment: Self.environment(["http_proxy": proxy.url, "NO_PROXY": "127.0.0.1"]))
        #expect(direct.status == 0, "\(direct.standardError)")
        #expect(proxy.forwardedRequests.count == 2)

        // Lower-case http_proxy is used too: the same two requests again.
        let lower = try await BuiltBinary.run(["lock", "--refresh"], in: folder.url, environment: Self.environment(["http_proxy": proxy.url]))
        #expect(lower.status == 0, "\(lower.standardError)")
        #expect(proxy.forwardedRequests.count == 4)
    }

    /// The config digest of a pushed single-platform manifest, read back with curl (not through kubearch).
    private func configDigest(_ registry: LoopbackRegistry, _ manifestDigest: String) throws -> String {
        let result = try runTool("/usr/bin/curl", [
            "-sS", "--noproxy", "*", "-H", "Accept: application/vnd.oci.image.manifest.v1+json",
            "http://\(registry.host)/v2/mirror/docker.io/library/alpine/manifests/\(manifestDigest)",
        ])
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any])
        return try #require((manifest["config"] as? [String: Any])?["digest"] as? String)
    }

    @Test(.enabled(if: LoopbackRegistry.isAvailable, "needs python3"))
    func everyRequestSaysKubearchAndItsVersion() async throws {
        let version = try await BuiltBinary.run(["--version"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!version.isEmpty)
        let server = try await offPool { try RecordingServer.start() }
        defer { server.stop() }
        let folder = try TemporaryFolder("kubearch-agent")
        defer { folder.remove() }
        // The server answers "ok" to everything, so the manifest is malformed; the request was made.
        let result = try await BuiltBinary.run(
            ["inspect", "127.0.0.1:\(server.port)/team/app:1"], in: folder.url, environment: Self.noProxies)
        #expect(result.status != 0)
        let agents = try server.recordedHeaders("User-Agent")
        #expect(!agents.isEmpty)
        #expect(agents.allSatisfy { $0 == ["kubearch/\(version)"] }, "\(agents)")
    }
}

/// The registry tests' `Fixtures/recording_server.py` (every request recorded, `/_requests` lists
/// them), under `lifeline.py`.
private final class RecordingServer: Sendable {
    let port: Int
    private let directory: URL
    private let process: Process
    private let lifeline: Pipe

    static func start() throws -> RecordingServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubearch-cli-recording-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let fixtures = BuiltBinary.packageRoot.appendingPathComponent("Tests/KubearchRegistryTests/Fixtures")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: LoopbackRegistry.python.executable)
        let portFile = directory.appendingPathComponent("port")
        process.arguments = LoopbackRegistry.python.arguments + [
            fixtures.appendingPathComponent("lifeline.py").path, "--cleanup", directory.path, "--",
            LoopbackRegistry.python.executable, fixtures.appendingPathComponent("recording_server.py").path, "--port-file", portFile.path,
        ]
        let lifeline = Pipe()
        process.standardInput = lifeline
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, process.isRunning {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return RecordingServer(port: port, directory: directory, process: process, lifeline: lifeline)
            }
            usleep(20_000)
        }
        try? lifeline.fileHandleForWriting.close()
        process.waitUntilExit()
        throw LoopbackRegistryError("recording_server.py did not start")
    }

    private init(port: Int, directory: URL, process: Process, lifeline: Pipe) {
        self.port = port
        self.directory = directory
        self.process = process
        self.lifeline = lifeline
    }

    /// The values of header `name` in each recorded request, in order.
    func recordedHeaders(_ name: String) throws -> [[String]] {
        let text = try runTool("/usr/bin/curl", ["-sS", "--noproxy", "*", "http://127.0.0.1:\(port)/_requests"])
        let records = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
        return records.map { record in
            (record["headers"] as? [[String]] ?? []).filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.last }
        }
    }

    func stop() {
        try? lifeline.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs a tool for test setup and returns its standard output (standard error is dropped).
private func runTool(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
