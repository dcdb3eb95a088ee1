import ArgumentParser
import FoundationEssentials
import Glibc
import KubearchCore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented .kubearch.yaml, lock the images when the registries can be reached, and print the pre-commit and CI snippets.",
        discussion: """
            Never overwrites an existing configuration. The lockfile goes beside the configuration; \
            when a registry cannot be reached, init says so and `kubearch lock` can be run later.
            """)

    @Argument(help: ArgumentHelp("The repository folder to set up.", valueName: "path"))
    var path = "."

    @Option(name: .customLong("cluster-arch"), help: ArgumentHelp("Architectures of the cluster's linux nodes, comma-separated.", valueName: "archs"))
    var clusterArchitectures = "amd64,arm64"

    @Option(name: .customLong("windows-arch"), help: ArgumentHelp("Architectures of the cluster's windows nodes, comma-separated.", valueName: "archs"))
    var windowsArchitectures = "amd64"

    @Option(help: ArgumentHelp("How fix constrains workloads: required, prefer or pin.", valueName: "strategy"))
    var strategy: Strategy = .required

    @Option(name: .customLong("preferred-arch"), help: ArgumentHelp("The architecture prefer and pin choose when the images allow it.", valueName: "arch"))
    var preferredArchitecture = "amd64"

    @Flag(inversion: .prefixedNo, help: "Run `kubearch lock` on the folder after writing the configuration.")
    var lock = true

    func validate() throws {
        for (flag, list) in [("--cluster-arch", clusterArchitectures), ("--windows-arch", windowsArchitectures)] {
            guard !Self.names(list).isEmpty, Self.names(list).allSatisfy(Configuration.isValidArchitectureName) else {
                throw ValidationError("\(flag) takes lowercase architecture names separated by commas, e.g. amd64,arm64")
            }
        }
        guard Configuration.isValidArchitectureName(preferredArchitecture) else {
            throw ValidationError("--preferred-arch takes one lowercase architecture name, e.g. amd64")
        }
    }

    static func names(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingSpaces() }
    }

    func run() async throws {
        let configurationPath = path == "." ? Configuration.fileNames[0] : PathText.appending(to: path, Configuration.fileNames[0])
        try await CommandFailure.reporting {
            var isFolder = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder else {
                throw CommandFailure("\(path): no such folder (init writes .kubearch.yaml into an existing folder)")
            }
            for name in Configuration.fileNames {
                let existing = PathText.appending(to: path, name)
                if FileManager.default.fileExists(atPath: existing) {
                    throw CommandFailure("\(existing) already exists; init never overwrites a configuration (edit it, or remove it first)")
                }
            }
            try Self.createNew(configurationPath, text: configurationText())
        }
        Output.standardOutput("Wrote \(configurationPath) (cluster: \(Self.names(clusterArchitectures).joined(separator: ", ")); strategy: \(strategy.rawValue)).\n")

        let lockCommand = "kubearch lock\(path == "." ? "" : " \(path)")"
        if lock {
            let locked = await runLock(configurationPath: configurationPath)
            if locked {
                Output.standardOutput("Ran `\(lockCommand)`: the images under \(path) are locked in \(path == "." ? Lockfile.fileName : PathText.appending(to: path, Lockfile.fileName))\n")
            } else {
                Output.standardOutput("""
                    Could not lock every image (see the messages above; without network no registry can be reached).
                    Run `\(lockCommand)` where the registries can be reached; until then `kubearch check --offline` \
                    reports the images missing from the lockfile as KA005.

                    """)
            }
        } else {
            Output.standardOutput("Not locked (--no-lock): run `\(lockCommand)` to record the images' platforms.\n")
        }
        Output.standardOutput(Self.nextSteps)
    }

    /// Runs `lock` in this process with the new configuration; false when it could not resolve everything.
    private func runLock(configurationPath: String) async -> Bool {
        do {
            let command = try LockCommand.parse(["--config", configurationPath, path])
            try await command.run()
            return true
        } catch {
            return false
        }
    }

    /// Creates `path` with `text`, failing if anything is there already (even one created meanwhile).
    static func createNew(_ path: String, text: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// The configuration file, every setting explained, the chosen values filled in and the
    /// defaults named. `Configuration.parse` must accept it (a test holds it to that).
    func configurationText() -> String {
        let defaults = Configuration.default
        func list(_ names: [String]) -> String { "[" + names.joined(separator: ", ") + "]" }
        return """
            # Configuration of kubearch, written by `kubearch init`. Every key is described in kubearch's
            # README ("Configuration"); unknown keys are errors.
            version: 1

            cluster:
              # Architectures (kubernetes.io/arch) of the cluster's linux nodes. Default: \(list(defaults.architectures)).
              architectures: \(list(Self.names(clusterArchitectures)))
              # Architectures of its windows nodes. Default: \(list(defaults.windowsArchitectures)).
              windowsArchitectures: \(list(Self.names(windowsArchitectures)))

            policy:
              # How `kubearch fix` constrains a workload. Default: \(defaults.strategy.rawValue).
              #   required: to the architectures its images run on, only when that is not every node
              #   prefer:   as required, plus a preference for preferredArchitecture when there is a choice
              #   pin:      to preferredArchitecture alone whenever its images run there
              strategy: \(strategy.rawValue)
              # Default: \(defaults.preferredArchitecture).
              preferredArchitecture: \(preferredArchitecture)

            # Severity per rule: error, warning, note or off (`kubearch rules` lists them).
            # rules:
            #   KA004: warning

            # Paths not to scan (globs, relative to the current folder).
            # exclude: ["charts/**"]

            # Per registry host: a pull-through mirror, plain http, an extra CA file.
            # registries:
            #   docker.io:
            #     mirror: https://mirror.example.com/dockerhub
            #   registry.internal:5000:
            #     insecure: true
            #     caFile: certs/internal-ca.pem

            """
    }

    /// What to run next, the pre-commit hook and the CI step (as in kubearch's README).
    static let nextSteps = """

        Next:
          kubearch check --offline            # report, from the lockfile; exit 1 on errors
          kubearch fix --offline --dry-run    # the fixes as a unified diff (without --dry-run: applied)
          kubearch lock                       # again whenever images change

        Pre-commit hook (.pre-commit-config.yaml; see kubearch's README, "Pre-commit"):
          repos:
            - repo: https://github.com/OWNER/kubearch   # where you host kubearch
              rev: v\(Kubearch.version)
              hooks:
                - id: kubearch-check

        CI step (GitHub Actions, after building kubearch; see kubearch's README, "GitHub Actions"):
              - name: Check manifests
                run: kubearch check --offline --format github

        """
}

extension Strategy: ExpressibleByArgument {}
