import Foundation
import Testing

@testable import KubearchRegistry

/// The test support (RegistryServer, RegistryPusher, TokenIssuer) against the real registry,
/// through CurlTransport: what later registry tests build on.
@Suite("HTTP registry round trips")
struct HTTPRegistryRoundTripTests {
    let transport = CurlTransport()

    private static let allManifestTypes = [
        "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ].joined(separator: ", ")

    private func repositoryName(_ prefix: String) -> String {
        "\(prefix)/\(UUID().uuidString.lowercased().prefix(12))"
    }

    @Test(arguments: [RegistryServer.Configuration.open, .basicAuth, .tls])
    func blobPushedIsPulledBackByDigest(configuration: RegistryServer.Configuration) async throws {
        let registry = try await RegistryServer.shared(configuration)
        let pusher = RegistryPusher(registry)
        let repository = repositoryName("blobs")
        let blob = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let digest = try await pusher.pushBlob(blob, to: repository)
        #expect(digest == "sha256:" + SHA256.hexDigest(blob))

        let response = try await transport.send(registry.request(
            "/v2/\(repository)/blobs/\(digest)", headers: try await pusher.authorizationHeaders(for: repository)
        ))
        #expect(response.status == 200)
        #expect(response.body == blob)
        #expect(response.header("Docker-Content-Digest") == digest)
    }

    @Test(arguments: [ManifestFormat.oci, .docker])
    func indexPushedIsServedWithItsMediaTypeAndDigest(format: ManifestFormat) async throws {
        let registry = try await RegistryServer.shared(.open)
        let pusher = RegistryPusher(registry)
        let repository = repositoryName("index")
        let amd64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxAmd64, format: format)
        let arm64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxArm64, format: format)
        let index = try await pusher.pushIndex(of: [amd64, arm64], to: repository, tag: "v1", format: format)

        let response = try await transport.send(registry.request(
            "/v2/\(repository)/manifests/v1", headers: [(name: "Accept", value: Self.allManifestTypes)]
        ))
        #expect(response.status == 200)
        #expect(response.body == index.data)
        #expect(response.header("Content-Type") == format.indexMediaType)
        #expect(response.header("Docker-Content-Digest") == index.digest)

