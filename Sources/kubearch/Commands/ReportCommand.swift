import ArgumentParser
import FoundationEssentials
import KubearchCore
import KubearchKustomize
import KubearchReporters

extension ReadinessFormat: ExpressibleByArgument {}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Plan a migration: how much of the requested CPU can run on one architecture, and which images block the rest.",
        discussion: """
            Each workload is ready (every image has linux/TARGET), blocked (names the images that lack it) or \
            unknown (an image is unresolved); with --suggest-upgrades, blocked workloads whose blocking images \
            all have a newer tag with linux/TARGET are upgradable. Weights are each pod's effective request × \
            replicas (a HorizontalPodAutoscaler's minimum; DaemonSets × --nodes; Jobs once). Windows pods are \
            listed apart. Teams come from the app.kubernetes.io/part-of or team label, else CODEOWNERS.
            """)

    @OptionGroup var input: PathArguments
    @OptionGroup var options: CommonOptions
    @Option(help: ArgumentHelp("Architecture to migrate to.", valueName: "arch"))
    var target = "arm64"
    @Option(help: "Output format: markdown, json or html.")
    var format: ReadinessFormat = .markdown
    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?
    @Option(help: ArgumentHelp("Nodes each DaemonSet runs on, for its weight.", valueName: "n"))
    var nodes = 1
    @Option(name: .customLong("price-ratio"), help: ArgumentHelp("Price of a TARGET core relative to the current one, for the savings estimate.", valueName: "ratio"))
    var priceRatio = 0.8
    @Flag(name: .customLong("suggest-upgrades"), help: "Ask registries for a newer tag of each blocking image that has linux/TARGET (not with --offline).")
    var suggestUpgrades = false
    /// Tags asked per page of a tag list (`n=`); for tests of pagination against a small repository.
    @Option(name: .customLong("tag-page-size"), help: .hidden)
    var tagPageSize: Int?

    func validate() throws {
        guard !target.isEmpty, target.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber) }) else {
            throw ValidationError("--target takes an architecture name such as arm64 or amd64")
        }
        guard nodes >= 1 else { throw ValidationError("--nodes must be at least 1") }
        if let tagPageSize, tagPageSize < 1 { throw ValidationError("--tag-page-size must be at least 1") }
        guard priceRatio >= 0, priceRatio.isFinite else { throw ValidationError("--price-ratio must be a number of 0 or more, e.g. 0.8") }
    }

    /// What the report keeps of one file.
    struct Outcome: FileOutcome {
        var missing: [ImageReference] = []
        var workloads: [WorkloadReadiness] = []
        var autoscalers: [Autoscaler] = []
        var problems: [ReportProblem] = []
    }

    func run() async throws {
        let target = target
        let (report, unreadable, notes) = try await CommandFailure.reporting { () async throws -> (ReadinessReport, [UnreadableFile], [String]) in
            let session = try Session.load(options)
            let evaluator = WorkloadEvaluator(settings: session.settings)
            var pipeline = Pipeline(session: session, progress: Output.standardErrorIsTerminal)
            // The lean scan skips `resources`, `overhead` and `labels`, which the weights and teams need.
            let (outcomes, unreadable) = try await pipeline.run(input.paths, detail: WorkloadReadiness.scanDetail, rendered: { root, lookup in
                Self.judge(root, lookup: lookup, evaluator: evaluator, target: target)
            }) { _, file, lookup in
                Self.judge(file, lookup: lookup, evaluator: evaluator, target: target)
            }
            let workloads = outcomes.flatMap(\.workloads)
            var upgrades: [String: String] = [:]
            var notes: [String] = []
            if suggestUpgrades {
                if session.offline {
                    notes.append("--suggest-upgrades needs registry access; no upgrades suggested with --offline")
                } else {
                    let blockers = Set(workloads.filter { !$0.isWindows }.flatMap(\.blockers)).sorted()
                    (upgrades, notes) = await UpgradeCatalog.ask(blockers, target: target, configuration: session.configuration, verbose: session.verbose, pageSize: tagPageSize)
                }
            }
            let owners = TeamOwners.load(currentDirectory: session.currentDirectory)
            var report = ReadinessReport(
                workloads, autoscalers: outcomes.flatMap(\.autoscalers), upgrades: upgrades,
                options: ReadinessReport.Options(target: target, nodes: nodes, priceRatio: priceRatio),
                owner: { owners?.owner(of: $0.file, currentDirectory: session.currentDirectory) })
            report.problems = outcomes.flatMap(\.problems) + report.problems
            return (report, unreadable, notes)
        }
        let text = format.render(report)
        if let output {
            do {
                try AtomicFileWriter.write(Array(text.utf8), to: output, expectedOriginal: nil)
            } catch {
                Output.standardError("kubearch: cannot write \(error)")
                throw ExitCode(2)
            }
        } else {
            Output.standardOutput(text)
        }
        for problem in report.problems { Output.standardError("kubearch: \(problem)") }
        for note in notes { Output.standardError("kubearch: \(note)") }
        for file in unreadable { Output.standardError("kubearch: \(file)") }
        Self.exit(withError: unreadable.isEmpty ? nil : ExitCode(2))
    }

    /// Judges the workloads of one file with the same evaluator `check` uses, and collects its
    /// autoscalers and unreadable documents.
    static func judge(_ file: ScannedFile, lookup: ImageLookup, evaluator: WorkloadEvaluator, target: String) -> Outcome {
        let missing = lookup.missing(in: file)
        guard missing.isEmpty else { return Outcome(missing: missing) }
        var outcome = Outcome()
        outcome.workloads = evaluator.evaluate(file, resolve: lookup.resolution(of:)).map { WorkloadReadiness(evaluation: $0, target: target) }
        outcome.autoscalers = Autoscaler.collect(from: file, problems: &outcome.problems)
        outcome.problems += file.findings.filter { $0.rule == .invalidManifest }.map {
            ReportProblem(file: $0.file, line: $0.line, column: $0.column, message: "\($0.message) (not in the report)")
        }
        return outcome
    }

    /// A rendered kustomize root, judged as a file is; rows point at the source document and name the root.
    static func judge(_ root: RenderedRoot, lookup: ImageLookup, evaluator: WorkloadEvaluator, target: String) -> Outcome {
        if let problem = root.problem {
            let finding = problem.finding(root: root.name)
            return Outcome(problems: [ReportProblem(file: finding.file, line: finding.line, column: finding.column, message: "\(finding.message) (not in the report)")])
        }
        var outcome = judge(root.file, lookup: lookup, evaluator: evaluator, target: target)
        guard outcome.missing.isEmpty else { return outcome }
        let workloads = root.file.workloads
        outcome.workloads = zip(outcome.workloads, workloads).map { readiness, workload in
            var row = readiness
            row.kustomization = root.name
            if let resource = root.resource(of: workload) {
                row.file = resource.document.file
                row.line = resource.document.kindPosition.line
            }
            return row
        }
        outcome.autoscalers = Autoscaler.collect(from: root.file, kustomization: root.name, problems: &outcome.problems)
        return outcome
    }
}
