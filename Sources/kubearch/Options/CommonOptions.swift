import ArgumentParser

/// Options every command that reads configuration, lockfile or registries shares (SPEC §2).
struct CommonOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Configuration file (default: .kubearch.yaml found walking up to the git root).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Lockfile (default: kubearch.lock beside the configuration, else in the current folder).", valueName: "file"))
    var lockfile: String?

    @Flag(help: "Never touch the network: an image missing from the lockfile is finding KA005.")
    var offline = false

    @Flag(help: "Log each registry request (method, URL, status) to standard error; never headers or bodies.")
    var verbose = false

    @Option(name: .customLong("cluster-arch"), help: ArgumentHelp("Architectures of the cluster's linux nodes, comma-separated (overrides the configuration).", valueName: "archs"))
    var clusterArchitectures: String?

    /// The parsed `--cluster-arch` list, nil when not given.
    var clusterArchitectureList: [String]? {
        clusterArchitectures.map { $0.split(separator: ",").map { $0.trimmingSpaces() } }
    }

    func validate() throws {
        if let list = clusterArchitectureList {
            guard !list.isEmpty, list.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLowercase || $0.isNumber } }) else {
                throw ValidationError("--cluster-arch takes lowercase architecture names separated by commas, e.g. amd64,arm64")
            }
        }
    }
}
