import Foundation
import KubearchRegistry

/// A real Docker distribution registry (Debian's `/usr/bin/docker-registry` 2.8) on 127.0.0.1 with
/// a free port and temporary storage.
///
/// Two ways to get one:
/// - `RegistryServer.shared(.open)` — one server per configuration for the whole test process,
///   started on first use. Tests sharing it must use their own repository names (e.g. include a
///   UUID). This is how suites avoid starting dozens of registries in parallel.
/// - `RegistryServer.start(.tokenAuth)` — a private server (and token issuer) for a test that needs
///   exact counts or special settings; call `stop()` at the end.
/// No server outlives the test process: each runs under `Fixtures/lifeline.py` (see `ChildProcess`),
/// which also deletes its temporary folder.
final class RegistryServer: Sendable {
    struct Configuration: Hashable, Sendable {
        enum Auth: Hashable, Sendable {
            case none
            /// htpasswd Basic auth with `RegistryServer.username` / `.password`.
            case basic
            /// Bearer tokens from a `TokenIssuer` (credentials `RegistryServer.username` / `.password`).
            case token(anonymousPull: Bool)
        }

        var auth: Auth
        /// HTTPS with a certificate from a fresh test CA (`RegistryServer.caFile`).
        var tls: Bool

        init(auth: Auth = .none, tls: Bool = false) {
            self.auth = auth
            self.tls = tls
        }

        static let open = Configuration()
        static let basicAuth = Configuration(auth: .basic)
        static let tokenAuth = Configuration(auth: .token(anonymousPull: false))
        static let tokenAuthAnonymousPull = Configuration(auth: .token(anonymousPull: true))
        static let tls = Configuration(tls: true)
        static let tlsBasicAuth = Configuration(auth: .basic, tls: true)
    }

    static let username = "kubearch"
    static let password = "correct horse battery staple"

    let configuration: Configuration
    let port: Int
    /// `127.0.0.1:<port>`: the registry host as written in an image reference.
    let host: String
    /// `http://127.0.0.1:<port>` or `https://…`.
    let baseURL: URL
    /// The test CA's PEM when `configuration.tls`, else nil.
    let caFile: String?
    let tokenIssuer: TokenIssuer?
    let directory: URL
    private let process: ChildProcess

    /// What a client passes per request: trusts the test CA for a TLS server.
    var security: TransportSecurity { TransportSecurity(caFile: caFile) }

    /// `Basic …` for `username`/`password` (meaningful for `.basic`).
    var basicAuthorization: String {
        "Basic " + Data("\(Self.username):\(Self.password)".utf8).base64EncodedString()
    }

    /// `baseURL` + `path` (e.g. "/v2/").
    func url(_ path: String) -> URL {
        URL(string: baseURL.absoluteString + path)!
    }

    /// A request to `path` (e.g. "/v2/") with this server's `security` and a 20 s timeout.
    func request(
        _ path: String, method: String = "GET", headers: [(name: String, value: String)] = [], body: Data? = nil
    ) -> HTTPRequest
    {
        HTTPRequest(method: method, url: url(path), headers: headers, body: body, security: security, timeout: 20)
    }

    // MARK: - Starting and stopping

    static func shared(_ configuration: Configuration) async throws -> RegistryServer {
        try await SharedRegistries.instance.server(for: configuration)
    }

