import ArgumentParser

@main
struct Kubearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubearch",
        abstract: "Keep Kubernetes workloads off CPU architectures their images cannot run on.",
        version: "0.1.0",
        subcommands: [ImagesCommand.self]
    )
}
