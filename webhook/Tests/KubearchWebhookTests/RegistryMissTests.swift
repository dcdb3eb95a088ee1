import Foundation
import KubearchCore
import Testing
@testable import KubearchWebhook

/// Images the lockfile does not know, asked of a real `docker-registry` on loopback through the
/// same client as `kubearch lock`, and of a registry that accepts connections and never answers.
@Suite(.serialized) struct RegistryMissTests {
    @Test func missIsAskedOfTheRegistryThenCached() async throws {
        let registry = try await RegistryServer.shared(.open)
        let repository = "webhook-\(UUID().uuidString.lowercased())/app"
        try await RegistryPusher(registry).pushImage(to: repository, tag: "1.0", platform: .linuxArm64)
        let harness = try await WebhookHarness.start(registry: true)
        defer { Task { await harness.stop() } }
        let image = "\(registry.host)/\(repository):1.0"

        let first = try await harness.review(WebhookFixtures.pod([image]))
        #expect(first.patch?.contains(#""values":["arm64"]"#) == true, "\(first.text)")
        #expect(try await harness.metric(#"kubearch_webhook_image_lookups_total{source="registry"}"#) == 1)

        let second = try await harness.review(WebhookFixtures.pod([image]))
        #expect(second.patch == first.patch)
        #expect(try await harness.metric(#"kubearch_webhook_image_lookups_total{source="cache"}"#) == 1)
        #expect(await harness.cache.registryLookups == 1)
    }

    /// A single-platform image gets the platform of its config blob, whatever it is.
    @Test func singlePlatformAmd64FromTheRegistry() async throws {
        let registry = try await RegistryServer.shared(.open)
        let repository = "webhook-\(UUID().uuidString.lowercased())/amd"
        let pushed = try await RegistryPusher(registry).pushImage(to: repository, tag: nil, platform: .linuxAmd64)
        let harness = try await WebhookHarness.start(registry: true)
        defer { Task { await harness.stop() } }
        let reply = try await harness.review(WebhookFixtures.pod(["\(registry.host)/\(repository)@\(pushed.digest)"]))
        #expect(reply.patch?.contains(#""values":["amd64"]"#) == true, "\(reply.text)")
    }

    @Test func concurrentMissesShareOneLookup() async throws {
        let registry = try await RegistryServer.shared(.open)
        let repository = "webhook-\(UUID().uuidString.lowercased())/shared"
        try await RegistryPusher(registry).pushImage(to: repository, tag: "2.0", platform: .linuxArm64)
        let harness = try await WebhookHarness.start(registry: true)
        defer { Task { await harness.stop() } }
        let image = "\(registry.host)/\(repository):2.0"
        let patches = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { try await harness.review(WebhookFixtures.pod([image])).patch } }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(patches.count == 8)
        #expect(patches.allSatisfy { $0?.contains("arm64") == true })
        #expect(await harness.cache.registryLookups == 1)
    }

    @Test func unknownImageFailsOpenWithAWarning() async throws {
        let registry = try await RegistryServer.shared(.open)
        let harness = try await WebhookHarness.start(registry: true)
        defer { Task { await harness.stop() } }
        let reply = try await harness.review(WebhookFixtures.pod(["\(registry.host)/webhook-missing/none:1.0"]))
        #expect(reply.allowed == true)
        #expect(reply.patch == nil)
        #expect(reply.warnings.contains { $0.contains("could not be resolved") }, "\(reply.warnings)")
        #expect(try await harness.metric(#"kubearch_webhook_registry_errors_total{kind="error"}"#) == 1)
        #expect(try await harness.metric(#"kubearch_webhook_requests_total{decision="failed-open"}"#) == 1)
    }

    /// The API server gives the webhook 3 s here: the registry gets 2 s (timeout − 1 s), then the
    /// pod is admitted unpatched with a warning; the lookup is not repeated per review.
    @Test func stalledRegistryFailsOpenWithinTheDeadline() async throws {
        let silent = try SilentServer()
        let harness = try await WebhookHarness.start(registry: true, registryTimeoutCap: .seconds(5))
        defer { Task { await harness.stop() } }
        let pod = WebhookFixtures.pod(["127.0.0.1:\(silent.port)/team/app:1.0"])
        let reply = try await harness.post(WebhookFixtures.review(of: pod, uid: "stalled"), path: "/mutate?timeout=3s")
        #expect(reply.status == 200)
        #expect(reply.allowed == true)
        #expect(reply.patch == nil)
        #expect(reply.warnings.contains { $0.contains("did not answer within 2000 ms") }, "\(reply.warnings)")
        // The time is curl's whole run (process start and TLS handshake included), so the upper
        // bound leaves room for a loaded CI machine; without the deadline it would be curl's 20 s.
        #expect(reply.seconds >= 1.9 && reply.seconds < 3.5, "answered after \(reply.seconds) s")
        #expect(try await harness.metric(#"kubearch_webhook_registry_errors_total{kind="timeout"}"#) == 1)
        let again = try await harness.post(WebhookFixtures.review(of: pod, uid: "stalled-2"), path: "/mutate?timeout=2s")
        #expect(again.allowed == true && again.seconds >= 0.9 && again.seconds < 2.5, "answered after \(again.seconds) s")
        #expect(await harness.cache.registryLookups == 1)
    }
}
