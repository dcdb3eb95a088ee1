import ArgumentParser
import Foundation
import KubearchCore
import KubearchWebhook

/// `kubearch-webhook`: the CLI's judgement as a mutating admission webhook (SPEC §13).
@main
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubearch-webhook",
        abstract: "Serve kubearch's judgement as a mutating admission webhook for Pod CREATE.",
        version: KubearchVersion.current)

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain (re-read when the file changes).")
    var tlsCertificate: String

    @Option(name: .customLong("tls-key"), help: "PEM private key (re-read when the file changes).")
    var tlsKey: String

    @Option(help: "TLS port for POST /mutate.")
    var port = 8443

    @Option(name: .customLong("metrics-port"), help: "Plain-http port for /healthz, /readyz and /metrics.")
    var metricsPort = 8080

    @Option(help: "Configuration file (.kubearch.yaml): cluster architectures, strategy, rules, registries.")
    var config: String?

    @Option(help: "Lockfile answered from memory (default: kubearch.lock beside the config file, else in the current folder).")
    var lockfile: String?

    @Option(name: .customLong("registry-timeout"), help: "Most seconds a review waits for the registry (and at most the API server's timeout less 1 s).")
    var registryTimeout: Double = 2

    @Option(name: .customLong("tag-cache-seconds"), help: "How long a tag's registry answer is reused (digests: forever).")
    var tagCacheSeconds: Double = 300

    @Flag(name: .customLong("allow-no-common-architecture"), help: "Admit (with a warning) pods whose images share no architecture, instead of denying them.")
    var allowNoCommonArchitecture = false

    func run() async throws {
        let currentDirectory = FileManager.default.currentDirectoryPath
        let configurationPath = config ?? ConfigurationLocator.find(startingAt: currentDirectory)
        let configuration = try configurationPath.map { try Configuration.load(path: $0) } ?? .default
        let lockfilePath = lockfile ?? Lockfile.defaultPath(configPath: configurationPath, currentDirectory: currentDirectory)
        let locked = try Lockfile.load(path: lockfilePath)?.lockfile ?? Lockfile()

        var options = WebhookServer.Options(certificatePath: tlsCertificate, keyPath: tlsKey)
        options.port = port
        options.metricsPort = metricsPort
        options.policy = PolicySettings(configuration)
        options.allowNoCommonArchitecture = allowNoCommonArchitecture
        options.registryTimeoutCap = .milliseconds(Int64(registryTimeout * 1000))
        options.tagLifetime = .milliseconds(Int64(tagCacheSeconds * 1000))
        let server = try await WebhookServer.start(options, lockfile: locked, configuration: configuration, log: StandardError.line)
        StandardError.line("kubearch-webhook: serving POST /mutate on :\(server.port) (TLS), /healthz /readyz /metrics on :\(server.metricsPort)")
        try await server.wait()
    }
}

enum StandardError {
    @Sendable static func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
