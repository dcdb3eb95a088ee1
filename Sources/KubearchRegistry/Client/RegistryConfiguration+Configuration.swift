import FoundationEssentials
import KubearchCore

extension RegistryConfiguration {
    /// The `registries:` section of a config file as the client's per-host settings; mirrors that
    /// are not URLs are left out (the config parser has already rejected malformed ones).
    public init(_ configuration: Configuration) {
        var hosts: [String: Host] = [:]
        for (host, settings) in configuration.registries {
            hosts[host] = Host(
                mirrors: settings.mirrors.compactMap(URL.init(string:)), fallback: settings.fallback, insecure: settings.insecure,
                caFile: settings.caFile)
        }
        self.init(hosts: hosts)
    }
}
