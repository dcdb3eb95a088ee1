import FoundationEssentials

extension RegistryClient {
    /// Most pages of a tag list followed; a registry that keeps sending `Link` beyond it is cut off.
    static let maximumTagPages = 200

    /// Every tag of `registry/repository`: `GET /v2/<name>/tags/list`, then each `Link: <…>; rel="next"`
    /// page (distribution spec "Listing Tags"). `pageSize` asks for pages of that many (`n=`); nil
    /// lets the registry choose. A next link to another host or scheme is refused: the request would
    /// carry this registry's authorization.
    public func tags(registry: String, repository: String, pageSize: Int? = nil) async throws(RegistryError) -> [String] {
        // Asked of the registry itself: a mirror (a pull-through cache) lists only what it has cached.
        let key = ImageKey(registry: registry, repository: repository, reference: "latest")
        try Self.validate(key)
        var context = await requestContext(for: key, at: RegistryEndpoint.resolve(registry: registry, configuration: configuration))
        context.image = "\(registry)/\(repository)"
        guard var url = context.endpoint.url(repository: context.repository, kind: "tags", reference: "list") else {
            throw .invalidReference(image: context.image, reason: "cannot form a URL")
        }
        if let pageSize, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            components.queryItems = [URLQueryItem(name: "n", value: String(pageSize))]
            url = components.url ?? url
        }
        var tags: [String] = []
        for _ in 0..<Self.maximumTagPages {
            let request = HTTPRequest(
                url: url, headers: [("Accept", "application/json")], security: context.endpoint.security,
                timeout: timeout, maxResponseBytes: limits.manifestBytes)
            let response = try await authorizedSend(request, context: context)
            if response.status == 404 { throw .notFound(image: context.image) }
            try Self.checkStatus(response, image: context.image, what: "tag list")
            struct Page: Decodable { var tags: [String]? }
            guard let page = try? JSONDecoder().decode(Page.self, from: response.body) else {
                throw .malformedManifest(image: context.image, reason: "the tag list is not the JSON the distribution API describes")
            }
            tags += page.tags ?? []
            guard let next = Self.nextLink(response.headers(named: "Link"), relativeTo: url) else { return tags }
            guard next.scheme == url.scheme, next.host == url.host, next.port == url.port else {
                throw .transport(image: context.image, reason: "the tag list's next page is on another host (\(next.host ?? "?")); not followed")
            }
            url = next
        }
        throw .transport(image: context.image, reason: "the tag list has more than \(Self.maximumTagPages) pages; stopped")
    }

    /// The `rel="next"` target of RFC 8288 `Link` values, resolved against the page's URL.
    static func nextLink(_ values: [String], relativeTo base: URL) -> URL? {
        for value in values {
            for link in value.split(separator: ",") {
                let parts = link.split(separator: ";").map { $0.trimmingSpaces() }
                guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
                let isNext = parts.dropFirst().contains { parameter in
                    let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
                    return pair.count == 2 && pair[0].lowercased() == "rel"
                        && pair[1].trimming { $0 == "\"" }.split(separator: " ").contains("next")
                }
                if isNext { return URL(string: String(target.dropFirst().dropLast()), relativeTo: base)?.absoluteURL }
            }
        }
        return nil
    }
}
