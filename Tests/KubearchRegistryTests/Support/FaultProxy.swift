import Foundation
import KubearchRegistry

/// A running `Fixtures/fault_proxy.py` in front of a real `RegistryServer`: forwards `/v2/…`
/// requests and injects a `Fault` into those of one repository, so tests sharing a proxy (use a
/// fresh repository name per test) never see each other's faults. Images are reached through it as
/// `<proxy.host>/<repository>:<tag>` (loopback, so plain http without configuration).
final class FaultProxy: Sendable {
    let port: Int
    /// `127.0.0.1:<port>`: the registry host as written in an image reference.
    let host: String
    let upstream: RegistryServer
    /// Set for an HTTPS proxy: the test CA to trust.
    let caFile: String?
    private let process: ChildProcess
    private let directory: URL

    /// One plain-http proxy per registry configuration for the whole test process (started on
    /// first use, in front of `RegistryServer.shared(configuration)`).
    static func shared(_ configuration: RegistryServer.Configuration) async throws -> FaultProxy {
        try await SharedFaultProxies.instance.proxy(for: configuration)
    }

    /// A private proxy in front of `upstream` (a plain-http registry); with `tls`, it speaks HTTPS
    /// with a fresh test CA (`caFile`). Call `stop()` at the end.
    static func start(upstream: RegistryServer, tls: Bool = false) async throws -> FaultProxy {
        precondition(upstream.caFile == nil, "the fault proxy forwards over plain http")
        let directory = try TestEnvironment.makeTemporaryDirectory("fault-proxy")
        let portFile = directory.appendingPathComponent("port")
        var arguments = [
            TestEnvironment.fixture("fault_proxy.py"), "--port-file", portFile.path, "--upstream", upstream.baseURL.absoluteString,
        ]
        var caFile: String?
        if tls {
            let certificates = try await TestCertificates.make(in: directory)
            arguments += ["--tls-cert", certificates.serverCertificateFile, "--tls-key", certificates.serverKeyFile]
            caFile = certificates.caFile
        }
        let process = try ChildProcess(
            TestEnvironment.python, arguments, logFile: directory.appendingPathComponent("proxy.log"), cleanupDirectory: directory)
        let port = try await LoopbackPort.read(from: portFile, process: process)
        return FaultProxy(port: port, upstream: upstream, caFile: caFile, process: process, directory: directory)
    }

    private init(port: Int, upstream: RegistryServer, caFile: String?, process: ChildProcess, directory: URL) {
        self.port = port
        self.host = "127.0.0.1:\(port)"
        self.upstream = upstream
        self.caFile = caFile
        self.process = process
        self.directory = directory
    }

    var scheme: String { caFile == nil ? "http" : "https" }

    /// `<scheme>://<host>:<port>`; `host` is "127.0.0.1" or "localhost" (different hosts for redirect rules).
    func origin(host: String = "127.0.0.1") -> String {
        "\(scheme)://\(host):\(port)"
    }

    /// Sets `repository`'s fault (nil clears it).
    func inject(_ fault: Fault?, repository: String) async throws {
        struct Body: Encodable {
            var repository: String
            var fault: Fault?

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(repository, forKey: .repository)
                // An explicit null clears the fault.
                try container.encode(fault, forKey: .fault)
            }

            enum CodingKeys: String, CodingKey { case repository, fault }
        }
        let body = try JSONEncoder().encode(Body(repository: repository, fault: fault))
        let response = try await control("/_faults", method: "POST", body: body)
        guard response.status == 200 else { throw TestSupportError.unexpectedResponse("/_faults: HTTP \(response.status)") }
    }

    /// Requests the proxy received for `repository` (storage hops included), oldest first. With
    /// `waitingForCompletion`, waits (up to 10 s) until each has finished, so `bytesSent` is final.
    func log(repository: String, waitingForCompletion: Bool = false) async throws -> [ProxyRecord] {
        var records: [ProxyRecord] = []
        _ = try await TestEnvironment.wait(upTo: waitingForCompletion ? 10 : 0) {
            var components = URLComponents()
            components.queryItems = [URLQueryItem(name: "repository", value: repository)]
            let response = try await control("/_log?" + (components.percentEncodedQuery ?? ""))
            records = try JSONDecoder().decode([ProxyRecord].self, from: response.body)
            return records.allSatisfy(\.complete)
        }
        return records
    }

    private func control(_ pathAndQuery: String, method: String = "GET", body: Data? = nil) async throws -> HTTPResponse {
        guard let url = URL(string: origin() + pathAndQuery) else { throw TestSupportError.unexpectedResponse("bad path \(pathAndQuery)") }
        return try await CurlTransport(maxIdleConnections: 1).send(
            HTTPRequest(method: method, url: url, body: body, security: TransportSecurity(caFile: caFile), timeout: 10))
    }

    func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// What the proxy does to one repository's requests (see `Fixtures/fault_proxy.py`).
