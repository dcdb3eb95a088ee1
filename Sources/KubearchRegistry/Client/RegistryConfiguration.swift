import FoundationEssentials

/// Per-registry settings (config `registries:`). Keys are registry names as they appear in
/// canonical image references (`docker.io`, `registry.internal:5000`); `index.docker.io` means
/// `docker.io`.
public struct RegistryConfiguration: Sendable, Hashable {
    public struct Host: Sendable, Hashable {
        /// Mirrors asked before the registry, in order. A mirror's path is a repository namespace:
        /// `http://127.0.0.1:5000/mirror/docker.io` asks `library/nginx` as
        /// `http://127.0.0.1:5000/v2/mirror/docker.io/library/nginx/manifests/<ref>`.
        public var mirrors: [URL]
        /// Whether the registry itself is asked when no mirror had the image.
        public var fallback: Bool
        /// Allow unverified TLS, and plain http when https cannot connect.
        public var insecure: Bool
        /// Extra PEM CA bundle trusted for this host.
        public var caFile: String?

        public init(mirrors: [URL] = [], fallback: Bool = true, insecure: Bool = false, caFile: String? = nil) {
            self.mirrors = mirrors
            self.fallback = fallback
            self.insecure = insecure
            self.caFile = caFile
        }
    }

    public var hosts: [String: Host]

    public init(hosts: [String: Host] = [:]) {
        self.hosts = hosts
    }

    /// The settings for a registry (defaults when it is not configured).
    public func settings(for registry: String) -> Host {
        let wanted = Self.normalise(registry)
        return hosts.first { Self.normalise($0.key) == wanted }?.value ?? Host()
    }

    static func normalise(_ registry: String) -> String {
        let lowered = registry.lowercased()
        return RegistryHost.isDockerHub(lowered) ? "docker.io" : lowered
    }
}
