import Foundation
import Testing

@testable import KubearchRegistry

/// A real transport that also records how many requests were in flight at once.
private struct ConcurrencyGauge: HTTPTransport {
    let base: any HTTPTransport
    let state = GaugeState()

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        await state.begin()
        do {
            let response = try await base.send(request)
            await state.end()
            return response
        } catch {
            await state.end()
            throw error
        }
    }
}

private actor GaugeState {
    private(set) var current = 0
    private(set) var peak = 0

    func begin() {
        current += 1
        peak = max(peak, current)
    }

    func end() { current -= 1 }
}

/// `ImageResolver` over the real registry: many images, bounded concurrency, duplicates asked once,
/// and a failure that belongs to its image only.
@Suite("Registry integration: image resolver")
struct RegistryResolverIntegrationTests {
    @Test func twentyImagesConcurrentlyEachAskedOnce() async throws {
        let registry = try await RegistryServer.shared(.open)
        let pusher = RegistryPusher(registry)
        let repository = RegistryIntegration.repository("resolver")

        // Ten multi-platform indexes (OCI and Docker alternating) and ten single-platform images.
        let pushed = try await withThrowingTaskGroup(of: (String, String, [String]).self) { group in
            for number in 0..<10 {
                group.addTask {
                    let format: ManifestFormat = number.isMultiple(of: 2) ? .oci : .docker
                    let amd64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxAmd64, format: format)
                    let arm64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxArm64, format: format)
                    let index = try await pusher.pushIndex(of: [amd64, arm64], to: repository, tag: "multi-\(number)", format: format)
                    return ("multi-\(number)", index.digest, ["linux/amd64", "linux/arm64/v8"])
                }
                group.addTask {
                    let image = try await pusher.pushImage(to: repository, tag: "single-\(number)", platform: .linuxArmV7)
                    return ("single-\(number)", image.digest, ["linux/arm/v7"])
                }
            }
            var all: [String: (digest: String, platforms: [String])] = [:]
            for try await (tag, digest, platforms) in group { all[tag] = (digest, platforms) }
            return all
        }
        #expect(pushed.count == 20)

        let gauge = ConcurrencyGauge(base: RedirectingTransport(CurlTransport()))
        let client = RegistryClient(transport: gauge, credentials: .none, timeout: 20)
        let resolver = ImageResolver(client: client, maxConcurrency: 8)
        let key = { (tag: String) in ImageKey(registry: registry.host, repository: repository, reference: tag) }
        let missing = key("absent")
        let keys = pushed.keys.map(key) + [missing]
        // Every image twice in one call, and the whole list again from a concurrent caller.
        async let firstCaller = resolver.resolve(keys + keys.reversed())
        async let secondCaller = resolver.resolve(keys.shuffled())
        let (first, second) = await (firstCaller, secondCaller)

        #expect(first.count == 21)
        for (tag, expected) in pushed {
            let image = try #require(try first[key(tag)]?.get(), "\(tag)")
            #expect(image.digest == expected.digest)
            #expect(image.platforms.map(\.description) == expected.platforms)
            #expect(try second[key(tag)]?.get() == image)
        }
        if case .failure(.notFound(let image))? = first[missing] {
            #expect(image == missing.description)
        } else {
            Issue.record("expected notFound for \(missing), got \(String(describing: first[missing]))")
        }
        let failures = first.filter { if case .failure = $0.value { true } else { false } }
        #expect(failures.keys.map(\.reference) == ["absent"])

        // Each image asked once: one GET per index, manifest + config per single image, one 404.
        #expect(await resolver.requestCount == 10 * 1 + 10 * 2 + 1)
        #expect(await gauge.state.peak <= 8)
        #expect(await gauge.state.peak >= 1)

        // Asked again in this run: answered from the resolver, no request.
        _ = await resolver.resolve(keys)
        #expect(await resolver.requestCount == 31)
    }
}