        let child = try await transport.send(registry.request(
            "/v2/\(repository)/manifests/\(arm64.digest)", headers: [(name: "Accept", value: Self.allManifestTypes)]
        ))
        #expect(child.body == arm64.data)
        let config = try await transport.send(registry.request("/v2/\(repository)/blobs/\(try #require(arm64.configDigest))"))
        let decoded = try #require(try JSONSerialization.jsonObject(with: config.body) as? [String: Any])
        #expect(decoded["architecture"] as? String == "arm64")
        #expect(decoded["variant"] as? String == "v8")
    }

    @Test func tokenAuthChallengeTokenAndCount() async throws {
        let registry = try await RegistryServer.start(.tokenAuth)
        defer { registry.stop() }
        let issuer = try #require(registry.tokenIssuer)
        let repository = repositoryName("token")
        let pushed = try await RegistryPusher(registry).pushImage(to: repository, tag: "latest", platform: .linuxAmd64)

        let challenge = try await transport.send(registry.request("/v2/\(repository)/manifests/latest"))
        #expect(challenge.status == 401)
        let header = try #require(challenge.header("WWW-Authenticate"))
        #expect(header.hasPrefix("Bearer realm=\"\(issuer.realm.absoluteString)\""))
        #expect(header.contains("service=\"\(TokenIssuer.service)\""))
        #expect(header.contains("scope=\"repository:\(repository):pull\""))

        let scope = "repository:\(repository):pull"
        #expect(try await issuer.requestCount(scope: scope) == 0)
        let token = try await issuer.token(scope: scope)
        let pulled = try await transport.send(registry.request(
            "/v2/\(repository)/manifests/latest",
            headers: [(name: "Authorization", value: "Bearer \(token)"), (name: "Accept", value: Self.allManifestTypes)]
        ))
        #expect(pulled.status == 200)
        #expect(pulled.body == pushed.data)
        #expect(try await issuer.requestCount(scope: scope) == 1)
        // The pusher's one `pull,push` token (cached across its uploads) and this pull token.
        #expect(try await issuer.requestCount(scope: "repository:\(repository):pull,push") == 1)
        #expect(try await issuer.requestCount() == 2)

        // A token for another repository is not enough.
        let other = try await issuer.token(scope: "repository:elsewhere/x:pull")
        let refused = try await transport.send(registry.request(
            "/v2/\(repository)/manifests/latest", headers: [(name: "Authorization", value: "Bearer \(other)")]
        ))
        #expect(refused.status == 401)
        #expect(refused.header("WWW-Authenticate")?.contains("insufficient_scope") == true)
    }

    @Test func tokenIssuerChecksCredentialsAndAnonymousRules() async throws {
        let registry = try await RegistryServer.shared(.tokenAuthAnonymousPull)
        let issuer = try #require(registry.tokenIssuer)
        let repository = repositoryName("anon")
        try await RegistryPusher(registry).pushImage(to: repository, tag: "v1", platform: .linuxAmd64)

        var components = try #require(URLComponents(url: issuer.realm, resolvingAgainstBaseURL: false))
        components.queryItems = [
            URLQueryItem(name: "service", value: TokenIssuer.service),
            URLQueryItem(name: "scope", value: "repository:\(repository):pull,push"),
        ]
        let url = try #require(components.url)
        let anonymous = try await transport.send(HTTPRequest(url: url))
        #expect(anonymous.status == 200)
        let wrong = "Basic " + Data("\(RegistryServer.username):wrong".utf8).base64EncodedString()
        let rejected = try await transport.send(HTTPRequest(url: url, headers: [(name: "Authorization", value: wrong)]))
        #expect(rejected.status == 401)

        struct Token: Decodable { let token: String }
        let token = try JSONDecoder().decode(Token.self, from: anonymous.body).token
        let pull = try await transport.send(registry.request(
            "/v2/\(repository)/manifests/v1",
            headers: [(name: "Authorization", value: "Bearer \(token)"), (name: "Accept", value: Self.allManifestTypes)]
        ))
        #expect(pull.status == 200)
        // Anonymous got pull only: pushing with that token is refused.
        let push = try await transport.send(registry.request("/v2/\(repository)/blobs/uploads/", method: "POST", headers: [(name: "Authorization", value: "Bearer \(token)")]
        ))
        #expect(push.status == 401)

        // The OAuth2 form (POST) is served too.
        let form = "grant_type=password&service=\(TokenIssuer.service)&client_id=kubearch"
            + "&username=\(RegistryServer.username)&password=\(RegistryServer.password.replacingOccurrences(of: " ", with: "+"))"
            + "&scope=repository:\(repository):pull"
        let oauth = try await transport.send(HTTPRequest(
            method: "POST", url: issuer.realm,
            headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")], body: Data(form.utf8)
        ))
        #expect(oauth.status == 200)
        struct AccessToken: Decodable { let access_token: String }
        #expect(try JSONDecoder().decode(AccessToken.self, from: oauth.body).access_token.split(separator: ".").count == 3)

        let records = try await issuer.requests().filter { $0.scopes == ["repository:\(repository):pull,push"] }
        #expect(records.map(\.outcome).suffix(2) == ["granted", "bad credentials"])
        #expect(records.map(\.authenticated).suffix(2) == [false, false])
    }

    @Test func stoppedRegistryIsGoneAndItsFolderRemoved() async throws {
        let registry = try await RegistryServer.start(.open)
        #expect(try await transport.send(registry.request("/v2/")).status == 200)
        registry.stop()
        #expect(!FileManager.default.fileExists(atPath: registry.directory.path))
        await #expect(throws: HTTPTransportError.self) {
            try await transport.send(HTTPRequest(url: registry.url("/v2/"), timeout: 3))
        }
    }
}
