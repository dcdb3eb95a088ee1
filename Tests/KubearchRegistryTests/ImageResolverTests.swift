import Foundation
import Testing

@testable import KubearchRegistry

@Suite struct ImageResolverTests {
    func registry(tags: Int) -> FakeRegistry {
        var registry = FakeRegistry()
        for tag in 0..<tags { registry.put(repository: "app", tag: "t\(tag)", body: Samples.index, contentType: MediaType.ociIndex.rawValue) }
        return registry
    }

    @Test func concurrentDuplicateRequestsAreAskedOnce() async throws {
        let transport = registry(tags: 1).transport(delay: 0.05)
        let resolver = ImageResolver(client: RegistryClient(transport: transport, credentials: .none))
        let key = ImageKey(registry: "r.example", repository: "app", reference: "t0")
        async let first = resolver.resolve(key)
        async let second = resolver.resolve(key)
        async let many = resolver.resolve([key, key, key])
        let outcomes = await (first, second, many)
        #expect(try outcomes.0.get().platforms.count == 2)
        #expect(try outcomes.1.get() == outcomes.0.get())
        #expect(outcomes.2.count == 1)
        _ = await resolver.resolve(key)  // asked again later in the run: answered from memory
        #expect(await transport.log.requests.count == 1)
        #expect(await resolver.requestCount == 1)
    }

    @Test func concurrencyIsBoundedAndFailuresStayWithTheirImage() async throws {
        let transport = registry(tags: 20).transport(delay: 0.05)
        let resolver = ImageResolver(client: RegistryClient(transport: transport, credentials: .none), maxConcurrency: 3)
        var keys = (0..<20).map { ImageKey(registry: "r.example", repository: "app", reference: "t\($0)") }
        keys.append(ImageKey(registry: "r.example", repository: "app", reference: "missing"))
        let outcomes = await resolver.resolve(keys)
        #expect(outcomes.count == 21)
        #expect(outcomes.values.filter { (try? $0.get()) != nil }.count == 20)
        let missing = try #require(outcomes[ImageKey(registry: "r.example", repository: "app", reference: "missing")])
        #expect(throws: RegistryError.notFound(image: "r.example/app:missing")) { try missing.get() }
        let peak = await transport.log.maxInFlight
        #expect(peak <= 3 && peak >= 2)
    }

    /// Behind token auth, images waiting for a registry slot fetch their repository's token
    /// meanwhile: the registry still sees at most `maxConcurrency` requests at a time, but token
    /// requests run alongside them. One challenge, one token per repository, one GET per image.
    @Test func tokensAreFetchedWhileOtherImagesHoldTheRegistrySlots() async throws {
        var registry = FakeRegistry()
        registry.auth = .bearer(requiredBasic: nil)
        for number in 0..<6 {
            registry.put(repository: "team/app\(number)", tag: "v1", body: Samples.index, contentType: MediaType.ociIndex.rawValue)
        }
        let recorder = ExchangeRecorder(base: registry.transport(delay: 0.05), registryAuthority: "r.example")
        let resolver = ImageResolver(client: RegistryClient(transport: recorder, credentials: .none), maxConcurrency: 1)
        let keys = (0..<6).map { ImageKey(registry: "r.example", repository: "team/app\($0)", reference: "v1") }

        let outcomes = await resolver.resolve(keys)

        #expect(outcomes.values.compactMap { try? $0.get() }.count == 6)
        let exchanges = await recorder.log.exchanges
        #expect(exchanges.filter { $0.host == "auth.example" }.count == 6)
        #expect(exchanges.filter { $0.status == 401 }.count == 1)
        #expect(exchanges.count == 1 + 6 + 6)
        #expect(await recorder.log.registryPeak == 1)
        #expect(await recorder.log.peak == 2)
    }

    @Test func imageKeyDescription() {
        #expect(ImageKey(registry: "docker.io", repository: "library/nginx", reference: "1.27").description == "docker.io/library/nginx:1.27")
        let digest = "sha256:" + String(repeating: "a", count: 64)
        #expect(ImageKey(registry: "docker.io", repository: "library/nginx", reference: digest).description == "docker.io/library/nginx@\(digest)")
    }
}
