import FoundationEssentials

/// Where and how requests for one registry, or one of its mirrors, go.
///
/// - `docker.io` is served at `https://registry-1.docker.io`.
/// - A mirror (`RegistryConfiguration.Host.mirrors`) is `scheme://host[:port][/namespace]`. Its path
///   is a repository namespace, as in podman/CRI-O `registries.conf`: repository `R` is asked as
///   `namespace/R` on the mirror's host (`/v2/namespace/R/manifests/…`), in the token scope
///   `repository:namespace/R:pull`. The scheme is used as written. TLS settings come from the mirror
///   host's own entry when it has one, else from the mirrored registry's entry.
/// - Loopback registries (localhost, 127.0.0.0/8, ::1) use plain http directly, as docker and crane
///   do, unless their entry names a `caFile` (then https trusting it); one found to serve only HTTPS
///   is asked over https from then on (`insecure: true` then skips verification).
/// - `insecure: true`: https without certificate verification, falling back to plain http when https
///   cannot connect.
struct RegistryEndpoint: Sendable, Hashable {
    /// Scheme and authority, without a path or trailing slash.
    var baseURL: String
    /// The authority requests actually go to: the key for cached tokens, credentials and hosts
    /// found unreachable.
    var authority: String
    /// A mirror's repository namespace (`mirror/docker.io`), or "" when repositories are asked as
    /// they are named (the registry itself, or a mirror without a path).
    var namespace = ""
    /// Asked in place of the registry (credentials are then looked up for `authority`).
    var isMirror = false
    var security: TransportSecurity
    /// Whether an https connection failure may be retried over http.
    var allowsPlainHTTPFallback: Bool
    /// A loopback registry asked over plain http by default: switch to https when it turns out to
    /// serve only HTTPS.
    var mayUpgradeToHTTPS = false

    /// The endpoints to ask for `registry`'s images, in order: its mirrors, then the registry itself
    /// unless `fallback: false`.
    static func candidates(registry: String, configuration: RegistryConfiguration) -> [RegistryEndpoint] {
        let settings = configuration.settings(for: registry)
        let mirrors = settings.mirrors.compactMap { mirror(at: $0, settings: settings, configuration: configuration) }
        if !settings.fallback, !mirrors.isEmpty { return mirrors }
        return mirrors + [resolve(registry: registry, configuration: configuration)]
    }

    /// The registry itself.
    static func resolve(registry: String, configuration: RegistryConfiguration) -> RegistryEndpoint {
        let settings = configuration.settings(for: registry)
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

    private static func mirror(
        at url: URL, settings: RegistryConfiguration.Host, configuration: RegistryConfiguration
    ) -> RegistryEndpoint? {
        guard let authority = authority(of: url), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return nil
        }
        let ownEntry = configuration.hosts.keys.contains { RegistryConfiguration.normalise($0) == authority }
        let tls = ownEntry ? configuration.settings(for: authority) : settings
        let namespace = url.path.split(separator: "/").joined(separator: "/")
        // It becomes part of every URL path: only the distribution grammar's characters get through.
        guard namespace.isEmpty || RegistryClient.isRepositoryPath(namespace) else { return nil }
        return RegistryEndpoint(
            baseURL: "\(scheme)://\(authority)", authority: authority, namespace: namespace, isMirror: true,
            security: TransportSecurity(caFile: tls.caFile, insecure: tls.insecure), allowsPlainHTTPFallback: false)
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

    /// The name `repository` (as the mirrored registry names it) has on this endpoint.
    func repositoryPath(_ repository: String) -> String {
        namespace.isEmpty ? repository : "\(namespace)/\(repository)"
    }

    /// `host[:port][/namespace]`: how messages and `--verbose` name this endpoint.
    var displayName: String {
        namespace.isEmpty ? authority : "\(authority)/\(namespace)"
    }

    /// `repository` as this endpoint names it (see `repositoryPath`).
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
