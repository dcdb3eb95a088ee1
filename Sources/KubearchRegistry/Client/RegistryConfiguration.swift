import Foundation

/// Per-registry settings (config `registries:`). Keys are registry names as they appear in
/// canonical image references (`docker.io`, `registry.internal:5000`); `index.docker.io` means
/// `docker.io`.
public struct RegistryConfiguration: Sendable, Hashable {
    public struct Host: Sendable, Hashable {
        /// Ask this base URL instead of the registry; its path prefix is kept
        /// (`http://127.0.0.1:5000/mirror/docker.io` → `…/mirror/docker.io/v2/<repo>/manifests/<ref>`).
        public var mirror: URL?
        /// Allow unverified TLS, and plain http when https cannot connect.
        public var insecure: Bool
        /// Extra PEM CA bundle trusted for this host.
        public var caFile: String?

        public init(mirror: URL? = nil, insecure: Bool = false, caFile: String? = nil) {
            self.mirror = mirror
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