struct Fault: Encodable, Sendable, CustomStringConvertible {
    enum Target: String, Encodable, Sendable {
        case manifests, blobs, any
    }

    var kind: String
    var target: Target = .manifests
    /// How many matching requests it hits; nil: all of them.
    var times: Int?
    var seconds: Double?
    var status: Int?
    var retryAfter: String?
    var bytes: Int?
    var chunked: Bool?
    /// `scheme://host:port` a `redirect` points at.
    var to: String?
    /// What the proxy's storage route sends upstream in place of the client's headers.
    var storageAuthorization: String?

    var description: String {
        let what = status.map { "\(kind) \($0)" } ?? kind
        return times.map { "\(what) ×\($0)" } ?? what
    }

    /// Waits `seconds` before answering.
    static func delay(_ seconds: Double, times: Int? = nil) -> Fault { Fault(kind: "delay", times: times, seconds: seconds) }
    /// Sends the headers and half the body, then waits `seconds` and closes.
    static func stall(_ seconds: Double) -> Fault { Fault(kind: "stall", seconds: seconds) }
    /// Sends the headers and half the body, then resets the connection.
    static func reset(times: Int? = nil) -> Fault { Fault(kind: "reset", times: times) }
    static func status(_ code: Int, times: Int? = nil, retryAfter: String? = nil) -> Fault {
        Fault(kind: "status", times: times, status: code, retryAfter: retryAfter)
    }
    /// The manifest with one bit flipped; `Docker-Content-Digest` still names the original.
    static let flippedByte = Fault(kind: "flipByte")
    /// A truncated manifest whose `Docker-Content-Digest` matches what is sent.
    static let invalidJSON = Fault(kind: "invalidJSON")
    static func huge(bytes: Int, chunked: Bool) -> Fault { Fault(kind: "huge", bytes: bytes, chunked: chunked) }
    /// 302 to the same path, forever.
    static let redirectLoop = Fault(kind: "redirectLoop")
    /// 307 to `origin` + `/_storage` + the path; the storage route sends `storageAuthorization` upstream.
    static func redirect(to origin: String, target: Target, storageAuthorization: String? = nil) -> Fault {
        Fault(kind: "redirect", target: target, to: origin, storageAuthorization: storageAuthorization)
    }
}

/// One request as the fault proxy saw it.
struct ProxyRecord: Decodable, Sendable {
    let method: String
    let path: String
    /// The `Host` header: `127.0.0.1:<port>` or `localhost:<port>`.
    let host: String
    /// The `Authorization` header as received, nil when absent.
    let authorization: String?
    /// The fault kind applied, nil when forwarded untouched.
    let fault: String?
    let status: Int?
    /// Body bytes written to the client socket (what the client could at most have received).
    let bytesSent: Int
    let complete: Bool
    /// The proxy's monotonic clock when the request arrived, in seconds.
    let time: Double
}

/// The process-wide proxies behind `FaultProxy.shared`, started once per configuration and never
/// stopped explicitly (they end with the test process, see `ChildProcess`).
private actor SharedFaultProxies {
    static let instance = SharedFaultProxies()
    private var proxies: [RegistryServer.Configuration: Task<FaultProxy, Error>] = [:]

    func proxy(for configuration: RegistryServer.Configuration) async throws -> FaultProxy {
        if let existing = proxies[configuration] { return try await existing.value }
        let starting = Task { try await FaultProxy.start(upstream: try await RegistryServer.shared(configuration)) }
        proxies[configuration] = starting
        do {
            return try await starting.value
        } catch {
            proxies[configuration] = nil
            throw error
        }
    }
}
