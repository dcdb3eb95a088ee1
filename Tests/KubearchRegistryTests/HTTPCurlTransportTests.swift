import Foundation
import Testing

@testable import KubearchRegistry

/// CurlTransport against a real registry and loopback helper servers.
@Suite("HTTP CurlTransport")
struct HTTPCurlTransportTests {
    let transport = CurlTransport()

    @Test func openRegistryAnswersVersionCheck() async throws {
        let registry = try await RegistryServer.shared(.open)
        let response = try await transport.send(registry.request("/v2/"))
        #expect(response.status == 200)
        #expect(response.header("docker-distribution-api-version") == "registry/2.0")
    }

    /// URLSession on Linux hangs here; libcurl must hand back the 401 at once.
    @Test func basicAuthRegistryAnswers401WithChallengeWithoutHanging() async throws {
        let registry = try await RegistryServer.shared(.basicAuth)
        var request = registry.request("/v2/")
        request.timeout = 5
        let response = try await transport.send(request)
        #expect(response.status == 401)
        let challenge = try #require(response.header("WWW-Authenticate"))
        #expect(challenge.hasPrefix("Basic "))
        #expect(challenge.contains("realm=\"kubearch-test\""))
        // A 401 answer, not a `timedOut` error at 5 s, is the proof that nothing hung.
    }

    @Test func basicAuthRegistryAcceptsRightCredentialsOnly() async throws {
        let registry = try await RegistryServer.shared(.basicAuth)
        let good = try await transport.send(
            registry.request("/v2/", headers: [(name: "Authorization", value: registry.basicAuthorization)])
        )
        #expect(good.status == 200)
        let wrong = "Basic " + Data("\(RegistryServer.username):nope".utf8).base64EncodedString()
        let bad = try await transport.send(registry.request("/v2/", headers: [(name: "Authorization", value: wrong)]))
        #expect(bad.status == 401)
    }

    @Test func tlsRegistryIsRefusedWithoutItsCA() async throws {
        let registry = try await RegistryServer.shared(.tls)
        let request = HTTPRequest(url: registry.url("/v2/"), timeout: 10)
        let error = await #expect(throws: HTTPTransportError.self) { try await transport.send(request) }
        guard case .tlsFailed(let url, let reason)? = error else {
            Issue.record("expected tlsFailed, got \(String(describing: error))")
            return
        }
        #expect(url.hasPrefix("https://127.0.0.1:"))
        #expect(reason.localizedCaseInsensitiveContains("certificate"), "reason: \(reason)")
    }

    @Test(arguments: ["127.0.0.1", "localhost"])
    func tlsRegistryIsTrustedWithItsCA(host: String) async throws {
        let registry = try await RegistryServer.shared(.tls)
        let caFile = try #require(registry.caFile)
        let url = try #require(URL(string: "https://\(host):\(registry.port)/v2/"))
        let response = try await transport.send(HTTPRequest(url: url, security: TransportSecurity(caFile: caFile)))
        #expect(response.status == 200)
    }

    @Test func insecureSkipsVerification() async throws {
        let registry = try await RegistryServer.shared(.tls)
        let request = HTTPRequest(url: registry.url("/v2/"), security: TransportSecurity(insecure: true))
        #expect(try await transport.send(request).status == 200)
    }

    @Test func caFileForOneHostDoesNotBreakSystemTrustOrOtherRequests() async throws {
        // The same transport talks to a TLS registry with its CA and, right after, to plain HTTP.
        let registry = try await RegistryServer.shared(.tls)
        let open = try await RegistryServer.shared(.open)
        #expect(try await transport.send(registry.request("/v2/")).status == 200)
        #expect(try await transport.send(open.request("/v2/")).status == 200)
        let withoutCA = HTTPRequest(url: registry.url("/v2/"), timeout: 10)
        await #expect(throws: HTTPTransportError.self) { try await transport.send(withoutCA) }
    }

