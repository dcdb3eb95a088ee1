import FoundationEssentials

/// Follows redirects on top of a transport that does not (`CurlTransport`), with the registry
/// client's safety rules:
/// - 301, 302, 303, 307 and 308 are followed, at most `maxRedirects` times, then
///   `RedirectError.tooManyRedirects`.
/// - A relative `Location` is resolved against the URL that answered.
/// - `Authorization` is dropped as soon as the scheme, host or port changes (and stays dropped),
///   so credentials for a registry never reach, e.g., a storage backend.
/// - https → http is refused (`RedirectError.insecureRedirect`).
/// - 303 turns the request into a GET (a HEAD stays a HEAD) without a body; other codes keep the
///   method and body.
/// A 3xx without `Location` (e.g. 304) is returned as it is.
public struct RedirectingTransport: HTTPTransport {
    public static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    public let base: any HTTPTransport
    public let maxRedirects: Int

    public init(_ base: any HTTPTransport, maxRedirects: Int = 10) {
        self.base = base
        self.maxRedirects = maxRedirects
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var current = request
        var redirectsFollowed = 0
        while true {
            let response = try await base.send(current)
            guard Self.redirectStatuses.contains(response.status), let location = response.header("Location") else {
                return response
            }
            guard redirectsFollowed < maxRedirects else {
                throw RedirectError.tooManyRedirects(url: request.url.absoluteString, limit: maxRedirects)
            }
            current = try Self.followUp(current, status: response.status, location: location)
            redirectsFollowed += 1
        }
    }

    /// The request to send for a redirect answer to `request`.
    static func followUp(_ request: HTTPRequest, status: Int, location: String) throws -> HTTPRequest {
        let from = request.url
        guard
            let target = URL(string: location.trimmingSpaces(), relativeTo: from)?.absoluteURL,
            let scheme = target.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = target.host, !host.isEmpty
        else {
            throw RedirectError.invalidLocation(url: from.absoluteString, location: location)
        }
        if from.scheme?.lowercased() == "https", scheme == "http" {
            throw RedirectError.insecureRedirect(from: from.absoluteString, to: target.absoluteString)
        }
        var next = request
        next.url = target
        if Origin(from) != Origin(target) {
            next.headers.removeAll { $0.name.equalsIgnoringCase("Authorization") }
        }
        if status == 303, request.method.uppercased() != "HEAD", request.method.uppercased() != "GET" {
            next.method = "GET"
            next.body = nil
            next.headers.removeAll { header in
                ["Content-Type", "Content-Length"].contains { $0.equalsIgnoringCase(header.name) }
            }
        }
        return next
    }

    /// Scheme, host and port: what must stay the same for credentials to follow a redirect.
    private struct Origin: Equatable {
        let scheme: String
        let host: String
        let port: Int

        init(_ url: URL) {
            scheme = url.scheme?.lowercased() ?? ""
            host = url.host?.lowercased() ?? ""
            port = url.port ?? (scheme == "https" ? 443 : 80)
        }
    }
}
