/// Per-registry settings from the configuration's `registries:` section, keyed by host (`host[:port]`).
public struct RegistrySettings: Sendable, Hashable {
    /// An `http(s)://host[:port][/prefix]` to ask instead of the registry itself; the prefix is kept.
    public var mirror: String?
    /// Plain http, or https without certificate verification, is allowed for this host.
    public var insecure: Bool
    /// An extra CA certificate (PEM) to trust for this host; already resolved against the folder of
    /// the configuration file when it was written as a relative path.
    public var caFile: String?

    public init(mirror: String? = nil, insecure: Bool = false, caFile: String? = nil) {
        self.mirror = mirror
        self.insecure = insecure
        self.caFile = caFile
    }
}
