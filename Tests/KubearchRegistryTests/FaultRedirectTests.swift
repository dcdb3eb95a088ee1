import Foundation
import KubearchCore
import Testing

@testable import KubearchRegistry

/// Redirects injected in front of a real registry: credentials never follow to another host, and
/// https never turns into http.
@Suite("Faults: redirects in front of a real registry")
struct FaultRedirectTests {
    /// A credential store reading only a temporary docker `config.json` with `auths` for `host`.
    static func credentials(for host: String, username: String, password: String) throws -> (CredentialStore, URL) {
        let folder = try TestEnvironment.makeTemporaryDirectory("docker-config")
        let auth = Data("\(username):\(password)".utf8).base64EncodedString()
        let json = try JSONSerialization.data(withJSONObject: ["auths": [host: ["auth": auth]]])
        try json.write(to: folder.appendingPathComponent("config.json"))
        return (CredentialStore(environment: ["DOCKER_CONFIG": folder.path], homeDirectory: "/nonexistent"), folder)
    }

    /// The config blob is redirected to `localhost` (another host, as registries redirect blobs to
    /// storage): the image resolves, and the `Basic` credentials sent to 127.0.0.1 never reach localhost.
    @Test func blobRedirectToAnotherHostResolvesWithoutCarryingAuthorization() async throws {
        let proxy = try await FaultProxy.shared(.basicAuth)
        let registry = proxy.upstream
        let (store, folder) = try Self.credentials(
            for: proxy.host, username: RegistryServer.username, password: RegistryServer.password)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pusher = RegistryPusher(registry)
        let good = FaultInjectionTests.repositoryName("good")
        let goodImage = try await pusher.pushImage(to: good, tag: "v1", platform: .linuxArm64)
        let redirected = FaultInjectionTests.repositoryName("cross-host")
        let pushed = try await pusher.pushImage(to: redirected, tag: "v1", platform: .linuxAmd64)
        try await proxy.inject(
            .redirect(to: proxy.origin(host: "localhost"), target: .blobs, storageAuthorization: registry.basicAuthorization),
            repository: redirected)

        let resolver = FaultInjectionTests.resolver(timeout: 10, maxAttempts: 3, recorder: DelayRecorder(), credentials: store)
        let goodKey = ImageKey(registry: proxy.host, repository: good, reference: "v1")
        let key = ImageKey(registry: proxy.host, repository: redirected, reference: "v1")
        let outcomes = await resolver.resolve([goodKey, key])

        #expect(try outcomes[goodKey]?.get().digest == goodImage.digest)
        let image = try #require(try outcomes[key]?.get())
        #expect(image.digest == pushed.digest)
        #expect(image.platforms.map(\.description) == ["linux/amd64"])

        let records = try await proxy.log(repository: redirected)
        let atLocalhost = records.filter { $0.host.hasPrefix("localhost:") }
        let atLoopbackAddress = records.filter { $0.host.hasPrefix("127.0.0.1:") }
        #expect(atLocalhost.count == 1)
        #expect(atLocalhost.allSatisfy { $0.authorization == nil })
        // The credentials were in use on the registry's own host: what was dropped was real.
        #expect(atLoopbackAddress.contains { $0.authorization == registry.basicAuthorization })
    }

    /// The manifest itself is redirected to localhost, where the registry wants credentials the
    /// client must not send there: the image fails as unauthorized, the other one resolves.
    @Test func manifestRedirectToAnotherHostFailsRatherThanLeakCredentials() async throws {
        let proxy = try await FaultProxy.shared(.basicAuth)
        let registry = proxy.upstream
        let (store, folder) = try Self.credentials(
            for: proxy.host, username: RegistryServer.username, password: RegistryServer.password)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pusher = RegistryPusher(registry)
        let good = FaultInjectionTests.repositoryName("good")
        try await pusher.pushImage(to: good, tag: "v1", platform: .linuxArm64)
        let redirected = FaultInjectionTests.repositoryName("cross-host-manifest")
        try await pusher.pushImage(to: redirected, tag: "v1", platform: .linuxAmd64)
        try await proxy.inject(.redirect(to: proxy.origin(host: "localhost"), target: .manifests), repository: redirected)

        let resolver = FaultInjectionTests.resolver(timeout: 10, maxAttempts: 3, recorder: DelayRecorder(), credentials: store)
        let goodKey = ImageKey(registry: proxy.host, repository: good, reference: "v1")
        let key = ImageKey(registry: proxy.host, repository: redirected, reference: "v1")
        let outcomes = await resolver.resolve([goodKey, key])

        #expect(try outcomes[goodKey]?.get().platforms.map(\.description) == ["linux/arm64/v8"])
        let error = try #require(Self.failure(outcomes[key]))
        #expect(error.description.hasPrefix(key.description + ": unauthorized"), "\(error)")
        let records = try await proxy.log(repository: redirected)
        let atLocalhost = records.filter { $0.host.hasPrefix("localhost:") }
        #expect(!atLocalhost.isEmpty)
        #expect(atLocalhost.allSatisfy { $0.authorization == nil })
        #expect(records.contains { $0.host.hasPrefix("127.0.0.1:") && $0.authorization == registry.basicAuthorization })
        let description = error.description
        #expect(!description.contains(RegistryServer.password) && !description.contains(registry.basicAuthorization))
    }

    /// An https registry answering with a redirect to plain http: refused before anything is sent
    /// over http; the other image from the same registry resolves.
    @Test func httpsToHTTPRedirectIsRefused() async throws {
        let plain = try await FaultProxy.shared(.open)
        let tlsProxy = try await FaultProxy.start(upstream: plain.upstream, tls: true)
        defer { tlsProxy.stop() }
        let pusher = RegistryPusher(plain.upstream)
        let good = FaultInjectionTests.repositoryName("good")
        let goodImage = try await pusher.pushImage(to: good, tag: "v1", platform: .linuxAmd64)
        let downgraded = FaultInjectionTests.repositoryName("downgrade")
        try await pusher.pushImage(to: downgraded, tag: "v1", platform: .linuxAmd64)
        try await tlsProxy.inject(.redirect(to: plain.origin(), target: .manifests), repository: downgraded)

        let configuration = RegistryConfiguration(hosts: [tlsProxy.host: .init(caFile: tlsProxy.caFile)])
        let resolver = FaultInjectionTests.resolver(timeout: 10, maxAttempts: 3, recorder: DelayRecorder(), configuration: configuration)
        let goodKey = ImageKey(registry: tlsProxy.host, repository: good, reference: "v1")
        let key = ImageKey(registry: tlsProxy.host, repository: downgraded, reference: "v1")
        let outcomes = await resolver.resolve([goodKey, key])

        #expect(try outcomes[goodKey]?.get().digest == goodImage.digest)
        let error = try #require(Self.failure(outcomes[key]))
        #expect(error.description.hasPrefix(key.description + ": "))
        #expect(error.description.contains("https to http"), "\(error)")
        #expect(try await tlsProxy.log(repository: downgraded).filter { $0.fault == "redirect" }.count == 1)
        // Nothing reached the plain-http side.
        #expect(try await plain.log(repository: downgraded).isEmpty)
    }

    static func failure(_ outcome: Result<ResolvedImage, RegistryError>?) -> RegistryError? {
        if case .failure(let error)? = outcome { return error }
        return nil
    }
}