    @Test(arguments: ["/bytes/100000", "/chunked-bytes/100000"])
    func responseLargerThanTheCapIsRefused(path: String) async throws {
        let server = try await RecordingServer.start()
        defer { server.stop() }
        let request = HTTPRequest(url: server.url(path), timeout: 10, maxResponseBytes: 1000)
        await #expect(throws: HTTPTransportError.responseTooLarge(url: request.url.absoluteString, limit: 1000)) {
            try await transport.send(request)
        }
        // Exactly at the cap is fine.
        let atCap = HTTPRequest(url: server.url(path.replacingOccurrences(of: "100000", with: "1000")), maxResponseBytes: 1000)
        #expect(try await transport.send(atCap).body.count == 1000)
    }

    // The thrown `timedOut` is the proof: without the timeout the transfer would wait forever (and
    // the time limit would end the test). Wall-clock upper bounds are not asserted: other tests in
    // the same process can keep this one from resuming for a while on a two-core machine.
    @Test(.timeLimit(.minutes(1))) func serverThatNeverAnswersTimesOut() async throws {
        let silent = try SilentServer()
        let request = HTTPRequest(url: silent.baseURL.appendingPathComponent("v2/"), timeout: 1)
        let started = Date()
        await #expect(throws: HTTPTransportError.timedOut(url: request.url.absoluteString)) {
            try await transport.send(request)
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 0.9, "gave up after \(elapsed) s, before its 1 s timeout")
    }

    @Test func closedPortIsAConnectionFailure() async throws {
        let port = try LoopbackPort.free()
        let request = HTTPRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)/v2/")), timeout: 5)
        let error = await #expect(throws: HTTPTransportError.self) { try await transport.send(request) }
        guard case .connectionFailed(_, let reason)? = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(!reason.isEmpty)
    }

    @Test func nonHTTPURLIsRejectedBeforeAnyTransfer() async throws {
        let request = HTTPRequest(url: try #require(URL(string: "file:///etc/passwd")))
        await #expect(throws: HTTPTransportError.self) { try await transport.send(request) }
        let injected = HTTPRequest(url: try #require(URL(string: "http://127.0.0.1:1/")), headers: [(name: "X", value: "a\r\nB: c")])
        await #expect(throws: HTTPTransportError.self) { try await transport.send(injected) }
    }

    @Test(arguments: [
        ("Bearer " + String(repeating: "a", count: 4096), false), ("a\nb", true), ("a\rb", true), ("a\r\nb", true),
        ("caf\u{e9}", false), ("a\u{2028}b", true), ("a\u{85}b", true), ("\u{e9}\u{c}", true), ("", false),
    ])
    func lineBreaksInHeaderValuesAreFound(value: String, expected: Bool) {
        #expect(CurlTransport.hasLineBreak(value) == expected)
        #expect(CurlTransport.hasLineBreak(value) == value.contains(where: \.isNewline))
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        let server = try await RecordingServer.start()
        defer { server.stop() }
        let response = try await transport.send(HTTPRequest(url: server.url("/redirect?to=/elsewhere&status=307")))
        #expect(response.status == 307)
        #expect(response.header("location") == "/elsewhere")
        let recorded = try await server.recordedRequests()
        #expect(recorded.map(\.path) == ["/redirect?to=/elsewhere&status=307"])
    }

    @Test func methodHeadersAndBodyAreSentAsGiven() async throws {
        let server = try await RecordingServer.start()
        defer { server.stop() }
        let body = Data((0..<3000).map { UInt8(truncatingIfNeeded: $0) })
        let put = HTTPRequest(
            method: "PUT", url: server.url("/upload"),
            headers: [(name: "Content-Type", value: "application/octet-stream"), (name: "X-Trace", value: "one")],
            body: body
        )
        #expect(try await transport.send(put).status == 200)
        _ = try await transport.send(HTTPRequest(method: "POST", url: server.url("/start")))
        _ = try await transport.send(HTTPRequest(method: "DELETE", url: server.url("/gone")))
        let head = try await transport.send(HTTPRequest(method: "HEAD", url: server.url("/bytes/50")))
        #expect(head.status == 200 && head.body.isEmpty && head.header("Content-Length") == "50")

        let recorded = try await server.recordedRequests()
        #expect(recorded.map(\.method) == ["PUT", "POST", "DELETE", "HEAD"])
        let upload = try #require(recorded.first)
        #expect(Data(upload.body.unicodeScalars.map { UInt8($0.value) }) == body)
        #expect(upload.header("X-Trace") == "one")
        #expect(upload.header("Content-Type") == "application/octet-stream")
        // No `Expect: 100-continue` round trip, no form content type nobody asked for.
        #expect(upload.header("Expect") == nil)
        #expect(recorded[1].header("Content-Length") == "0")
        #expect(recorded[1].header("Content-Type") == nil)
    }

    @Test func consecutiveRequestsReuseOneConnection() async throws {
        let server = try await RecordingServer.start()
        defer { server.stop() }
        let ownTransport = CurlTransport()
        for index in 0..<5 {
            _ = try await ownTransport.send(HTTPRequest(url: server.url("/reuse/\(index)")))
        }
        let ports = Set(try await server.recordedRequests(pathPrefix: "/reuse/").map(\.clientPort))
        #expect(ports.count == 1)
    }

    /// Eight transfers stuck on a silent server must not stop other work: each runs on its own
    /// thread, not on Swift concurrency's cooperative pool (two threads on this machine).
    @Test(.timeLimit(.minutes(1))) func blockedTransfersDoNotStarveOtherTasks() async throws {
        let silent = try SilentServer()
        let registry = try await RegistryServer.shared(.open)
        let order = CompletionOrder()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let request = HTTPRequest(url: silent.baseURL, timeout: 8)
                    _ = try? await transport.send(request)
                    await order.record("blocked")
                }
            }
            try await Task.sleep(nanoseconds: 200_000_000)
            #expect(try await transport.send(registry.request("/v2/")).status == 200)
            await order.record("quick")
            try await group.waitForAll()
        }
        // Starved, the quick request would only run once the blocked ones had timed out.
        let events = await order.events
        #expect(events.first == "quick", "\(events)")
        #expect(events.count == 9)
    }

    // The request would time out after 20 s with `timedOut`; `CancellationError` proves the cancel
    // aborted it (no wall-clock bound: see serverThatNeverAnswersTimesOut).
    @Test(.timeLimit(.minutes(1))) func cancellingTheTaskAbortsTheTransfer() async throws {
        let silent = try SilentServer()
        let task = Task { try await transport.send(HTTPRequest(url: silent.baseURL, timeout: 20)) }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func onlyTheFinalResponseHeadersAreKept() async throws {
        // An upload large enough that libcurl would normally ask for `100 Continue`; the server's
        // headers must be those of the final answer, once each.
        let registry = try await RegistryServer.shared(.open)
        let repository = "headers/\(UUID().uuidString.lowercased())"
        let response = try await transport.send(registry.request("/v2/\(repository)/blobs/uploads/", method: "POST"))
        #expect(response.status == 202)
        #expect(response.headers(named: "Location").count == 1)
        #expect(response.headers(named: "Docker-Upload-UUID").count == 1)
        #expect(!response.headers.contains { $0.name.hasPrefix("HTTP/") })
    }
}

/// The order in which concurrent work finished.
private actor CompletionOrder {
    private(set) var events: [String] = []
    func record(_ event: String) { events.append(event) }
}
