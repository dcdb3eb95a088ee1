import Foundation
import Testing
@testable import KubearchWebhook

/// cert-manager renews the Secret and the kubelet swaps the mounted files: new connections get
/// the new certificate without a restart; a pair that does not load keeps the old one.
@Suite struct CertificateReloadTests {
    @Test func newCertificateIsServedWithoutARestart() async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        let pod = WebhookFixtures.pod([WebhookFixtures.armOnly])
        #expect(try await harness.review(pod).patch != nil)
        let certificatePath = harness.server.certificatePath
        let keyPath = harness.server.keyPath

        // A broken certificate file: the old pair goes on serving.
        try Data("-----BEGIN CERTIFICATE-----\ngarbage\n".utf8).write(to: URL(fileURLWithPath: certificatePath))
        try await Task.sleep(for: .milliseconds(1100))
        #expect(try await harness.review(pod).patch != nil)

        // The renewed pair, from another CA, moved into place as the kubelet does (rename).
        let renewed = try await ServiceCertificates.make(in: harness.directory, name: "renewed")
        try FileManager.default.removeItem(atPath: keyPath)
        try FileManager.default.moveItem(atPath: renewed.key, toPath: keyPath)
        try FileManager.default.removeItem(atPath: certificatePath)
        try FileManager.default.moveItem(atPath: renewed.certificate, toPath: certificatePath)
        try await Task.sleep(for: .milliseconds(1100))
        _ = try? await harness.post(Data("{}".utf8))  // the first connection after the change triggers the reload
        let reply = try await harness.post(WebhookFixtures.review(of: pod, uid: "renewed"), caFile: renewed.ca)
        #expect(reply.patch != nil)
        await #expect(throws: (any Error).self) { try await harness.post(WebhookFixtures.review(of: pod, uid: "old"), caFile: harness.caFile) }
        #expect(harness.logLines.all.contains { $0.contains("reloaded the certificate") })
        #expect(harness.logLines.all.contains { $0.contains("kept the previous certificate") })
    }
}
