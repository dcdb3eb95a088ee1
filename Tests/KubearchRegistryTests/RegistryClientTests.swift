import KubearchCore
import Foundation
import Testing

@testable import KubearchRegistry

@Suite("RegistryClient against an in-process fake transport")
struct RegistryClientTests {
    func client(
        _ transport: any HTTPTransport, configuration: RegistryConfiguration = RegistryConfiguration(),
        credentials: CredentialStore = .none, retry: RetryPolicy = RetryPolicy(sleep: { _ in })
    ) -> RegistryClient {
        RegistryClient(transport: transport, configuration: configuration, credentials: credentials, retry: retry)
    }

    @Test func resolvesAnIndexIgnoringAttestationsWithTheAcceptHeader() async throws {
        var registry = FakeRegistry()
        let digest = registry.put(repository: "team/app", tag: "1.0", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        let transport = registry.transport()
        let resolved = try await client(transport).platforms(registry: "registry.example.com", repository: "team/app", reference: "1.0")
        #expect(resolved.digest == digest)
        #expect(resolved.mediaType == .ociIndex)
        #expect(resolved.platforms.map(\.description) == ["linux/amd64", "linux/arm64/v8"])
        let requests = await transport.log.requests
        #expect(requests.count == 1)
        #expect(requests[0].url.absoluteString == "https://registry.example.com/v2/team/app/manifests/1.0")
        #expect(requests[0].headers.first { $0.name == "Accept" }?.value == MediaType.manifestAcceptHeader)
        #expect(requests[0].maxResponseBytes == 4 << 20)
    }

    @Test func singlePlatformImageTakesItsPlatformFromTheConfigBlob() async throws {
        var registry = FakeRegistry()
        let configDigest = registry.putBlob(Samples.armConfig)
        registry.put(repository: "app", tag: "v1", body: Samples.manifest(configDigest: configDigest), contentType: MediaType.dockerManifest.rawValue)
        let transport = registry.transport()
        let resolved = try await client(transport).platforms(registry: "localhost:5000", repository: "app", reference: "v1")
        #expect(resolved.platforms == [Platform(os: "linux", architecture: "arm64")])
        #expect(resolved.mediaType == .dockerManifest)
        let urls = await transport.log.requests.map(\.url.absoluteString)
        // Loopback: plain http without configuration.
        #expect(urls == ["http://localhost:5000/v2/app/manifests/v1", "http://localhost:5000/v2/app/blobs/\(configDigest)"])
    }

    @Test func schemaOneManifestUsesItsArchitecture() async throws {
        var registry = FakeRegistry()
        let body = try RegistryFixtures.data("containers-image/v2s1.manifest.json")
        registry.manifests["old:latest"] = (body, MediaType.dockerSchema1SignedManifest.rawValue)
        // Registries name a signed schema 1 manifest by the digest of its payload without signatures.
        registry.digestHeaderOverride["/v2/old/manifests/latest"] = "sha256:7364fea9d84ee548ab67d4c46c6006289800c98de3fbf8c0a97138dfcc23f000"
        let resolved = try await client(registry.transport()).platforms(registry: "127.0.0.1:5000", repository: "old", reference: "latest")
        #expect(resolved.platforms.map(\.description) == ["linux/amd64"])
        #expect(resolved.digest == "sha256:7364fea9d84ee548ab67d4c46c6006289800c98de3fbf8c0a97138dfcc23f000")
    }

    @Test func nestedIndexWithoutPlatformIsResolvedOneLevel() async throws {
        var registry = FakeRegistry()
        let childDigest = registry.put(repository: "app", tag: nil, body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        let top = Data("""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
             {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:\(String(repeating: "9", count: 64))","size":1,"platform":{"os":"linux","architecture":"ppc64le"}},
             {"mediaType":"application/vnd.oci.image.index.v1+json","digest":"\(childDigest)","size":1}]}
            """.utf8)
        registry.put(repository: "app", tag: "nested", body: top, contentType: MediaType.ociIndex.rawValue)
        let resolved = try await client(registry.transport()).platforms(registry: "r.example", repository: "app", reference: "nested")
        #expect(resolved.platforms.map(\.description) == ["linux/amd64", "linux/arm64/v8", "linux/ppc64le"])
    }

    @Test func digestMismatchAgainstTheHeaderIsDetected() async throws {
        var registry = FakeRegistry()
        registry.put(repository: "app", tag: "v1", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        let forged = "sha256:" + String(repeating: "0", count: 64)
        registry.digestHeaderOverride["/v2/app/manifests/v1"] = forged
        await #expect {
            try await client(registry.transport()).platforms(registry: "r.example", repository: "app", reference: "v1")
        } throws: { error in
            guard case .digestMismatch(let image, let expected, let actual) = error as? RegistryError else { return false }
            return image == "r.example/app:v1" && expected == forged && actual == ContentDigest.sha256(of: Samples.index).description
        }
    }

    @Test func digestMismatchAgainstTheReferenceIsDetected() async throws {
        var registry = FakeRegistry()
        let asked = "sha256:" + String(repeating: "a", count: 64)
        registry.manifests["app:\(asked)"] = (Samples.index, MediaType.ociIndex.rawValue)
        // The header even agrees with the asked digest: only hashing the bytes catches the lie.
        registry.digestHeaderOverride["/v2/app/manifests/\(asked)"] = asked
        await #expect {
            try await client(registry.transport()).platforms(registry: "r.example", repository: "app", reference: asked)
        } throws: { error in
            if case .digestMismatch(_, let expected, _) = error as? RegistryError { return expected == asked }
            return false
        }
    }

    @Test func configBlobDigestIsVerified() async throws {
        var registry = FakeRegistry()
        let configDigest = registry.putBlob(Samples.armConfig)
        registry.blobs[configDigest] = Data(#"{"architecture":"amd64","os":"linux"}"#.utf8)
        registry.put(repository: "app", tag: "v1", body: Samples.manifest(configDigest: configDigest), contentType: MediaType.dockerManifest.rawValue)
        await #expect {
            try await client(registry.transport()).platforms(registry: "r.example", repository: "app", reference: "v1")
        } throws: { error in
            if case .digestMismatch(_, let expected, _) = error as? RegistryError { return expected == configDigest }
            return false
        }
    }

    @Test func bearerTokenIsFetchedOncePerScopeAndReused() async throws {
        var registry = FakeRegistry()
        registry.auth = .bearer(requiredBasic: nil)
        for tag in ["a", "b", "c"] { registry.put(repository: "team/app", tag: tag, body: Samples.index, contentType: MediaType.ociIndex.rawValue) }
        registry.put(repository: "team/other", tag: "a", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        let transport = registry.transport()
        let client = client(transport)
        // Concurrent first requests in one scope share a single token request.
        try await withThrowingTaskGroup(of: ResolvedImage.self) { group in
            for tag in ["a", "b", "c", "a"] {
                group.addTask { try await client.platforms(registry: "r.example", repository: "team/app", reference: tag) }
            }
            for try await resolved in group { #expect(resolved.platforms.count == 2) }
        }
        _ = try await client.platforms(registry: "r.example", repository: "team/app", reference: "b")
        _ = try await client.platforms(registry: "r.example", repository: "team/other", reference: "a")
        let tokenRequests = await transport.log.count { $0.url.host == "auth.example" }
        #expect(tokenRequests == 2)  // one per scope: team/app, team/other
        let requests = await transport.log.requests
        let tokenRequest = try #require(requests.first { $0.url.host == "auth.example" })
        #expect(tokenRequest.url.query?.contains("scope=repository:team/app:pull") == true)
        #expect(!tokenRequest.headers.contains { $0.name == "Authorization" })  // anonymous: no credentials
        // The host's challenge is remembered: team/other got its token before its first request.
        let unauthorizedAttempts = requests.filter { $0.url.path.contains("team/other") && !$0.headers.contains { $0.name == "Authorization" } }
        #expect(unauthorizedAttempts.isEmpty)
        #expect(await client.requestCount == requests.count)
    }

    @Test func credentialsGoToTheTokenServiceAsBasicAuth() async throws {
        let home = try TemporaryFolder()
        let basic = "Basic " + Data("alice:s3cret".utf8).base64EncodedString()
        try home.write(".docker/config.json", #"{"auths":{"r.example":{"auth":"\#(Data("alice:s3cret".utf8).base64EncodedString())"}}}"#)
        var registry = FakeRegistry()
        registry.auth = .bearer(requiredBasic: basic)
        registry.put(repository: "private/app", tag: "v1", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        let store = CredentialStore(environment: [:], homeDirectory: home.path)
        let resolved = try await client(registry.transport(), credentials: store)
            .platforms(registry: "r.example", repository: "private/app", reference: "v1")
        #expect(resolved.platforms.count == 2)
    }

    @Test func basicChallengeIsAnsweredWithStoredCredentials() async throws {
        let home = try TemporaryFolder()
        try home.write(".docker/config.json", #"{"auths":{"https://r.example/v2/":{"username":"bob","password":"hunter2"}}}"#)
        var registry = FakeRegistry()
        registry.auth = .basic(expected: "Basic " + Data("bob:hunter2".utf8).base64EncodedString())
        registry.put(repository: "app", tag: "v1", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        registry.put(repository: "app", tag: "v2", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        let transport = registry.transport()
        let client = client(transport, credentials: CredentialStore(environment: [:], homeDirectory: home.path))
        _ = try await client.platforms(registry: "r.example", repository: "app", reference: "v1")
        _ = try await client.platforms(registry: "r.example", repository: "app", reference: "v2")
        // 401, retry, then the second image sends basic auth up front.
        #expect(await transport.log.requests.count == 3)
    }

    @Test func missingCredentialsGiveAnUnauthorizedErrorWithoutSecrets() async throws {
        var registry = FakeRegistry()
        registry.auth = .basic(expected: "Basic xyz")
        registry.put(repository: "app", tag: "v1", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        await #expect {
            try await client(registry.transport()).platforms(registry: "r.example", repository: "app", reference: "v1")
        } throws: { error in
            guard case .unauthorized = error as? RegistryError else { return false }
            return "\(error)".hasPrefix("r.example/app:v1: unauthorized")
        }
    }

    @Test func wrongCredentialsNeverAppearInTheError() async throws {
        let home = try TemporaryFolder()
        try home.write(".docker/config.json", #"{"auths":{"r.example":{"username":"carol","password":"TopSecretPassword"}}}"#)
        var registry = FakeRegistry()
        registry.auth = .bearer(requiredBasic: "Basic something-else")
        registry.put(repository: "app", tag: "v1", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        let store = CredentialStore(environment: [:], homeDirectory: home.path)
        do {
            _ = try await client(registry.transport(), credentials: store).platforms(registry: "r.example", repository: "app", reference: "v1")
            Issue.record("expected a failure")
        } catch {
            let shown = "\(error) \(String(reflecting: error))"
            #expect(shown.contains("unauthorized"))
            #expect(!shown.contains("TopSecretPassword"))
            #expect(!shown.contains(Data("carol:TopSecretPassword".utf8).base64EncodedString()))
        }
    }

    @Test func retriesA503ThenSucceeds() async throws {
        var registry = FakeRegistry()
        registry.put(repository: "app", tag: "v1", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        let recorder = SleepRecorder()
        let served = registry
        let transport = FakeTransport { request, number in
            number == 1 ? HTTPResponse(status: 503) : served.answer(request)
        }
        let resolved = try await client(transport, retry: .recording(recorder))
            .platforms(registry: "r.example", repository: "app", reference: "v1")
        #expect(resolved.platforms.count == 2)
        #expect(await transport.log.requests.count == 2)
        // Backoff after the first attempt: base 0.5 s, jitter fixed at 0.5 → 0.375 s.
        #expect(await recorder.delays == [0.375])
    }

    @Test func retriesConnectionFailures() async throws {
        var registry = FakeRegistry()
        registry.put(repository: "app", tag: "v1", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        let recorder = SleepRecorder()
        let served = registry
        let transport = FakeTransport { request, number in
            if number < 3 { throw HTTPTransportError.connectionFailed(url: request.url.absoluteString, reason: "refused") }
            return served.answer(request)
        }
        _ = try await client(transport, retry: .recording(recorder)).platforms(registry: "r.example", repository: "app", reference: "v1")
        #expect(await recorder.delays == [0.375, 0.75])
    }

    @Test func retryAfterSecondsAndDatesAreHonoured() async throws {
        var registry = FakeRegistry()
        registry.put(repository: "app", tag: "v1", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        let recorder = SleepRecorder()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let served = registry
        let transport = FakeTransport { request, number in
            switch number {
            case 1: HTTPResponse(status: 429, headers: [("Retry-After", "7")])
            case 2: HTTPResponse(status: 503, headers: [("retry-after", "Tue, 14 Nov 2023 22:13:32 GMT")])
            default: served.answer(request)
            }
        }
        _ = try await client(transport, retry: .recording(recorder, now: now)).platforms(registry: "r.example", repository: "app", reference: "v1")
        // 22:13:32 is 12 s after 1_700_000_000 (22:13:20 UTC).
        #expect(await recorder.delays == [7, 12])
    }

    @Test func persistent429EndsWithTooManyRetries() async throws {
        let recorder = SleepRecorder()
        let transport = FakeTransport { _, _ in HTTPResponse(status: 429) }
        await #expect(throws: RegistryError.tooManyRetries(image: "r.example/app:v1", attempts: 4, lastFailure: "HTTP 429 from r.example")) {
            try await client(transport, retry: .recording(recorder)).platforms(registry: "r.example", repository: "app", reference: "v1")
        }
        #expect(await transport.log.requests.count == 4)
        #expect(await recorder.delays.count == 3)
    }

    @Test func retryAfterBeyondTheLimitStopsAtOnce() async throws {
        let transport = FakeTransport { _, _ in HTTPResponse(status: 503, headers: [("Retry-After", "3600")]) }
        await #expect {
            try await client(transport, retry: .recording(SleepRecorder())).platforms(registry: "r.example", repository: "app", reference: "v1")
        } throws: { error in
            guard case .tooManyRetries(_, let attempts, let last) = error as? RegistryError else { return false }
            return attempts == 1 && last.contains("3600")
        }
    }

    @Test func notFoundAndDeniedAreTyped() async throws {
        let registry = FakeRegistry()
        await #expect(throws: RegistryError.notFound(image: "r.example/app:missing")) {
            try await client(registry.transport()).platforms(registry: "r.example", repository: "app", reference: "missing")
        }
        let denying = FakeTransport { _, _ in HTTPResponse(status: 403) }
        await #expect(throws: RegistryError.denied(image: "r.example/app:v1")) {
            try await client(denying).platforms(registry: "r.example", repository: "app", reference: "v1")
        }
    }

    @Test func oversizedAndMalformedAndArtifactManifestsAreRejected() async throws {
        var registry = FakeRegistry()
        registry.put(repository: "app", tag: "broken", body: Data("{not json".utf8), contentType: MediaType.ociManifest.rawValue)
        registry.put(
            repository: "app", tag: "chart", body: try RegistryFixtures.data("go-containerregistry/layout-helm-chart-artifact-manifest.json"),
            contentType: MediaType.ociManifest.rawValue)
        registry.put(repository: "app", tag: "big", body: Data(repeating: 32, count: 5 << 20), contentType: MediaType.ociManifest.rawValue)
        let client = client(registry.transport())
        await #expect(throws: RegistryError.malformedManifest(image: "r.example/app:broken", reason: "not valid JSON")) {
            try await client.platforms(registry: "r.example", repository: "app", reference: "broken")
        }
        await #expect {
            try await client.platforms(registry: "r.example", repository: "app", reference: "chart")
        } throws: { error in
            guard case .unsupportedMediaType(_, let type) = error as? RegistryError else { return false }
            return type.hasPrefix("application/vnd.cncf.helm.config.v1+json")
        }
        await #expect(throws: RegistryError.responseTooLarge(image: "r.example/app:big", limit: 4 << 20)) {
            try await client.platforms(registry: "r.example", repository: "app", reference: "big")
        }
    }

    @Test func invalidReferencesNeverReachTheNetwork() async throws {
        let transport = FakeTransport { _, _ in HTTPResponse(status: 500) }
        for (repository, reference) in [("../etc", "v1"), ("app", "../../x"), ("App", "v1"), ("app", "sha256:zz"), ("a//b", "v1")] {
            await #expect {
                try await client(transport).platforms(registry: "r.example", repository: repository, reference: reference)
            } throws: { error in
                if case .invalidReference = error as? RegistryError { return true }
                return false
            }
        }
        #expect(await transport.log.requests.isEmpty)
    }
}

@Suite("Registry endpoints")
struct RegistryEndpointTests {
    @Test(arguments: [
        // registry, configuration, expected manifest URL, expected security
        ("docker.io", RegistryConfiguration(), "https://registry-1.docker.io/v2/library/nginx/manifests/1.27", TransportSecurity()),
        ("index.docker.io", RegistryConfiguration(), "https://registry-1.docker.io/v2/library/nginx/manifests/1.27", TransportSecurity()),
        // A mirror's path is a repository namespace: it goes after `/v2/`, never before it.
        (
            "docker.io", RegistryConfiguration(hosts: ["docker.io": .init(mirrors: [URL(string: "http://127.0.0.1:5000/mirror/docker.io")!])]),
            "http://127.0.0.1:5000/v2/mirror/docker.io/library/nginx/manifests/1.27", TransportSecurity()
        ),
        (
            "docker.io", RegistryConfiguration(hosts: ["docker.io": .init(mirrors: [URL(string: "https://harbor.example.com/dockerhub-proxy")!])]),
            "https://harbor.example.com/v2/dockerhub-proxy/library/nginx/manifests/1.27", TransportSecurity()
        ),
        (
            "docker.io", RegistryConfiguration(hosts: ["docker.io": .init(mirrors: [URL(string: "https://mirror.example/")!])]),
            "https://mirror.example/v2/library/nginx/manifests/1.27", TransportSecurity()
        ),
        (
            "docker.io",
            RegistryConfiguration(hosts: [
                "docker.io": .init(mirrors: [URL(string: "https://mirror.example:8443/hub")!], caFile: "hub-ca.pem"),
                "mirror.example:8443": .init(caFile: "mirror-ca.pem"),
            ]),
            "https://mirror.example:8443/v2/hub/library/nginx/manifests/1.27", TransportSecurity(caFile: "mirror-ca.pem")
        ),
        ("localhost:5000", RegistryConfiguration(), "http://localhost:5000/v2/library/nginx/manifests/1.27", TransportSecurity()),
        ("127.0.0.2", RegistryConfiguration(), "http://127.0.0.2/v2/library/nginx/manifests/1.27", TransportSecurity()),
        ("[::1]:5000", RegistryConfiguration(), "http://[::1]:5000/v2/library/nginx/manifests/1.27", TransportSecurity()),
        (
            "localhost:5000", RegistryConfiguration(hosts: ["localhost:5000": .init(caFile: "ca.pem")]),
            "https://localhost:5000/v2/library/nginx/manifests/1.27", TransportSecurity(caFile: "ca.pem")
        ),
        (
            "registry.internal:5000", RegistryConfiguration(hosts: ["registry.internal:5000": .init(insecure: true)]),
            "https://registry.internal:5000/v2/library/nginx/manifests/1.27", TransportSecurity(insecure: true)
        ),
        ("127.example.com", RegistryConfiguration(), "https://127.example.com/v2/library/nginx/manifests/1.27", TransportSecurity()),
    ] as [(String, RegistryConfiguration, String, TransportSecurity)])
    func manifestURL(registry: String, configuration: RegistryConfiguration, expected: String, security: TransportSecurity) async throws {
        let transport = FakeTransport { _, _ in HTTPResponse(status: 404) }
        let client = RegistryClient(transport: transport, configuration: configuration, credentials: .none, retry: RetryPolicy(sleep: { _ in }))
        _ = try? await client.platforms(registry: registry, repository: "library/nginx", reference: "1.27")
        let request = try #require(await transport.log.requests.first)
        #expect(request.url.absoluteString == expected)
        #expect(request.security == security)
    }

    @Test func insecureHostFallsBackToPlainHTTPWhenTLSFails() async throws {
        var registry = FakeRegistry()
        registry.put(repository: "app", tag: "v1", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        registry.put(repository: "app", tag: "v2", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        let served = registry
        let transport = FakeTransport { request, _ in
            if request.url.scheme == "https" { throw HTTPTransportError.tlsFailed(url: request.url.absoluteString, reason: "wrong version number") }
            return served.answer(request)
        }
        let configuration = RegistryConfiguration(hosts: ["registry.internal:5000": .init(insecure: true)])
        let client = RegistryClient(transport: transport, configuration: configuration, credentials: .none)
        _ = try await client.platforms(registry: "registry.internal:5000", repository: "app", reference: "v1")
        _ = try await client.platforms(registry: "registry.internal:5000", repository: "app", reference: "v2")
        let schemes = await transport.log.requests.map { $0.url.scheme ?? "" }
        #expect(schemes == ["https", "http", "http"])
    }

    @Test func verifiedHostNeverFallsBackToPlainHTTP() async throws {
        let transport = FakeTransport { request, _ in throw HTTPTransportError.tlsFailed(url: request.url.absoluteString, reason: "bad cert") }
        let client = RegistryClient(transport: transport, credentials: .none)
        await #expect(throws: RegistryError.transport(image: "r.example/app:v1", reason: "TLS error talking to https://r.example/v2/app/manifests/v1: bad cert")) {
            try await client.platforms(registry: "r.example", repository: "app", reference: "v1")
        }
        #expect(await transport.log.requests.count == 1)
    }
}

@Suite struct IdentityTokenTests {
    @Test func identityTokenIsExchangedWithAnOAuthPost() async throws {
        let home = try TemporaryFolder()
        try home.write(".docker/config.json", #"{"auths":{"r.example":{"identitytoken":"refresh+me&now"}}}"#)
        let transport = FakeTransport { request, _ in
            if request.url.host == "auth.example" {
                return HTTPResponse(status: 200, body: Data(#"{"access_token":"granted","expires_in":120}"#.utf8))
            }
            if request.headers.contains(where: { $0 == ("Authorization", "Bearer granted") }) {
                return HTTPResponse(status: 200, headers: [("Content-Type", MediaType.ociIndex.rawValue)], body: Samples.index)
            }
            return HTTPResponse(status: 401, headers: [("WWW-Authenticate", #"Bearer realm="https://auth.example/token",service="svc""#)])
        }
        let client = RegistryClient(
            transport: transport, credentials: CredentialStore(environment: [:], homeDirectory: home.path), retry: RetryPolicy(sleep: { _ in }))
        let resolved = try await client.platforms(registry: "r.example", repository: "app", reference: "v1")
        #expect(resolved.platforms.count == 2)
        let tokenRequest = try #require(await transport.log.requests.first { $0.url.host == "auth.example" })
        #expect(tokenRequest.method == "POST")
        let form = String(decoding: tokenRequest.body ?? Data(), as: UTF8.self)
        #expect(form.contains("grant_type=refresh_token"))
        #expect(form.contains("refresh_token=refresh%2Bme%26now"))
        #expect(form.contains("scope=repository%3Aapp%3Apull"))
        #expect(form.contains("service=svc"))
    }
}
