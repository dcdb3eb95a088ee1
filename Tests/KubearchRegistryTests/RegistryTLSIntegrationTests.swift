import Foundation
import Testing

@testable import KubearchRegistry

/// The client against the real registry serving HTTPS with a certificate from a throw-away CA.
@Suite("Registry integration: TLS")
struct RegistryTLSIntegrationTests {
    @Test func untrustedCertificateIsAClearTLSErrorAndTheCAFileFixesIt() async throws {
        let registry = try await RegistryServer.shared(.tls)
        let repository = RegistryIntegration.repository("tls")
        let pushed = try await RegistryPusher(registry).pushImage(to: repository, tag: "v1", platform: .linuxArm64)
        let image = "\(registry.host)/\(repository):v1"

        let untrusting = RegistryIntegration.client()
        let error = await #expect(throws: RegistryError.self) {
            try await untrusting.platforms(registry: registry.host, repository: repository, reference: "v1")
        }
        let failure = try #require(error)
        #expect(failure.image == image)
        // Asked over http first (loopback), refused with a 400 page, then over https: the
        // certificate is what fails, and the message says how to trust it.
        #expect(failure.description.contains("TLS error talking to https://\(registry.host)/v2/\(repository)/manifests/v1"))
        #expect(failure.description.lowercased().contains("certificate"))
        #expect(failure.description.contains("set caFile"))
        #expect(await untrusting.requestCount == 2)

        let caFile = try #require(registry.caFile)
        let trusting = RegistryIntegration.client(
            configuration: RegistryConfiguration(hosts: [registry.host: .init(caFile: caFile)]))
        let resolved = try await trusting.platforms(registry: registry.host, repository: repository, reference: "v1")
        #expect(resolved.digest == pushed.digest)
        #expect(resolved.platforms.map(\.description) == ["linux/arm64/v8"])
        #expect(await trusting.requestCount == 2)

        // `insecure: true`: https without verification. The first request learns the host speaks
        // only HTTPS; the config blob and later images go there directly.
        let insecure = RegistryIntegration.client(
            configuration: RegistryConfiguration(hosts: [registry.host: .init(insecure: true)]))
        let unverified = try await insecure.platforms(registry: registry.host, repository: repository, reference: "v1")
        #expect(unverified.digest == pushed.digest)
        #expect(await insecure.requestCount == 3)
        _ = try await insecure.platforms(registry: registry.host, repository: repository, reference: "v1")
        #expect(await insecure.requestCount == 5)
    }

    @Test func basicAuthOverTLS() async throws {
        let registry = try await RegistryServer.shared(.tlsBasicAuth)
        let repository = RegistryIntegration.repository("tls-basic")
        let pushed = try await RegistryPusher(registry).pushImage(to: repository, tag: "v1", platform: .linuxArmV7, format: .docker)
        let folder = try TestEnvironment.makeTemporaryDirectory("docker-config")
        defer { try? FileManager.default.removeItem(at: folder) }
        let auth = Data("\(RegistryServer.username):\(RegistryServer.password)".utf8).base64EncodedString()
        try JSONSerialization.data(withJSONObject: ["auths": [registry.host: ["auth": auth]]])
            .write(to: folder.appendingPathComponent("config.json"))

        let caFile: String = try #require(registry.caFile)
        let client = RegistryIntegration.client(
            configuration: RegistryConfiguration(hosts: [registry.host: .init(caFile: caFile)]),
            credentials: CredentialStore(environment: ["DOCKER_CONFIG": folder.path], homeDirectory: folder.path))
        let resolved = try await client.platforms(registry: registry.host, repository: repository, reference: "v1")
        #expect(resolved.digest == pushed.digest)
        #expect(resolved.platforms.map(\.description) == ["linux/arm/v7"])
    }
}
