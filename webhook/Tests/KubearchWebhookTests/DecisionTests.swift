import Foundation
import KubearchCore
import Testing
@testable import KubearchWebhook

/// Denials, annotations and the warnings of the same judgement as `kubearch check`.
@Suite(.serialized) struct DecisionTests {
    @Test func noCommonArchitectureIsDeniedNamingTheImages() async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        let reply = try await harness.review(WebhookFixtures.pod([WebhookFixtures.armOnly, WebhookFixtures.amdOnly]))
        #expect(reply.status == 200)
        #expect(reply.allowed == false)
        #expect(reply.patch == nil && reply.response?["patchType"] == nil)
        let status = try #require(reply.response?["status"] as? [String: Any])
        #expect(status["code"] as? Int == 403)
        let message = try #require(status["message"] as? String)
        #expect(message.contains("share no architecture"), "\(message)")
        #expect(try await harness.metric(#"kubearch_webhook_requests_total{decision="denied"}"#) == 1)
    }

    @Test func noCommonArchitectureCanBeAllowedWithAWarning() async throws {
        let harness = try await WebhookHarness.start(allowNoCommonArchitecture: true)
        defer { Task { await harness.stop() } }
        let reply = try await harness.review(WebhookFixtures.pod([WebhookFixtures.armOnly, WebhookFixtures.amdOnly]))
        #expect(reply.allowed == true)
        #expect(reply.patch == nil)
        #expect(reply.warnings.contains { $0.contains("share no architecture") }, "\(reply.warnings)")
    }

    /// An image only for an architecture the cluster lacks: S = I ∩ C is empty.
    @Test func imageForAnotherArchitectureIsDenied() async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        #expect(try await harness.review(WebhookFixtures.pod([WebhookFixtures.s390xOnly])).allowed == false)
    }

    @Test func ignoreAnnotationLeavesThePodAlone() async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        let all = try await harness.review(WebhookFixtures.pod([WebhookFixtures.armOnly], annotations: ["kubearch.dev/ignore": "all"]))
        #expect(all.allowed == true && all.patch == nil)
        let ka004 = try await harness.review(WebhookFixtures.pod([WebhookFixtures.armOnly], annotations: ["kubearch.dev/ignore": "KA004"]))
        #expect(ka004.allowed == true && ka004.patch == nil)
        #expect(try await harness.metric(#"kubearch_webhook_skips_total{reason="ignored"}"#) == 1)
    }

    @Test func architectureAnnotationIsTheOwnersChoice() async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        let reply = try await harness.review(WebhookFixtures.pod([WebhookFixtures.multiArch], annotations: ["kubearch.dev/architecture": "arm64"]))
        #expect(reply.patch?.contains(#""values":["arm64"]"#) == true, "\(reply.patch ?? "none")")
    }

    /// A nodeSelector that contradicts the images cannot be narrowed by a patch (SPEC §5: KA003 is
    /// not fixable for nodeSelector): admitted with the finding as a warning.
    @Test func conflictingNodeSelectorIsWarnedAbout() async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        let reply = try await harness.review(WebhookFixtures.pod([WebhookFixtures.armOnly], spec: ["nodeSelector": ["kubernetes.io/arch": "amd64"]]))
        #expect(reply.allowed == true)
        #expect(reply.patch == nil)
        #expect(reply.warnings.contains { $0.contains("KA003") || $0.contains("amd64") }, "\(reply.warnings)")
    }

    @Test func healthAndMetricsOnThePlainPort() async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        _ = try await harness.review(WebhookFixtures.pod([WebhookFixtures.armOnly]))
        #expect(try await harness.get("/healthz").contains("ok"))
        #expect(try await harness.get("/readyz").contains("ok"))
        #expect(try await harness.metric(#"kubearch_webhook_patches_total{architectures="arm64"}"#) == 1)
        #expect(try await harness.metric(#"kubearch_webhook_image_lookups_total{source="lockfile"}"#) == 1)
        #expect(try await harness.metric("kubearch_webhook_request_duration_seconds_count") == 1)
        #expect(harness.logLines.all.contains { $0.contains("namespace=team pod=web decision=patched") }, "\(harness.logLines.all)")
    }
}