    static func start(_ configuration: Configuration) async throws -> RegistryServer {
        let directory = try TestEnvironment.makeTemporaryDirectory("registry")
        do {
            return try await start(configuration, in: directory)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    private static func start(_ configuration: Configuration, in directory: URL) async throws -> RegistryServer {
        let storage = directory.appendingPathComponent("storage")
        try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
        let certificates = configuration.tls ? try await TestCertificates.make(in: directory) : nil
        var authSection = ""
        var tokenIssuer: TokenIssuer?
        switch configuration.auth {
        case .none:
            break
        case .basic:
            let line = try await TestEnvironment.run("/usr/bin/htpasswd", ["-Bbn", username, password])
            let htpasswd = directory.appendingPathComponent("htpasswd")
            try line.trimmingCharacters(in: .whitespacesAndNewlines).appending("\n")
                .write(to: htpasswd, atomically: true, encoding: .utf8)
            authSection = "auth: {htpasswd: {realm: kubearch-test, path: \"\(htpasswd.path)\"}}\n"
        case .token(let anonymousPull):
            let issuer = try await TokenIssuer.start(
                in: directory, username: username, password: password, anonymousPull: anonymousPull
            )
            tokenIssuer = issuer
            authSection = """
                auth:
                  token:
                    realm: "\(issuer.realm.absoluteString)"
                    service: \(TokenIssuer.service)
                    issuer: \(TokenIssuer.issuerName)
                    rootcertbundle: "\(issuer.certificateFile)"

                """
        }
        var lastFailure = ""
        // The free port may be taken by someone else before the registry binds it: try a few.
        for _ in 0..<4 {
            let port = try LoopbackPort.free()
            let tlsSection = certificates.map {
                ", tls: {certificate: \"\($0.serverCertificateFile)\", key: \"\($0.serverKeyFile)\"}"
            } ?? ""
            let config = """
                version: 0.1
                log: {level: error, accesslog: {disabled: true}}
                storage:
                  filesystem: {rootdirectory: "\(storage.path)"}
                  delete: {enabled: true}
                  maintenance: {uploadpurging: {enabled: false}}
                http: {addr: "127.0.0.1:\(port)", secret: kubearch-test-secret\(tlsSection)}
                \(authSection)
                """
            let configFile = directory.appendingPathComponent("config.yml")
            try config.write(to: configFile, atomically: true, encoding: .utf8)
            let process = try ChildProcess(
                TestEnvironment.dockerRegistry, ["serve", configFile.path],
                logFile: directory.appendingPathComponent("registry-\(port).log"), cleanupDirectory: directory
            )
            let scheme = configuration.tls ? "https" : "http"
            let server = RegistryServer(
                configuration: configuration, port: port, caFile: certificates?.caFile, tokenIssuer: tokenIssuer,
                directory: directory, process: process, baseURL: URL(string: "\(scheme)://127.0.0.1:\(port)")!
            )
            if try await server.waitUntilReady() { return server }
            lastFailure = process.logTail
            process.stop()
        }
        tokenIssuer?.stop()
        throw TestSupportError.serverDidNotStart("docker-registry: \(lastFailure)")
    }

    private init(
        configuration: Configuration, port: Int, caFile: String?, tokenIssuer: TokenIssuer?, directory: URL,
        process: ChildProcess, baseURL: URL
    ) {
        self.configuration = configuration
        self.port = port
        host = "127.0.0.1:\(port)"
        self.caFile = caFile
        self.tokenIssuer = tokenIssuer
        self.directory = directory
        self.process = process
        self.baseURL = baseURL
    }

    /// True once `GET /v2/` gets any HTTP answer (200, or 401 with auth); false if the process died.
    private func waitUntilReady() async throws -> Bool {
        let transport = CurlTransport(maxIdleConnections: 1)
        return await TestEnvironment.wait(upTo: 20) {
            guard process.isRunning else { return true }
            let probe = HTTPRequest(url: url("/v2/"), security: security, timeout: 2)
            return (try? await transport.send(probe)) != nil
        } && process.isRunning
    }

    /// Stops the registry (and its token issuer) and deletes its folder.
    func stop() {
        process.stop()
        tokenIssuer?.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// The process-wide registries behind `RegistryServer.shared`, started once per configuration.
/// They are never stopped explicitly: they end with the test process (see `ChildProcess`).
private actor SharedRegistries {
    static let instance = SharedRegistries()
    private var servers: [RegistryServer.Configuration: Task<RegistryServer, Error>] = [:]

    func server(for configuration: RegistryServer.Configuration) async throws -> RegistryServer {
        if let existing = servers[configuration] {
            return try await existing.value
        }
        let starting = Task { try await RegistryServer.start(configuration) }
        servers[configuration] = starting
        do {
            return try await starting.value
        } catch {
            // Let a later test try again rather than failing forever on one bad start.
            servers[configuration] = nil
            throw error
        }
    }
}
