import Foundation
import KubearchCore
import NIOConcurrencyHelpers
@testable import KubearchWebhook

/// A webhook served in this process on free ports, with a certificate for its in-cluster service
/// name signed by a throw-away CA, and `curl` as the API server's stand-in: it connects to
/// 127.0.0.1 but asks for and verifies `kubearch-webhook.kubearch.svc` (`--resolve`).
final class WebhookHarness: Sendable {
    static let serviceName = "kubearch-webhook.kubearch.svc"

    let directory: URL
    let server: WebhookServer
    let cache: ImageCache
    let caFile: String
    let logLines: LogLines

    struct Reply {
        var status: Int
        var body: Data
        var seconds: Double

        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        var response: [String: Any]? { json?["response"] as? [String: Any] }
        var text: String { String(decoding: body, as: UTF8.self) }

        /// The decoded JSON Patch, nil when the answer has none.
        var patch: String? {
            guard let encoded = response?["patch"] as? String, let data = Data(base64Encoded: encoded) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        var warnings: [String] { response?["warnings"] as? [String] ?? [] }
        var allowed: Bool? { response?["allowed"] as? Bool }
    }

    private init(directory: URL, server: WebhookServer, cache: ImageCache, caFile: String, logLines: LogLines) {
        self.directory = directory
        self.logLines = logLines
        self.server = server
        self.cache = cache
        self.caFile = caFile
    }

    /// Starts a webhook that knows `lockfile` (YAML text) and asks registries with `configuration`.
    static func start(
        lockfile: String = WebhookFixtures.lockfile, configuration: Configuration = .default, registry: Bool = false,
        policy: PolicySettings = PolicySettings(), allowNoCommonArchitecture: Bool = false, registryTimeoutCap: Duration = .seconds(2)
    ) async throws -> WebhookHarness {
        let directory = try TestEnvironment.makeTemporaryDirectory("kubearch-webhook")
        let certificates = try await ServiceCertificates.make(in: directory, name: "first")
        var options = WebhookServer.Options(certificatePath: certificates.certificate, keyPath: certificates.key)
        options.host = "127.0.0.1"
        options.port = 0
        options.metricsPort = 0
        options.policy = policy
        options.allowNoCommonArchitecture = allowNoCommonArchitecture
        options.registryTimeoutCap = registryTimeoutCap
        let parsed = try Lockfile.parse(bytes: Array(lockfile.utf8), path: "kubearch.lock")
        let cache = ImageCache(
            lockfile: parsed, client: registry ? RegistryAccess.client(configuration: configuration) : nil, tagLifetime: .seconds(300))
        let lines = LogLines()
        let server = try await WebhookServer.start(options, cache: cache) { lines.append($0) }
        return WebhookHarness(directory: directory, server: server, cache: cache, caFile: certificates.ca, logLines: lines)
    }

    func stop() async {
        try? await server.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// POSTs `body` to `/mutate` over TLS as the API server would.
    func post(_ body: Data, path: String = "/mutate?timeout=10s", caFile: String? = nil, method: String = "POST") async throws -> Reply {
        let request = directory.appendingPathComponent("request-\(UUID().uuidString).json")
        try body.write(to: request)
        defer { try? FileManager.default.removeItem(at: request) }
        let output = directory.appendingPathComponent("reply-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let started = ContinuousClock.now
        let status = try await TestEnvironment.run("/usr/bin/curl", [
            "-sS", "--max-time", "20", "-X", method, "--resolve", "\(Self.serviceName):\(server.port):127.0.0.1",
            "--cacert", caFile ?? self.caFile, "-H", "Content-Type: application/json", "--data-binary", "@\(request.path)",
            "-o", output.path, "-w", "%{http_code}", "https://\(Self.serviceName):\(server.port)\(path)",
        ])
        let elapsed = ContinuousClock.now - started
        return Reply(
            status: Int(status.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1,
            body: (try? Data(contentsOf: output)) ?? Data(),
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Reviews `pod` (a Pod object) for CREATE.
    func review(_ pod: [String: Any], uid: String = UUID().uuidString, operation: String = "CREATE") async throws -> Reply {
        try await post(WebhookFixtures.review(of: pod, uid: uid, operation: operation))
    }

    /// GET on the plain-http port.
    func get(_ path: String) async throws -> String {
        try await TestEnvironment.run("/usr/bin/curl", ["-sS", "--max-time", "10", "http://127.0.0.1:\(server.metricsPort)\(path)"])
    }

    /// The value of one metric line (`name{labels}`), 0 when absent.
    func metric(_ series: String) async throws -> Double {
        let text = try await get("/metrics")
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? 0
        }
        return 0
    }
}

/// The webhook's stderr lines, kept for assertions.
final class LogLines: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    func append(_ line: String) { lines.withLockedValue { $0.append(line) } }
    var all: [String] { lines.withLockedValue { $0 } }
}

/// A CA and a server certificate for the webhook's service name (what cert-manager issues in the
/// cluster), made with `openssl`.
struct ServiceCertificates {
    var ca: String
    var certificate: String
    var key: String

    static func make(in directory: URL, name: String) async throws -> ServiceCertificates {
        let path = { (file: String) in directory.appendingPathComponent("\(name)-\(file)").path }
        let openssl = "/usr/bin/openssl"
        try """
            subjectAltName = DNS:\(WebhookHarness.serviceName), DNS:\(WebhookHarness.serviceName).cluster.local
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth

            """.write(toFile: path("server.ext"), atomically: true, encoding: .utf8)
        _ = try await TestEnvironment.run(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", path("ca.key"), "-out", path("ca.crt"), "-days", "2", "-subj", "/CN=kubearch webhook test CA \(name)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        _ = try await TestEnvironment.run(openssl, [
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", path("tls.key"), "-out", path("server.csr"), "-subj", "/CN=\(WebhookHarness.serviceName)",
        ])
        _ = try await TestEnvironment.run(openssl, [
            "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
            "-CAcreateserial", "-out", path("tls.crt"), "-days", "2", "-extfile", path("server.ext"),
        ])
        return ServiceCertificates(ca: path("ca.crt"), certificate: path("tls.crt"), key: path("tls.key"))
    }
}
