import Foundation
import KubearchCore
import NIOCore
import NIOPosix

/// The running webhook: reviews at `POST /mutate` on the TLS port; `/healthz`, `/readyz` and
/// `/metrics` on the plain-http metrics port.
public struct WebhookServer: Sendable {
    public struct Options: Sendable {
        public var host = "0.0.0.0"
        public var port = 8443
        public var metricsPort = 8080
        public var certificatePath: String
        public var keyPath: String
        public var policy = PolicySettings()
        public var allowNoCommonArchitecture = false
        public var registryTimeoutCap: Duration = .seconds(2)
        public var tagLifetime: Duration = .seconds(300)

        public init(certificatePath: String, keyPath: String) {
            self.certificatePath = certificatePath
            self.keyPath = keyPath
        }
    }

    let reviews: HTTPServer
    let health: HTTPServer
    let metrics: WebhookMetrics
    let tls: TLSContextSource

    public var port: Int { reviews.port }
    public var certificatePath: String { tls.certificatePath }
    public var keyPath: String { tls.keyPath }
    public var metricsPort: Int { health.port }

    /// Starts both servers. `cache` answers image lookups (lockfile, then registry).
    static func start(
        _ options: Options, cache: ImageCache, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        log: @escaping @Sendable (String) -> Void
    ) async throws -> WebhookServer {
        let metrics = WebhookMetrics()
        let tls = try TLSContextSource(certificatePath: options.certificatePath, keyPath: options.keyPath) { result in
            switch result {
            case .success: log("kubearch-webhook: reloaded the certificate \(options.certificatePath)")
            case .failure(let error): log("kubearch-webhook: kept the previous certificate, the new pair does not load: \(error)")
            }
        }
        let reviewer = AdmissionReviewer(
            settings: AdmissionReviewer.Settings(
                policy: options.policy, allowNoCommonArchitecture: options.allowNoCommonArchitecture,
                registryTimeoutCap: options.registryTimeoutCap),
            cache: cache, metrics: metrics)
        let reviews = try await HTTPServer.start(host: options.host, port: options.port, group: group, tls: tls) { request in
            await Self.route(request, reviewer: reviewer, metrics: metrics, log: log)
        }
        let health = try await HTTPServer.start(host: options.host, port: options.metricsPort, group: group, tls: nil) { request in
            switch (request.method, request.path) {
            case (.GET, "/healthz"), (.GET, "/readyz"): return .text(.ok, "ok")
            case (.GET, "/metrics"):
                return HTTPReply(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.exposition)
            default: return .text(.notFound, "not found")
            }
        }
        return WebhookServer(reviews: reviews, health: health, metrics: metrics, tls: tls)
    }

    /// Starts the webhook from its options: reads the lockfile and sets up the registry client.
    public static func start(
        _ options: Options, lockfile: Lockfile, configuration: Configuration, log: @escaping @Sendable (String) -> Void
    ) async throws -> WebhookServer {
        let cache = ImageCache(
            lockfile: lockfile, client: RegistryAccess.client(configuration: configuration), tagLifetime: options.tagLifetime)
        return try await start(options, cache: cache, log: log)
    }

    static func route(
        _ request: HTTPRequest, reviewer: AdmissionReviewer, metrics: WebhookMetrics, log: @Sendable (String) -> Void
    ) async -> HTTPReply {
        guard request.path == "/mutate" else { return .text(.notFound, "not found: reviews are served at POST /mutate") }
        guard request.method == .POST else { return .text(.methodNotAllowed, "reviews are served at POST /mutate") }
        let started = ContinuousClock.now
        do {
            let outcome = try await reviewer.review(request.body, query: request.query)
            let elapsed = ContinuousClock.now - started
            metrics.request(decision: outcome.decision, duration: elapsed)
            let reason = outcome.skipReason.map { " reason=\($0)" } ?? ""
            log(
                "uid=\(outcome.response.uid) namespace=\(outcome.namespace ?? "-") pod=\(outcome.pod ?? "-") "
                    + "decision=\(outcome.decision)\(reason) ms=\(String(format: "%.2f", Self.milliseconds(elapsed)))")
            return .json(outcome.response.json)
        } catch {
            metrics.request(decision: "invalid", duration: ContinuousClock.now - started)
            log("decision=invalid error=\(error.description)")
            return .text(.badRequest, "kubearch-webhook: \(error.description)")
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    public func close() async throws {
        try await reviews.close()
        try await health.close()
    }

    /// Serves until the servers are closed.
    public func wait() async throws {
        try await reviews.channel.closeFuture.get()
        try await health.channel.closeFuture.get()
    }
}
