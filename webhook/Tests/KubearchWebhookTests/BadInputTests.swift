import Foundation
import NIOPosix
import Testing
@testable import KubearchWebhook

/// What the API server, a proxy or an attacker might send: a 4xx or an `allowed: true` answer with
/// a warning, never a crash, never a hang; the server answers the next review as before.
@Suite(.serialized) struct BadInputTests {
    static func reviewText(_ request: String) -> Data {
        Data(#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":\#(request)}"#.utf8)
    }

    struct BadBody: CustomTestStringConvertible, Sendable {
        var name: String
        var body: Data
        var status: Int
        var message: String
        var testDescription: String { name }
    }

    static let badBodies: [BadBody] = [
        BadBody(name: "not JSON", body: Data("this is not json".utf8), status: 400, message: "not a JSON object"),
        BadBody(name: "truncated JSON", body: Data(#"{"apiVersion":"admission.k8s.io/v1","kind":"Adm"#.utf8), status: 400, message: "not valid JSON"),
        BadBody(name: "empty body", body: Data(), status: 400, message: "not a JSON object"),
        BadBody(
            name: "wrong GVK", body: Data(#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"x"}}"#.utf8),
            status: 400, message: "expected apiVersion admission.k8s.io/v1"),
        BadBody(name: "missing request", body: Data(#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#.utf8), status: 400, message: "no request"),
        BadBody(name: "request without uid", body: reviewText(#"{"kind":{"kind":"Pod"},"object":{}}"#), status: 400, message: "no uid"),
        BadBody(name: "request without object", body: reviewText(#"{"uid":"u1","kind":{"kind":"Pod","version":"v1"},"operation":"CREATE"}"#), status: 400, message: "no object"),
        BadBody(name: "a JSON array", body: Data("[1,2,3]".utf8), status: 400, message: "not a JSON object"),
    ]

    @Test(arguments: badBodies)
    func malformedReviewsAre400(_ bad: BadBody) async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        let reply = try await harness.post(bad.body)
        #expect(reply.status == bad.status)
        #expect(reply.text.contains(bad.message), "\(reply.text)")
        #expect(try await harness.get("/healthz").contains("ok"))
        #expect(try await harness.review(WebhookFixtures.pod([WebhookFixtures.armOnly])).patch != nil)
    }

    @Test func tenMegabytePodIs413AndTheServerGoesOn() async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        var pod = WebhookFixtures.pod([WebhookFixtures.armOnly])
        pod["metadata"] = ["name": "big", "annotations": ["filler": String(repeating: "x", count: 10 << 20)]]
        let reply = try await harness.review(pod)
        #expect(reply.status == 413)
        #expect(reply.seconds < 10)
        #expect(try await harness.review(WebhookFixtures.pod([WebhookFixtures.armOnly])).patch != nil)
    }

    @Test func unknownKindIsAllowedWithAWarning() async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        let deployment: [String: Any] = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "d"], "spec": [:]]
        let uid = UUID().uuidString
        let reply = try await harness.post(WebhookFixtures.review(of: deployment, uid: uid, kind: "Deployment", group: "apps"))
        #expect(reply.status == 200)
        #expect(reply.response?["uid"] as? String == uid)
        #expect(reply.allowed == true)
        #expect(reply.patch == nil)
        #expect(reply.warnings.contains { $0.contains("apps/v1, Kind=Deployment is not a Pod") }, "\(reply.warnings)")
    }

    @Test func podWithMalformedContainersIsAllowedWithAWarning() async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        let pod: [String: Any] = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"], "spec": ["containers": "not a list"]]
        let reply = try await harness.review(pod)
        #expect(reply.status == 200)
        #expect(reply.allowed == true)
        #expect(reply.patch == nil)
        #expect(reply.warnings.contains { $0.contains("could not judge the pod") }, "\(reply.warnings)")
    }

    @Test func updatesAndOtherPathsAndMethods() async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        let update = try await harness.review(WebhookFixtures.pod([WebhookFixtures.armOnly]), operation: "UPDATE")
        #expect(update.allowed == true && update.patch == nil)
        #expect(try await harness.post(Data("{}".utf8), path: "/other").status == 404)
        #expect(try await harness.post(Data(), method: "GET").status == 405)
    }

    /// A client that connects and sends half a request does not hold up others.
    @Test func aStalledClientDoesNotBlockOthers() async throws {
        let harness = try await WebhookHarness.start()
        defer { Task { await harness.stop() } }
        let stalled = try await TCPHalfRequest.open(port: harness.server.port)
        defer { stalled.close() }
        let reply = try await harness.review(WebhookFixtures.pod([WebhookFixtures.armOnly]))
        #expect(reply.patch != nil)
        #expect(reply.seconds < 5)
    }
}

/// A TCP connection that sends a few bytes (by default the start of a TLS handshake) and then nothing.
final class TCPHalfRequest: Sendable {
    let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    static func open(port: Int, sending bytes: [UInt8] = [0x16, 0x03, 0x01]) async throws -> TCPHalfRequest {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestSupportError.toolFailed("connect: errno \(errno)") }
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        return TCPHalfRequest(descriptor: fd)
    }

    func close() { _ = Glibc.close(descriptor) }
}

/// A connection that sends half a request and then nothing is closed once idle.
@Suite struct IdleConnectionTests {
    @Test func idleConnectionIsClosed() async throws {
        let server = try await HTTPServer.start(
            host: "127.0.0.1", port: 0, group: MultiThreadedEventLoopGroup.singleton, tls: nil, idleTimeout: .milliseconds(300)
        ) { _ in .text(.ok, "ok") }
        defer { Task { try? await server.close() } }
        let connection = try await TCPHalfRequest.open(port: server.port, sending: Array("POST /mutate HTTP/1.1\r\nHost: x\r\n".utf8))
        defer { connection.close() }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection.descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let started = ContinuousClock.now
        var byte: UInt8 = 0
        let received = recv(connection.descriptor, &byte, 1, 0)
        let elapsed = ContinuousClock.now - started
        #expect(received <= 0, "the server should close, not answer")
        #expect(elapsed < .seconds(4), "closed after \(elapsed)")
    }
}
