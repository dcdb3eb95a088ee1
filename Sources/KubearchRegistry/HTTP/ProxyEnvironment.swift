import FoundationEssentials

/// The proxy a request goes through, from the environment variables docker, crane, skopeo and curl read:
/// `https_proxy`/`HTTPS_PROXY` for https URLs, `http_proxy`/`HTTP_PROXY` for http ones, else
/// `all_proxy`/`ALL_PROXY`; `no_proxy`/`NO_PROXY` lists hosts reached directly. The lower-case spelling
/// wins when both are set, as in curl. Unlike curl, the upper-case `HTTP_PROXY` counts: curl ignores
/// it because a CGI program gets a request's `Proxy:` header as that variable, which cannot happen
/// to a command-line tool, and users of the Go tools set it.
///
/// `CurlTransport` hands the outcome to libcurl explicitly (`CURLOPT_PROXY`, `CURLOPT_NOPROXY`), so
/// libcurl's own environment reading never disagrees with this one.
public struct ProxyEnvironment: Sendable, Hashable {
    public var httpProxy: String?
    public var httpsProxy: String?
    public var allProxy: String?
    /// libcurl's syntax: comma-separated host names, domain suffixes, IP addresses, CIDR ranges, or `*`.
    public var noProxy: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ name: String) -> String? {
            for spelling in [name.lowercased(), name.uppercased()] {
                if let text = environment[spelling]?.trimmingSpaces(), !text.isEmpty { return text }
            }
            return nil
        }
        httpProxy = value("http_proxy")
        httpsProxy = value("https_proxy")
        allProxy = value("all_proxy")
        noProxy = value("no_proxy")
    }

    /// The proxy URL for a request to `url`, before `noProxy` is applied (libcurl applies it).
    public func proxy(for url: URL) -> String? {
        let scheme = url.scheme?.lowercased()
        return (scheme == "https" ? httpsProxy : scheme == "http" ? httpProxy : nil) ?? allProxy
    }
}
