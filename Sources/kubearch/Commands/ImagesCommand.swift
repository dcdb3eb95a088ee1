import ArgumentParser
import KubearchCore
import KubearchReporters

struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List workloads and their images. No resolution, no network.")

    @OptionGroup var input: PathArguments
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
            sources = try ManifestFinder().find(input.paths)
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
