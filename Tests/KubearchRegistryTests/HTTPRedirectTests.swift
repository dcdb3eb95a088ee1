import Foundation
import Testing

@testable import KubearchRegistry

/// An in-process transport answering from a table, recording what it was sent.
private final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: the recorded requests are behind the lock.
    private let lock = NSLock()
    private var sent: [HTTPRequest] = []
    private let answer: @Sendable (HTTPRequest) -> HTTPResponse

    init(answer: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        self.answer = answer
    }

    var requests: [HTTPRequest] { lock.withLock { sent } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { sent.append(request) }
        return answer(request)
    }

    /// Redirects every URL listed in `hops` to its value; anything else answers 200.
    static func redirecting(_ hops: [String: (status: Int, location: String)]) -> ScriptedTransport {
        ScriptedTransport { request in
            if let hop = hops[request.url.absoluteString] {
                return HTTPResponse(status: hop.status, headers: [(name: "Location", value: hop.location)])
            }
            return HTTPResponse(status: 200, body: Data("final".utf8))
        }
    }
}

private func authorization(_ request: HTTPRequest) -> String? {
    request.headers.first { $0.name.caseInsensitiveCompare("authorization") == .orderedSame }?.value
}

@Suite("HTTP RedirectingTransport rules")
struct HTTPRedirectRulesTests {
    @Test(arguments: [
        ("https://r.example/v2/a/blobs/x", "/storage/x", "https://r.example/storage/x"),
        ("https://r.example/v2/a/blobs/x", "../../b/y", "https://r.example/v2/b/y"),
        ("https://r.example/v2/a/blobs/x", "?sig=1", "https://r.example/v2/a/blobs/x?sig=1"),
        ("https://r.example/v2/a/blobs/x", "https://cdn.example/z?sig=2", "https://cdn.example/z?sig=2"),
        ("https://r.example/v2/a/blobs/x", "//cdn.example/z", "https://cdn.example/z"),
    ])
    func locationIsResolvedAgainstTheAnsweringURL(from: String, location: String, expected: String) async throws {
        let base = ScriptedTransport.redirecting([from: (302, location)])
        let response = try await RedirectingTransport(base).send(HTTPRequest(url: try #require(URL(string: from))))
        #expect(response.status == 200)
        #expect(base.requests.map(\.url.absoluteString) == [from, expected])
    }

    @Test(arguments: [
        ("https://r.example/a", "https://r.example/b", true),
        ("https://r.example/a", "https://R.EXAMPLE:443/b", true),
        ("https://r.example/a", "https://cdn.example/b", false),
        ("https://r.example/a", "https://r.example:8443/b", false),
        ("http://r.example/a", "https://r.example/b", false),
        ("http://127.0.0.1:5000/a", "http://localhost:5000/b", false),
    ])
    func authorizationFollowsOnlyWithinOneOrigin(from: String, to: String, kept: Bool) async throws {
        let base = ScriptedTransport.redirecting([from: (307, to)])
        let request = HTTPRequest(url: try #require(URL(string: from)), headers: [(name: "Authorization", value: "Bearer t")])
        _ = try await RedirectingTransport(base).send(request)
        let followed = try #require(base.requests.last)
        #expect(authorization(followed) == (kept ? "Bearer t" : nil))
    }

    @Test func authorizationStaysDroppedWhenARedirectComesBack() async throws {
        let base = ScriptedTransport.redirecting([
            "https://r.example/a": (302, "https://cdn.example/b"),
            "https://cdn.example/b": (302, "https://r.example/c"),
        ])
        let request = HTTPRequest(
            url: try #require(URL(string: "https://r.example/a")),
            headers: [(name: "authorization", value: "Basic x"), (name: "Accept", value: "a/b")]
        )
        _ = try await RedirectingTransport(base).send(request)
        #expect(base.requests.map(authorization) == ["Basic x", nil, nil])
        #expect(base.requests.last?.headers.first?.value == "a/b")
    }

    @Test func httpsToHttpIsRefused() async throws {
        let base = ScriptedTransport.redirecting(["https://r.example/a": (301, "http://r.example/a")])
        let request = HTTPRequest(url: try #require(URL(string: "https://r.example/a")))
        await #expect(throws: RedirectError.insecureRedirect(from: "https://r.example/a", to: "http://r.example/a")) {
            try await RedirectingTransport(base).send(request)
        }
        #expect(base.requests.count == 1)
    }

    @Test func httpToHttpsIsFollowed() async throws {
        let base = ScriptedTransport.redirecting(["http://r.example/a": (301, "https://r.example/a")])
        let response = try await RedirectingTransport(base).send(HTTPRequest(url: try #require(URL(string: "http://r.example/a"))))
        #expect(response.status == 200)
    }

    @Test func tenHopsAreFollowedAndTheEleventhIsAnError() async throws {
        func chain(_ length: Int) -> [String: (status: Int, location: String)] {
            Dictionary(uniqueKeysWithValues: (0..<length).map { ("https://r.example/\($0)", (302, "/\($0 + 1)")) })
        }
        let ten = ScriptedTransport.redirecting(chain(10))
        let start = try #require(URL(string: "https://r.example/0"))
        #expect(try await RedirectingTransport(ten).send(HTTPRequest(url: start)).status == 200)
        #expect(ten.requests.count == 11)

        let eleven = ScriptedTransport.redirecting(chain(11))
        await #expect(throws: RedirectError.tooManyRedirects(url: "https://r.example/0", limit: 10)) {
            try await RedirectingTransport(eleven).send(HTTPRequest(url: start))
        }
        #expect(eleven.requests.count == 11)
    }

    @Test func seeOtherTurnsIntoAGetWithoutBody() async throws {
        let base = ScriptedTransport.redirecting(["https://r.example/up": (303, "/done")])
        let request = HTTPRequest(
            method: "POST", url: try #require(URL(string: "https://r.example/up")),
            headers: [(name: "Content-Type", value: "application/json")], body: Data("{}".utf8)
        )
        _ = try await RedirectingTransport(base).send(request)
        let followed = try #require(base.requests.last)
        #expect(followed.method == "GET")
        #expect(followed.body == nil)
        #expect(followed.headers.isEmpty)
    }

    @Test(arguments: [("HEAD", 303), ("GET", 303), ("PUT", 307), ("POST", 308)])
    func otherRedirectsKeepMethodAndBody(method: String, status: Int) async throws {
        let base = ScriptedTransport.redirecting(["https://r.example/x": (status, "/y")])
        let body: Data? = method == "PUT" || method == "POST" ? Data("payload".utf8) : nil
        let request = HTTPRequest(method: method, url: try #require(URL(string: "https://r.example/x")), body: body)
        _ = try await RedirectingTransport(base).send(request)
        #expect(base.requests.last?.method == method)
        #expect(base.requests.last?.body == body)
    }

    @Test(arguments: [300, 304, 302])
    func nonRedirectsOrRedirectsWithoutLocationAreReturned(status: Int) async throws {
        let base = ScriptedTransport { _ in HTTPResponse(status: status) }
        let response = try await RedirectingTransport(base).send(HTTPRequest(url: try #require(URL(string: "https://r.example/"))))
        #expect(response.status == status)
        #expect(base.requests.count == 1)
    }

    @Test func nonHTTPLocationIsAnError() async throws {
        let base = ScriptedTransport.redirecting(["https://r.example/a": (302, "ftp://files.example/a")])
        await #expect(throws: RedirectError.self) {
            try await RedirectingTransport(base).send(HTTPRequest(url: try #require(URL(string: "https://r.example/a"))))
        }
    }
}

/// The same rules over real sockets: CurlTransport wrapped in RedirectingTransport.
@Suite("HTTP redirects over loopback")
struct HTTPRedirectLoopbackTests {
    let transport = RedirectingTransport(CurlTransport())

    @Test func tenRelativeHopsArriveAndElevenAreRefused() async throws {
        let server = try await RecordingServer.start()
        defer { server.stop() }
        let arrived = try await transport.send(HTTPRequest(url: server.url("/hops/10")))
        #expect(arrived.status == 200)
        #expect(String(decoding: arrived.body, as: UTF8.self) == "arrived")
        let start = server.url("/hops/11")
        await #expect(throws: RedirectError.tooManyRedirects(url: start.absoluteString, limit: 10)) {
            try await transport.send(HTTPRequest(url: start))
        }
    }

    /// 127.0.0.1 and localhost reach the same server but are different hosts: the recording server
    /// proves the credentials were sent to the first and not to the second.
    @Test func authorizationIsNotSentToAnotherHost() async throws {
        let server = try await RecordingServer.start()
        defer { server.stop() }
        let target = server.url("/landing/other-host", host: "localhost").absoluteString
        let start = try #require(URL(string: server.url("/redirect").absoluteString + "?to=" + target))
        let request = HTTPRequest(url: start, headers: [(name: "Authorization", value: "Bearer secret-token")])
        #expect(try await transport.send(request).status == 200)

        let recorded = try await server.recordedRequests()
        #expect(recorded.count == 2)
        #expect(recorded.first?.header("Authorization") == "Bearer secret-token")
        #expect(recorded.first?.host == "127.0.0.1:\(server.port)")
        let landing = try #require(recorded.last)
        #expect(landing.path == "/landing/other-host")
        #expect(landing.host == "localhost:\(server.port)")
        #expect(landing.header("Authorization") == nil)
    }

    @Test func authorizationIsKeptOnTheSameHost() async throws {
        let server = try await RecordingServer.start()
        defer { server.stop() }
        let start = try #require(URL(string: server.url("/redirect").absoluteString + "?to=/landing/same-host&status=307"))
        let request = HTTPRequest(url: start, headers: [(name: "Authorization", value: "Bearer secret-token")])
        #expect(try await transport.send(request).status == 200)
        let landing = try #require(try await server.recordedRequests(pathPrefix: "/landing/").first)
        #expect(landing.header("Authorization") == "Bearer secret-token")
    }

    @Test func httpsRedirectToHttpIsRefusedBeforeAnyPlainRequest() async throws {
        let secure = try await RecordingServer.start(tls: true)
        let plain = try await RecordingServer.start()
        defer {
            secure.stop()
            plain.stop()
        }
        let target = plain.url("/landing/plain").absoluteString
        let start = try #require(URL(string: secure.url("/redirect").absoluteString + "?to=" + target))
        let request = HTTPRequest(url: start, headers: [(name: "Authorization", value: "Bearer t")], security: secure.security)
        await #expect(throws: RedirectError.insecureRedirect(from: start.absoluteString, to: target)) {
            try await transport.send(request)
        }
        #expect(try await secure.recordedRequests().count == 1)
        #expect(try await plain.recordedRequests().isEmpty)
    }
}
