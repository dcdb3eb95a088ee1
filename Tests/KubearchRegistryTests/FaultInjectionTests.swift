import Foundation
import KubearchCore
import Testing

@testable import KubearchRegistry

/// One fault injected between `ImageResolver` and a real registry, and what must come of it.
struct FaultCase: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        case resolves
        /// The error's description holds each fragment (or one of a fragment's `|`-separated
        /// alternatives); `{manifest}` and `{config}` stand for the faulty image's pushed manifest
        /// and config digests.
        case fails([String])
    }

    var name: String
    var fault: Fault
    var outcome: Outcome
    /// Requests the proxy must have answered with the fault.
    var faulted: Int
    /// Client whole-request timeout (short only where the fault is slowness).
    var timeout: Double = 10
    var maxAttempts = 3
    /// The waits the retry policy must have asked for (`Retry-After` honoured), when checked.
    var delays: [Double]? = nil

    var testDescription: String { name }

    static let hundredMegabytes = 100 << 20

    static let all: [FaultCase] = [
        // The good image shares the short timeout: 2 s, and a retry, leave room for a loaded machine.
        FaultCase(name: "slow past the timeout", fault: .delay(6), outcome: .fails(["timed out", "after 2 attempts"]),
            faulted: 2, timeout: 2, maxAttempts: 2),
        FaultCase(name: "slow once, then fast", fault: .delay(6, times: 1), outcome: .resolves, faulted: 1, timeout: 2),
        FaultCase(name: "stalls mid-body", fault: .stall(6), outcome: .fails(["timed out", "after 2 attempts"]),
            faulted: 2, timeout: 2, maxAttempts: 2),
        FaultCase(name: "connection reset mid-body", fault: .reset(), outcome: .fails(["Connection reset|transfer closed", "after 3 attempts"]), faulted: 3),
        FaultCase(name: "connection reset once", fault: .reset(times: 1), outcome: .resolves, faulted: 1),
        FaultCase(name: "500 twice", fault: .status(500, times: 2), outcome: .resolves, faulted: 2),
        FaultCase(name: "502 twice", fault: .status(502, times: 2), outcome: .resolves, faulted: 2),
        FaultCase(name: "503 twice", fault: .status(503, times: 2), outcome: .resolves, faulted: 2),
        FaultCase(name: "500 always", fault: .status(500), outcome: .fails(["gave up after 3 attempts", "HTTP 500"]), faulted: 3),
        FaultCase(name: "502 always", fault: .status(502), outcome: .fails(["gave up after 3 attempts", "HTTP 502"]), faulted: 3),
        FaultCase(name: "503 always", fault: .status(503), outcome: .fails(["gave up after 3 attempts", "HTTP 503"]), faulted: 3),
        FaultCase(name: "429 Retry-After 1, once", fault: .status(429, times: 1, retryAfter: "1"), outcome: .resolves,
            faulted: 1, delays: [1]),
        FaultCase(name: "429 Retry-After 1, always", fault: .status(429, retryAfter: "1"),
            outcome: .fails(["gave up after 3 attempts", "HTTP 429"]), faulted: 3, delays: [1, 1]),
        FaultCase(name: "503 Retry-After 120 (too long to wait)", fault: .status(503, retryAfter: "120"),
            outcome: .fails(["gave up after 1 attempt", "HTTP 503", "retry after 120 s"]), faulted: 1, delays: []),
        FaultCase(name: "manifest with a flipped byte", fault: .flippedByte,
            outcome: .fails(["digest mismatch", "expected {manifest}"]), faulted: 1),
        FaultCase(name: "config blob with a flipped byte", fault: Fault(kind: "flipByte", target: .blobs),
            outcome: .fails(["digest mismatch", "expected {config}"]), faulted: 1),
        FaultCase(name: "invalid JSON", fault: .invalidJSON, outcome: .fails(["malformed manifest"]), faulted: 1),
        FaultCase(name: "100 MB manifest with Content-Length", fault: .huge(bytes: hundredMegabytes, chunked: false),
            outcome: .fails(["larger than \(4 << 20) bytes"]), faulted: 1),
        FaultCase(name: "100 MB manifest, chunked", fault: .huge(bytes: hundredMegabytes, chunked: true),
            outcome: .fails(["larger than \(4 << 20) bytes"]), faulted: 1),
        FaultCase(name: "endless redirect loop", fault: .redirectLoop, outcome: .fails(["too many redirects"]), faulted: 11),
    ]
}

