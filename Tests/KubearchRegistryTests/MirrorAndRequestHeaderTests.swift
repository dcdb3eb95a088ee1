import Foundation
import KubearchCore
import Testing

@testable import KubearchRegistry

/// What is decided per request without a real server: which mirror errors move on to the next
/// candidate, the `User-Agent` of every request, and which proxy the environment names.
@Suite("Mirrors, User-Agent and proxies (in-process fake)")
struct MirrorAndRequestHeaderTests {
    private static let mirror = URL(string: "https://mirror.example/hub")!

    private static func client(_ transport: FakeTransport, fallback: Bool = true, userAgent: String = "kubearch/9.9.9") -> RegistryClient {
        RegistryClient(
            transport: transport,
            configuration: RegistryConfiguration(hosts: ["docker.io": .init(mirrors: [mirror], fallback: fallback)]),
            credentials: .none, retry: RetryPolicy(sleep: { _ in }), userAgent: userAgent)
    }

    /// A refusal is the user's problem to see, not a reason to ask elsewhere: the upstream is not asked.
    @Test(arguments: [401, 403])
    func aMirrorThatRefusesIsNotSkipped(status: Int) async throws {
        let transport = FakeTransport { _, _ in HTTPResponse(status: status) }
        await #expect(throws: RegistryError.self) {
            try await Self.client(transport).platforms(registry: "docker.io", repository: "library/nginx", reference: "1.27")
        }
        let hosts = await transport.log.requests.map { $0.url.host ?? "" }
        #expect(!hosts.contains("registry-1.docker.io"))
    }

    /// 404 (`MANIFEST_UNKNOWN`) and a 503 that outlasts the retries move on to the registry itself.
    @Test(arguments: [404, 503])
    func aMirrorWithoutTheImageOrFailingIsSkipped(status: Int) async throws {
        var upstream = FakeRegistry()
        let digest = upstream.put(repository: "library/nginx", tag: "1.27", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        let registry = upstream
        let transport = FakeTransport { request, _ in
            request.url.host == "mirror.example" ? HTTPResponse(status: status) : registry.answer(request)
        }
        let image = try await Self.client(transport).platforms(registry: "docker.io", repository: "library/nginx", reference: "1.27")
        #expect(image.digest == digest)
        #expect(image.source == "registry-1.docker.io")
        let urls = await transport.log.requests.map(\.url.absoluteString)
        let mirrorAttempts = status == 503 ? RetryPolicy().maxAttempts : 1
        #expect(urls == Array(repeating: "https://mirror.example/v2/hub/library/nginx/manifests/1.27", count: mirrorAttempts)
            + ["https://registry-1.docker.io/v2/library/nginx/manifests/1.27"])
    }

    @Test func everyRequestCarriesTheUserAgentTokenRequestsIncluded() async throws {
        var registry = FakeRegistry(auth: .bearer(requiredBasic: nil))
        let configDigest = registry.putBlob(Samples.armConfig)
        registry.put(repository: "hub/library/app", tag: "v1", body: Samples.manifest(configDigest: configDigest),
                     contentType: MediaType.dockerManifest.rawValue)
        let transport = registry.transport()
        _ = try await Self.client(transport, fallback: false).platforms(registry: "docker.io", repository: "library/app", reference: "v1")
        let requests = await transport.log.requests
        // 401, token, manifest (retried with the token), config blob.
        #expect(requests.count == 4)
        #expect(requests.contains { $0.url.absoluteString.hasPrefix(FakeRegistry.realm) })
        for request in requests {
            #expect(request.headers.filter { $0.name == "User-Agent" }.map(\.value) == ["kubearch/9.9.9"])
        }
    }

    @Test(arguments: [
        // environment, URL, expected proxy
        (["HTTPS_PROXY": "http://upper:3128"], "https://r.example/v2/", "http://upper:3128"),
        (["https_proxy": "http://lower:3128", "HTTPS_PROXY": "http://upper:3128"], "https://r.example/v2/", "http://lower:3128"),
        (["HTTP_PROXY": "http://upper:3128"], "http://127.0.0.1:5000/v2/", "http://upper:3128"),
        (["http_proxy": "http://lower:3128"], "http://r.example/v2/", "http://lower:3128"),
        (["HTTP_PROXY": "http://plain:3128"], "https://r.example/v2/", nil),
        (["ALL_PROXY": "socks5h://all:1080", "https_proxy": ""], "https://r.example/v2/", "socks5h://all:1080"),
        ([:], "https://r.example/v2/", nil),
    ] as [([String: String], String, String?)])
    func proxyFromTheEnvironment(environment: [String: String], url: String, expected: String?) throws {
        let proxies = ProxyEnvironment(environment: environment)
        #expect(proxies.proxy(for: try #require(URL(string: url))) == expected)
    }

    @Test func noProxyEitherCaseLowerWins() {
        #expect(ProxyEnvironment(environment: ["NO_PROXY": "127.0.0.1,.internal"]).noProxy == "127.0.0.1,.internal")
        #expect(ProxyEnvironment(environment: ["no_proxy": "localhost", "NO_PROXY": "*"]).noProxy == "localhost")
    }
}
