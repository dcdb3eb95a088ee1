import Foundation

/// Where and how requests for one registry go.
///
/// - `docker.io` is served at `https://registry-1.docker.io`.
/// - A configured mirror replaces the registry entirely (no fallback to the upstream: a mirror is
///   usually configured because the upstream is unreachable or rate-limited). The mirror URL's
///   scheme is used as written and its path prefix is kept; the repository is not changed
///   (`library/nginx` stays `library/nginx`). TLS settings come from the mirror host's own entry
///   when it has one, else from the registry's entry.
/// - Loopback registries (localhost, 127.0.0.0/8, ::1) use plain http directly, as docker and crane
///   do, unless their entry names a `caFile` (then https trusting it); one found to serve only HTTPS
///   is asked over https from then on (`insecure: true` then skips verification).
/// - `insecure: true`: https without certificate verification, falling back to plain http when https
///   cannot connect.
struct RegistryEndpoint: Sendable, Hashable {
    /// Scheme, authority and path prefix, without a trailing slash.
    var baseURL: String
    /// The authority requests actually go to: the key for cached tokens and for credentials.
    var authority: String
    var security: TransportSecurity
    /// Whether an https connection failure may be retried over http.
    var allowsPlainHTTPFallback: Bool
    /// A loopback registry asked over plain http by default: switch to https when it turns out to
    /// serve only HTTPS.
    var mayUpgradeToHTTPS = false

    static func resolve(registry: String, configuration: RegistryConfiguration) -> RegistryEndpoint {
        let settings = configuration.settings(for: registry)
        if let mirror = settings.mirror, let mirrorAuthority = Self.authority(of: mirror) {
            let mirrorSettings = configuration.hosts.keys.contains { RegistryConfiguration.normalise($0) == mirrorAuthority }
                ? configuration.settings(for: mirrorAuthority) : settings
            var base = mirror.absoluteString
            while base.hasSuffix("/") { base.removeLast() }
            return RegistryEndpoint(
                baseURL: base, authority: mirrorAuthority,
                security: TransportSecurity(caFile: mirrorSettings.caFile, insecure: mirrorSettings.insecure),
                allowsPlainHTTPFallback: false)
        }
        let authority = RegistryHost.isDockerHub(registry) ? "registry-1.docker.io" : registry.lowercased()
        let security = TransportSecurity(caFile: settings.caFile, insecure: settings.insecure)
        if RegistryHost.isLoopback(authority), settings.caFile == nil {
            return RegistryEndpoint(
                baseURL: "http://\(authority)", authority: authority, security: security, allowsPlainHTTPFallback: false,
                mayUpgradeToHTTPS: true)
        }
        return RegistryEndpoint(
            baseURL: "https://\(authority)", authority: authority, security: security,
            allowsPlainHTTPFallback: settings.insecure)
    }

    /// The same endpoint over plain http.
    var plainHTTP: RegistryEndpoint {
        var copy = self
        if copy.baseURL.hasPrefix("https://") { copy.baseURL = "http://" + copy.baseURL.dropFirst("https://".count) }
        copy.allowsPlainHTTPFallback = false
        return copy
    }

    /// The same endpoint over https.
    var https: RegistryEndpoint {
        var copy = self
        if copy.baseURL.hasPrefix("http://") { copy.baseURL = "https://" + copy.baseURL.dropFirst("http://".count) }
        copy.mayUpgradeToHTTPS = false
        return copy
    }

    func url(repository: String, kind: String, reference: String) -> URL? {
        URL(string: "\(baseURL)/v2/\(repository)/\(kind)/\(reference)")
    }

    /// `host[:port]` of a URL, lowercased, IPv6 in brackets.
    static func authority(of url: URL) -> String? {
        guard let host = url.host, !host.isEmpty else { return nil }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return (url.port.map { "\(bracketed):\($0)" } ?? bracketed).lowercased()
    }
}
