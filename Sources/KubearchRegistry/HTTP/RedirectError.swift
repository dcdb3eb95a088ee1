import FoundationEssentials

/// Why `RedirectingTransport` stopped following a redirect.
public enum RedirectError: Error, Sendable, Equatable, CustomStringConvertible {
    /// More than `limit` redirects in a row.
    case tooManyRedirects(url: String, limit: Int)
    /// An https URL redirected to plain http; following it would expose the request.
    case insecureRedirect(from: String, to: String)
    /// A `Location` that is not an http(s) URL.
    case invalidLocation(url: String, location: String)

    public var description: String {
        switch self {
        case .tooManyRedirects(let url, let limit):
            "too many redirects (more than \(limit)) starting at \(url)"
        case .insecureRedirect(let from, let to):
            "refusing redirect from \(from) to insecure \(to) (https to http)"
        case .invalidLocation(let url, let location):
            "redirect from \(url) has an unusable Location \"\(location)\""
        }
    }
}
