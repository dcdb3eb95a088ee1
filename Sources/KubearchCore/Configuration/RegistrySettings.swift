/// Per-registry settings from the configuration's `registries:` section, keyed by host (`host[:port]`).
public struct RegistrySettings: Sendable, Hashable {
    /// Mirrors asked before the registry itself, in order: `http(s)://host[:port][/namespace]`, where
    /// the path is a repository namespace (podman's `registries.conf` meaning): repository `R` is
    /// asked as `namespace/R` on the mirror's host. Validated, without a trailing slash.
    public var mirrors: [String]
    /// Whether the registry itself is asked once no mirror had the image (`fallback: false`: never).
    public var fallback: Bool
    /// Plain http, or https without certificate verification, is allowed for this host.
    public var insecure: Bool
    /// An extra CA certificate (PEM) to trust for this host; already resolved against the folder of
    /// the configuration file when it was written as a relative path.
    public var caFile: String?

    public init(mirrors: [String] = [], fallback: Bool = true, insecure: Bool = false, caFile: String? = nil) {
        self.mirrors = mirrors
        self.fallback = fallback
        self.insecure = insecure
        self.caFile = caFile
    }
}
