import Foundation
import KubearchRegistry

/// A running `Fixtures/registry_token_issuer.py`: the bearer-token server a token-auth
/// `RegistryServer` points its clients at (`WWW-Authenticate: Bearer realm=…/token,service=…`).
///
/// Right credentials (`username`/`password`) get every requested repository action; anonymous callers
/// get `pull` only when started with `anonymousPull`, otherwise a token with no access (the registry
/// then answers 401 `insufficient_scope`); wrong credentials get 401 from the issuer.
/// Every token request is logged, so tests can prove a client caches tokens.
final class TokenIssuer: Sendable {
    static let service = "kubearch-test-registry"
    static let issuerName = "kubearch-test-token-issuer"

    let port: Int
    let username: String
    let password: String
    /// The token endpoint: `http://127.0.0.1:<port>/token`.
    let realm: URL
    /// PEM of the certificate whose key signs the tokens (the registry's `rootcertbundle`).
    let certificateFile: String
    private let process: ChildProcess

    /// Starts an issuer writing its files into `directory`.
    /// - Parameter repositories: when given, only these repository names are ever granted.
    static func start(
        in directory: URL, username: String, password: String, anonymousPull: Bool = false,
        repositories: [String]? = nil, expiresIn: Int = 300
    ) async throws -> TokenIssuer {
        let portFile = directory.appendingPathComponent("issuer.port")
        let certificateFile = directory.appendingPathComponent("issuer.pem").path
        var arguments = [
            TestEnvironment.fixture("registry_token_issuer.py"), "--port-file", portFile.path,
            "--cert-out", certificateFile, "--service", service, "--issuer", issuerName,
            "--user", username, "--password", password, "--expires-in", String(expiresIn),
        ]
        if anonymousPull { arguments.append("--anonymous-pull") }
        if let repositories { arguments += ["--repositories", repositories.joined(separator: ",")] }
        let process = try ChildProcess(
            TestEnvironment.python, arguments, logFile: directory.appendingPathComponent("issuer.log")
        )
        let port = try await LoopbackPort.read(from: portFile, process: process)
        return TokenIssuer(
            port: port, username: username, password: password, certificateFile: certificateFile, process: process
        )
    }

    private init(port: Int, username: String, password: String, certificateFile: String, process: ChildProcess) {
        self.port = port
        self.username = username
        self.password = password
        self.certificateFile = certificateFile
        self.process = process
        realm = URL(string: "http://127.0.0.1:\(port)/token")!
    }

    /// How many token requests were served; with `scope`, only those that asked for exactly that
    /// scope string (e.g. `repository:team/app:pull`; `RegistryPusher` asks for `…:pull,push`, so
    /// its requests are not counted under `…:pull`).
    func requestCount(scope: String? = nil) async throws -> Int {
        var components = URLComponents(string: "http://127.0.0.1:\(port)/count")!
        if let scope { components.queryItems = [URLQueryItem(name: "scope", value: scope)] }
        struct Count: Decodable { let count: Int }
        return try await Self.getJSON(components, as: Count.self).count
    }

    /// Every token request so far, oldest first.
    func requests() async throws -> [TokenRequestRecord] {
        try await Self.getJSON(URLComponents(string: "http://127.0.0.1:\(port)/requests")!, as: [TokenRequestRecord].self)
    }

    /// Fetches a token for `scope` (e.g. `repository:x:pull,push`) with the issuer's credentials.
    func token(scope: String) async throws -> String {
        var components = URLComponents(url: realm, resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "service", value: Self.service), URLQueryItem(name: "scope", value: scope),
        ]
        guard let url = components.url else { throw TestSupportError.unexpectedResponse("bad scope \(scope)") }
        let basic = Data("\(username):\(password)".utf8).base64EncodedString()
        let response = try await CurlTransport().send(
            HTTPRequest(url: url, headers: [(name: "Authorization", value: "Basic \(basic)")], timeout: 10)
        )
        struct Token: Decodable { let token: String }
        guard response.status == 200, let token = try? JSONDecoder().decode(Token.self, from: response.body) else {
            throw TestSupportError.unexpectedResponse("token: HTTP \(response.status)")
        }
        return token.token
    }

    func stop() {
        process.stop()
    }

    private static func getJSON<Value: Decodable>(_ components: URLComponents, as type: Value.Type) async throws -> Value {
        guard let url = components.url else { throw TestSupportError.unexpectedResponse("bad URL") }
        let response = try await CurlTransport().send(HTTPRequest(url: url, timeout: 10))
        guard response.status == 200 else {
            throw TestSupportError.unexpectedResponse("\(url.path): HTTP \(response.status)")
        }
        return try JSONDecoder().decode(Value.self, from: response.body)
    }
}

/// One request the token issuer served.
struct TokenRequestRecord: Decodable, Sendable {
    /// "GET" (docker token flow) or "POST" (OAuth2 password grant).
    let method: String
    /// The user name sent, nil when anonymous.
    let account: String?
    let authenticated: Bool
    /// The scopes asked for, each as sent (e.g. `repository:team/app:pull`).
    let scopes: [String]
    let service: String?
    /// "granted", "bad credentials" or "wrong service".
    let outcome: String
}
