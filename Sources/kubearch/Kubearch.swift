import ArgumentParser
import KubearchCore

@main
struct Kubearch: AsyncParsableCommand {
    static var version: String { KubearchVersion.current }

    static let configuration = CommandConfiguration(
        commandName: "kubearch",
        abstract: "Keep Kubernetes workloads off CPU architectures their images cannot run on.",
        version: version,
        subcommands: [
            CheckCommand.self, FixCommand.self, LockCommand.self, InspectCommand.self, ImagesCommand.self, InitCommand.self,
            RulesCommand.self, ReportCommand.self, ExplainCommand.self,
        ]
    )
}
