import FoundationEssentials

/// The settings of `.kubearch.yaml` (SPEC §7), typed and validated. Every field has the default a run
/// without a configuration file uses; see `Configuration.default`.
public struct Configuration: Sendable, Equatable {
    /// The only configuration format version this kubearch reads.
    public static let currentVersion = 1
    /// The file names looked for, in order of preference.
    public static let fileNames = [".kubearch.yaml", ".kubearch.yml"]

    /// Architectures of the cluster's linux nodes (C for linux pods).
    public var architectures: [String]
    /// Architectures of the cluster's windows nodes (C for windows pods).
    public var windowsArchitectures: [String]
    public var strategy: Strategy
    public var preferredArchitecture: String
    /// Per-rule overrides; rules not listed keep their default severity.
    public var rules: [RuleID: RuleSetting]
    /// Paths (relative to the current folder) not to scan.
    public var exclude: [Glob]
    /// Keyed by registry host as written (`docker.io`, `registry.internal:5000`).
    public var registries: [String: RegistrySettings]
    /// `kustomize.roots`: folders rendered as roots besides those found (resolved beside the file).
    public var kustomizeRoots: [String] = []
    /// `gitops.repository`: the URL GitOps objects name for this repository (default: git remote origin).
    public var gitOpsRepository: String?

    public init(
        architectures: [String] = ["amd64", "arm64"],
        windowsArchitectures: [String] = ["amd64"],
        strategy: Strategy = .required,
        preferredArchitecture: String = "amd64",
        rules: [RuleID: RuleSetting] = [:],
        exclude: [Glob] = [],
        registries: [String: RegistrySettings] = [:]
    ) {
        self.architectures = architectures
        self.windowsArchitectures = windowsArchitectures
        self.strategy = strategy
        self.preferredArchitecture = preferredArchitecture
        self.rules = rules
        self.exclude = exclude
        self.registries = registries
    }

    /// What a run without a configuration file uses.
    public static let `default` = Configuration()

    /// The severity findings of `rule` get; nil when the rule is `off`.
    public func severity(for rule: RuleID) -> Severity? {
        guard let setting = rules[rule] else { return rule.defaultSeverity }
        return setting.severity
    }

    /// The settings for a registry host; host names compare without regard to case, and a host with no
    /// entry gets the defaults (no mirror, TLS verified, system CAs).
    public func registrySettings(forHost host: String) -> RegistrySettings {
        if let exact = registries[host] { return exact }
        let lowered = host.lowercased()
        return registries.first { $0.key.lowercased() == lowered }?.value ?? RegistrySettings()
    }

    /// Node architecture names as kubearch accepts them: lowercase ASCII letters and digits (`amd64`,
    /// `arm64`, `ppc64le`, `386`). Loose on purpose: new architectures need no kubearch release.
    public static func isValidArchitectureName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Parses a configuration file's bytes. `path` is shown in errors and is the base relative `caFile`
    /// paths are resolved against.
    public static func parse(bytes: [UInt8], path: String) throws(ConfigurationError) -> Configuration {
        do {
            return try ConfigurationParser.parse(bytes, path: path)
        } catch {
            throw ConfigurationError(path: path, position: error.position, message: error.message)
        }
    }

    /// Reads and parses the configuration file at `path`.
    public static func load(path: String) throws(ConfigurationError) -> Configuration {
        switch ManifestSet.readFile(path) {
        case .success(let bytes): return try parse(bytes: bytes, path: path)
        case .failure(let failure): throw ConfigurationError(path: path, position: nil, message: "cannot read: \(failure.message)")
        }
    }
}
