import FoundationEssentials
import KubearchCore

/// What every command starts from: the configuration, the lockfile and the policy settings they imply.
struct Session {
    var currentDirectory: String
    var configuration: Configuration
    var configurationPath: String?
    var lockfilePath: String
    var lockfile: Lockfile
    /// The lockfile's bytes as read, so that `lock` can refuse to overwrite a concurrent change.
    var lockfileBytes: [UInt8]?
    var settings: PolicySettings
    var offline: Bool
    /// Log registry requests (`--verbose`).
    var verbose: Bool

    static func load(_ options: CommonOptions) throws -> Session {
        let currentDirectory = FileManager.default.currentDirectoryPath
        let configurationPath = options.config ?? ConfigurationLocator.find(startingAt: currentDirectory)
        let configuration = try configurationPath.map { try Configuration.load(path: $0) } ?? .default
        let lockfilePath = options.lockfile ?? Lockfile.defaultPath(configPath: configurationPath, currentDirectory: currentDirectory)
        let loaded = try Lockfile.load(path: lockfilePath)
        if loaded == nil, options.offline {
            let shown = ManifestFinder(currentDirectory: currentDirectory).displayPath(lockfilePath)
            Output.standardError(
                "kubearch: there is no lockfile \(shown), so offline every image is unresolved (KA005): run `kubearch lock` "
                    + "once where the registries can be reached, or name a lockfile with --lockfile")
        }
        let settings = PolicySettings(configuration, clusterArchitectures: options.clusterArchitectureList)
        return Session(
            currentDirectory: currentDirectory, configuration: configuration, configurationPath: configurationPath,
            lockfilePath: lockfilePath, lockfile: loaded?.lockfile ?? Lockfile(), lockfileBytes: loaded?.bytes,
            settings: settings, offline: options.offline, verbose: options.verbose)
    }
}