/// Records the retry policy's waits instead of sleeping.
actor DelayRecorder {
    private(set) var delays: [Double] = []

    func record(_ seconds: Double) { delays.append(seconds) }
}

/// Faults injected by `FaultProxy` between the registry client and a real registry: each run ends in
/// bounded time, the failure names the image and the fault, and the other images of the same
/// resolve call still resolve.
@Suite("Faults between the registry client and a real registry")
struct FaultInjectionTests {
    static let generousBound: Double = 40

    static func repositoryName(_ label: String) -> String {
        "faults/\(label)/\(UUID().uuidString.lowercased().prefix(12))"
    }

    /// A client through `RedirectingTransport(CurlTransport())`, as the CLI builds it.
    static func resolver(
        timeout: Double, maxAttempts: Int, recorder: DelayRecorder?, configuration: RegistryConfiguration = RegistryConfiguration(),
        credentials: CredentialStore = .none
    ) -> ImageResolver {
        let sleep: @Sendable (Double) async throws -> Void =
            if let recorder { { seconds in await recorder.record(seconds) } } else { RetryPolicy.taskSleep }
        let retry = RetryPolicy(maxAttempts: maxAttempts, baseDelay: 0.01, maxDelay: 0.05, sleep: sleep)
        let client = RegistryClient(
            transport: RedirectingTransport(CurlTransport()), configuration: configuration, credentials: credentials,
            retry: retry, timeout: timeout)
        return ImageResolver(client: client)
    }

    /// A multi-platform image that must resolve whatever happens to the others.
    struct GoodImage {
        var key: ImageKey
        var index: PushedManifest

