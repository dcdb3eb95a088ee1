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

    @Test func imageKeyDescription() {
        #expect(ImageKey(registry: "docker.io", repository: "library/nginx", reference: "1.27").description == "docker.io/library/nginx:1.27")
        let digest = "sha256:" + String(repeating: "a", count: 64)
        #expect(ImageKey(registry: "docker.io", repository: "library/nginx", reference: digest).description == "docker.io/library/nginx@\(digest)")
    }
}
