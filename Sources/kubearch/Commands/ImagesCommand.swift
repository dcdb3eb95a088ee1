import ArgumentParser
import Foundation
import KubearchCore
import KubearchReporters

struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List workloads and their images. No resolution, no network.")

    @OptionGroup var input: PathArguments
    @Option(help: ArgumentHelp("Configuration file, for its `exclude` globs (default: .kubearch.yaml found walking up to the git root).", valueName: "file"))
    var config: String?
    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    func validate() throws {
        guard format == .text || format == .json else {
            throw ValidationError("'images' prints text or json, not \(format.rawValue)")
        }
    }

    func run() throws {
        let sources: [ManifestSource]
        do {
            // The same files `check` and `fix` would read: the configuration's excludes apply.
            let currentDirectory = FileManager.default.currentDirectoryPath
            let configuration = try (config ?? ConfigurationLocator.find(startingAt: currentDirectory)).map { try Configuration.load(path: $0) } ?? .default
            sources = try ManifestFinder(exclude: configuration.exclude, currentDirectory: currentDirectory).find(input.paths)
        } catch {
            Output.standardError("kubearch: \(error)")
            throw ExitCode(2)
        }
        let set = ManifestSet.scan(sources)
        let workloads = set.workloads.map { WorkloadReport($0) }
        switch format {
        case .json: Output.standardOutput(JSONReporter().renderImages(workloads))
        default: Output.standardOutput(ImageListTextRenderer.render(workloads))
        }
        for finding in set.findings.sorted(by: Finding.reportOrder) {
            Output.standardError("\(finding.file):\(finding.line):\(finding.column): \(finding.severity.rawValue): \(finding.message) [\(finding.rule.rawValue) \(finding.rule.name)]")
        }
        for file in set.unreadable { Output.standardError("kubearch: \(file)") }
        if !set.unreadable.isEmpty { throw ExitCode(2) }
    }
}
