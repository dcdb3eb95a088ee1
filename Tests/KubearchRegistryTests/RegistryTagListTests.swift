import Foundation
import Testing

@testable import KubearchRegistry

/// The tag list's `Link` pagination. Debian's docker-registry 2.8 ignores `n=` and always sends one
/// page (see ReportUpgradeRegistryTests for the real registry), so the paging registries do —
/// distribution 3, Docker Hub, GHCR — are played by a fake transport answering as they do.
@Suite("Registry: tag list pagination")
struct RegistryTagListTests {
    /// Pages of `pageSize` over `tags`, each but the last with `Link: <…?last=X&n=N>; rel="next"`
    /// (relative, as distribution writes it) or an absolute `next` URL on `linkHost` when given.
    static func pagingTransport(_ tags: [String], linkHost: String? = nil) -> FakeTransport {
        FakeTransport { request, _ in
            let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
            let items = components?.queryItems ?? []
            let size = Int(items.first { $0.name == "n" }?.value ?? "") ?? 100
            let start = items.first { $0.name == "last" }?.value.flatMap { last in tags.firstIndex(of: last).map { $0 + 1 } } ?? 0
            let page = Array(tags[start..<min(tags.count, start + size)])
            var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
            if start + size < tags.count, let last = page.last {
                let path = "/v2/team/app/tags/list?last=\(last)&n=\(size)"
                headers.append(("Link", "<\(linkHost.map { "https://\($0)" } ?? "")\(path)>; rel=\"next\""))
            }
            let body = try JSONSerialization.data(withJSONObject: ["name": "team/app", "tags": page])
            return HTTPResponse(status: 200, headers: headers, body: body)
        }
    }

    @Test("every page is read, following each Link")
    func followsLinks() async throws {
        let tags = (0..<7).map { "1.\($0).0" }
        let transport = Self.pagingTransport(tags)
        let client = RegistryClient(transport: transport, credentials: .none)
        let listed = try await client.tags(registry: "registry.example", repository: "team/app", pageSize: 3)
        #expect(listed == tags)
        let urls = await transport.log.requests.map(\.url.absoluteString)
        #expect(urls == [
            "https://registry.example/v2/team/app/tags/list?n=3",
            "https://registry.example/v2/team/app/tags/list?last=1.2.0&n=3",
            "https://registry.example/v2/team/app/tags/list?last=1.5.0&n=3",
        ])
    }

    @Test("a next page on another host is not followed")
    func refusesOtherHosts() async throws {
        let transport = Self.pagingTransport(["1", "2", "3"], linkHost: "elsewhere.example")
        let client = RegistryClient(transport: transport, credentials: .none)
        await #expect(throws: RegistryError.self) {
            _ = try await client.tags(registry: "registry.example", repository: "team/app", pageSize: 1)
        }
        #expect(await transport.log.requests.count == 1)
    }

    @Test("Link values: rel among several, quoted or not, several links in one header")
    func linkParsing() throws {
        let base = try #require(URL(string: "https://r.example/v2/a/tags/list?n=2"))
        #expect(RegistryClient.nextLink(["</v2/a/tags/list?last=b&n=2>; rel=\"next\""], relativeTo: base)?.absoluteString
            == "https://r.example/v2/a/tags/list?last=b&n=2")
        #expect(RegistryClient.nextLink(["<https://r.example/x>; rel=prev, </y>; rel=\"next last\""], relativeTo: base)?.absoluteString
            == "https://r.example/y")
        #expect(RegistryClient.nextLink(["</z>; rel=\"prev\""], relativeTo: base) == nil)
        #expect(RegistryClient.nextLink([], relativeTo: base) == nil)
    }
}
