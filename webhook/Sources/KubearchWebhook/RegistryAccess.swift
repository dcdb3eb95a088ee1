import KubearchCore
import KubearchRegistry

/// The registry client `kubearch lock` uses (libcurl, credentials from the docker config, mirrors
/// from the config file), with a per-request timeout short enough for admission.
enum RegistryAccess {
    static func client(configuration: Configuration) -> RegistryClient {
        RegistryClient(
            transport: RedirectingTransport(CurlTransport(maxIdleConnections: 16)),
            configuration: RegistryConfiguration(configuration),
            timeout: 10, userAgent: "kubearch-webhook/\(KubearchVersion.current)")
    }
}
