import Foundation
import KubearchRegistry

/// A running `Fixtures/recording_server.py`: answers on 127.0.0.1 and records every request with
/// its headers, so a test can prove what reached which host (127.0.0.1 and localhost are different
/// hosts for redirect rules but reach the same server). Routes: `/redirect?to=URL&status=302`,
/// `/hops/N` (N relative redirects then 200), `/status/CODE`, `/bytes/N`, `/chunked-bytes/N`,
/// anything else 200 "ok" (see the script).
final class RecordingServer: Sendable {
    let port: Int
    /// Set for an HTTPS server: the test CA to trust.
    let caFile: String?
    private let process: ChildProcess
    private let directory: URL

    /// Starts a private server; with `tls`, HTTPS with a fresh test CA (`caFile`).
    static func start(tls: Bool = false) async throws -> RecordingServer {
        let directory = try TestEnvironment.makeTemporaryDirectory("recording")
        let portFile = directory.appendingPathComponent("port")
        var arguments = [TestEnvironment.fixture("recording_server.py"), "--port-file", portFile.path]
        var caFile: String?
        if tls {
            let certificates = try await TestCertificates.make(in: directory)
            arguments += ["--tls-cert", certificates.serverCertificateFile, "--tls-key", certificates.serverKeyFile]
            caFile = certificates.caFile
        }
        let process = try ChildProcess(
            TestEnvironment.python, arguments, logFile: directory.appendingPathComponent("server.log"),
            cleanupDirectory: directory
        )
        let port = try await LoopbackPort.read(from: portFile, process: process)
        return RecordingServer(port: port, caFile: caFile, process: process, directory: directory)
    }

    private init(port: Int, caFile: String?, process: ChildProcess, directory: URL) {
        self.port = port
        self.caFile = caFile
        self.process = process
        self.directory = directory
    }

    var scheme: String { caFile == nil ? "http" : "https" }

    /// `<scheme>://<host>:<port><path>`; `host` is "127.0.0.1" or "localhost".
    func url(_ path: String, host: String = "127.0.0.1") -> URL {
        URL(string: "\(scheme)://\(host):\(port)\(path)")!
    }

    var security: TransportSecurity { TransportSecurity(caFile: caFile) }

    /// Requests recorded so far whose path starts with `pathPrefix`, oldest first.
    func recordedRequests(pathPrefix: String = "/") async throws -> [RecordedRequest] {
        let response = try await CurlTransport().send(HTTPRequest(url: url("/_requests"), security: security, timeout: 10))
        guard response.status == 200 else { throw TestSupportError.unexpectedResponse("/_requests: \(response.status)") }
        return try JSONDecoder().decode([RecordedRequest].self, from: response.body).filter { $0.path.hasPrefix(pathPrefix) }
    }

    func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// One request as the recording server saw it.
struct RecordedRequest: Decodable, Sendable {
    let method: String
    /// The request target as sent (path and query, or an absolute URL through a proxy).
    let path: String
    /// The `Host` header.
    let host: String
    /// Header fields in received order, as [name, value].
    let headers: [[String]]
    /// The body, decoded as Latin-1.
    let body: String
    /// The client's TCP port: requests with the same port came over one reused connection.
    let clientPort: Int

    /// The first value of a header, compared case-insensitively.
    func header(_ name: String) -> String? {
        headers.first { $0.first?.caseInsensitiveCompare(name) == .orderedSame }.flatMap { $0.count > 1 ? $0[1] : nil }
    }
}
