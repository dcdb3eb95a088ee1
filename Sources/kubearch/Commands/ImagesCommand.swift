import ArgumentParser
import FoundationEssentials
import KubearchCore
import KubearchKustomize
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
        var sources: [ManifestSource]
        var roots: [RenderedRoot] = []
        do {
            // The same files `check` and `fix` would read: the configuration's excludes apply.
            let currentDirectory = FileManager.default.currentDirectoryPath
            let configuration = try (config ?? ConfigurationLocator.find(startingAt: currentDirectory)).map { try Configuration.load(path: $0) } ?? .default
            sources = try ManifestFinder(exclude: configuration.exclude, currentDirectory: currentDirectory).find(input.paths)
            // Kustomize roots list what they render; the files they read are not listed on their own.
            let session = Session(
                currentDirectory: currentDirectory, configuration: configuration, configurationPath: nil, lockfilePath: "",
                lockfile: Lockfile(), lockfileBytes: nil, settings: PolicySettings(), offline: true, verbose: false)
            if let (referenced, rendered) = Pipeline.kustomizeRoots(among: sources, session: session) {
                sources = sources.filter { !referenced.contains(SourceFiles.resolve($0.location, in: currentDirectory)) }
                roots = rendered
            }
        } catch {
            Output.standardError("kubearch: \(error)")
            throw ExitCode(2)
        }
        let set = ManifestSet.scan(sources)
        var workloads = set.workloads.map { WorkloadReport($0) }
        var findings = set.findings
        for root in roots {
            if let problem = root.problem {
                findings.append(problem.finding(root: root.name))
                continue
            }
            workloads += root.file.workloads.map { root.report(WorkloadReport($0), of: $0) }
            findings += root.file.findings.map(root.relocate)
        }
        switch format {
        case .json: Output.standardOutput(JSONReporter().renderImages(workloads))
        default: Output.standardOutput(ImageListTextRenderer.render(workloads))
        }
        for finding in findings.sorted(by: Finding.reportOrder) {
            Output.standardError("\(finding.file):\(finding.line):\(finding.column): \(finding.severity.rawValue): \(finding.message) [\(finding.rule.rawValue) \(finding.rule.name)]")
        }
        for file in set.unreadable { Output.standardError("kubearch: \(file)") }
        if !set.unreadable.isEmpty { throw ExitCode(2) }
    }
}
