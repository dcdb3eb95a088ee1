extension PolicySettings {
    /// The policy a config file asks for; `clusterArchitectures` (from `--cluster-arch`) overrides
    /// `cluster.architectures`. Shared by the CLI and the webhook so both judge alike.
    public init(_ configuration: Configuration, clusterArchitectures: [String]? = nil) {
        self.init(
            clusterArchitectures: Set(clusterArchitectures ?? configuration.architectures),
            windowsArchitectures: Set(configuration.windowsArchitectures),
            strategy: configuration.strategy,
            preferredArchitecture: configuration.preferredArchitecture)
        for (rule, setting) in configuration.rules { setSeverity(setting.severity, for: rule) }
    }
}