        static func push(through proxy: FaultProxy) async throws -> GoodImage {
            let pusher = RegistryPusher(proxy.upstream)
            let repository = repositoryName("good")
            let amd64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxAmd64)
            let arm64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxArm64)
            let index = try await pusher.pushIndex(of: [amd64, arm64], to: repository, tag: "v1")
            return GoodImage(key: ImageKey(registry: proxy.host, repository: repository, reference: "v1"), index: index)
        }

        func expectResolved(_ outcome: Result<ResolvedImage, RegistryError>?) {
            guard case .success(let image)? = outcome else {
                Issue.record("the good image \(key) did not resolve: \(String(describing: outcome))")
                return
            }
            #expect(image.digest == index.digest)
            #expect(image.platforms.map(\.description) == ["linux/amd64", "linux/arm64/v8"])
        }
    }

    /// Pushes a single-platform image to a fresh repository and sets the case's fault on it.
    static func prepare(_ fault: FaultCase, through proxy: FaultProxy) async throws -> (ImageKey, PushedManifest) {
        let repository = repositoryName("faulty")
        let pushed = try await RegistryPusher(proxy.upstream).pushImage(to: repository, tag: "v1", platform: .linuxAmd64)
        try await proxy.inject(fault.fault, repository: repository)
        return (ImageKey(registry: proxy.host, repository: repository, reference: "v1"), pushed)
    }

    /// Checks one faulty image's outcome and what the proxy saw of it.
    static func check(
        _ fault: FaultCase, key: ImageKey, pushed: PushedManifest, outcome: Result<ResolvedImage, RegistryError>?, proxy: FaultProxy
    ) async throws {
        switch (fault.outcome, outcome) {
        case (.resolves, .success(let image)?):
            #expect(image.digest == pushed.digest)
            #expect(image.platforms.map(\.description) == ["linux/amd64"])
        case (.fails(let fragments), .failure(let error)?):
            #expect(error.image == key.description)
            let text = error.description
            #expect(text.hasPrefix(key.description + ": "), "\(text)")
            for fragment in fragments {
                let wanted = fragment.replacingOccurrences(of: "{manifest}", with: pushed.digest)
                    .replacingOccurrences(of: "{config}", with: pushed.configDigest ?? "?")
                let alternatives = wanted.split(separator: "|").map(String.init)
                #expect(alternatives.contains { text.contains($0) }, "\(fault.name): \(text) lacks \(wanted)")
            }
        default:
            Issue.record("\(fault.name): expected \(fault.outcome), got \(String(describing: outcome))")
        }
        let records = try await proxy.log(repository: key.repository, waitingForCompletion: fault.fault.kind == "huge")
        let faulted = records.filter { $0.fault != nil }
        #expect(faulted.count == fault.faulted, "\(fault.name): \(faulted.count) faulted requests")
        if fault.fault.kind == "huge" {
            // The client stopped reading long before 100 MB: what it could hold is bounded.
            let sent = try #require(faulted.first).bytesSent
            #expect(sent < 32 << 20, "\(fault.name): the proxy could send \(sent) bytes")
        }
    }

    @Test(arguments: FaultCase.all)
    func faultStaysWithItsImage(_ fault: FaultCase) async throws {
        let proxy = try await FaultProxy.shared(.open)
        let good = try await GoodImage.push(through: proxy)
        let (key, pushed) = try await Self.prepare(fault, through: proxy)
        let recorder = DelayRecorder()
        let resolver = Self.resolver(timeout: fault.timeout, maxAttempts: fault.maxAttempts, recorder: recorder)

        let started = Date()
        let outcomes = await resolver.resolve([good.key, key])
        let elapsed = Date().timeIntervalSince(started)

        #expect(elapsed < Self.generousBound, "\(fault.name) took \(elapsed) s")
        good.expectResolved(outcomes[good.key])
        try await Self.check(fault, key: key, pushed: pushed, outcome: outcomes[key], proxy: proxy)
        if let delays = fault.delays {
            #expect(await recorder.delays == delays)
        }
    }

    @Test func everyFaultAtOnceInOneResolveCall() async throws {
        let proxy = try await FaultProxy.shared(.open)
        let good = try await GoodImage.push(through: proxy)
        // Slowness needs the short timeout; faults whose count depends on attempts keep theirs.
        let cases = FaultCase.all.filter { $0.maxAttempts == 3 && $0.timeout == 10 }
        var prepared: [(FaultCase, ImageKey, PushedManifest)] = []
        for fault in cases {
            let (key, pushed) = try await Self.prepare(fault, through: proxy)
            prepared.append((fault, key, pushed))
        }
        let resolver = Self.resolver(timeout: 10, maxAttempts: 3, recorder: DelayRecorder())
        let started = Date()
        let outcomes = await resolver.resolve([good.key] + prepared.map(\.1))
        #expect(Date().timeIntervalSince(started) < Self.generousBound)
        #expect(outcomes.count == prepared.count + 1)
        good.expectResolved(outcomes[good.key])
        for (fault, key, pushed) in prepared {
            try await Self.check(fault, key: key, pushed: pushed, outcome: outcomes[key], proxy: proxy)
        }
    }

    @Test func retryAfterIsWaitedForReal() async throws {
        let proxy = try await FaultProxy.shared(.open)
        let (key, pushed) = try await Self.prepare(
            FaultCase(name: "429", fault: .status(429, times: 1, retryAfter: "1"), outcome: .resolves, faulted: 1), through: proxy)
        let resolver = Self.resolver(timeout: 10, maxAttempts: 3, recorder: nil)

        let started = Date()
        let outcome = await resolver.resolve(key)
        let elapsed = Date().timeIntervalSince(started)

        #expect(try outcome.get().digest == pushed.digest)
        #expect(elapsed >= 0.95 && elapsed < Self.generousBound, "took \(elapsed) s")
        let manifests = try await proxy.log(repository: key.repository).filter { $0.path.contains("/manifests/") }
        try #require(manifests.count == 2)
        #expect(manifests[0].status == 429 && manifests[1].status == 200)
        // The backoff alone would have waited about 10 ms.
        #expect(manifests[1].time - manifests[0].time >= 0.95)
    }
}
