import ArgumentParser
import Foundation
import KubearchCore
import KubearchReporters

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why one workload is judged as it is: its images and platforms, I, C, S, A, D, each rule, and the fix.",
        discussion: """
            WORKLOAD is FILE (holding one workload), FILE:LINE (the workload whose object spans LINE), or \
            KIND/NAMESPACE/NAME (KIND/NAME for an object without a namespace) found under --path.
            """)

    @Argument(help: ArgumentHelp("FILE[:LINE] or KIND/NAMESPACE/NAME.", valueName: "workload"))
    var workload: String
    @Option(name: .customLong("path"), help: ArgumentHelp("Where to look for KIND/NAMESPACE/NAME (repeatable; default: .).", valueName: "path"))
    var searchPaths: [String] = []
    @OptionGroup var options: CommonOptions

    /// What the argument names.
    enum Target: Equatable {
        case file(path: String, line: Int?)
        case object(kind: String, namespace: String?, name: String)
    }

    /// A path that exists is a file (with `:LINE` split off when the rest exists); otherwise
    /// `KIND/NAMESPACE/NAME` or `KIND/NAME`.
    static func target(_ text: String, exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> Target? {
        if exists(text) { return .file(path: text, line: nil) }
        if let colon = text.lastIndex(of: ":"), let line = Int(text[text.index(after: colon)...]), line > 0, exists(String(text[..<colon])) {
            return .file(path: String(text[..<colon]), line: line)
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        switch parts.count {
        case 3: return .object(kind: parts[0], namespace: parts[1], name: parts[2])
        case 2: return .object(kind: parts[0], namespace: nil, name: parts[1])
        default: return nil
        }
    }

    func run() async throws {
        let text = try await CommandFailure.reporting { () async throws -> String in
            let session = try Session.load(options)
            guard let target = Self.target(workload) else {
                throw CommandFailure("\(workload): no such file, and not KIND/NAMESPACE/NAME")
            }
            let (file, found) = try Self.locate(target, session: session, searchPaths: searchPaths.isEmpty ? ["."] : searchPaths)
            var lookup = ImageLookup(
                lockfile: session.lockfile, offline: session.offline, refreshTags: false,
                lockfileDisplayPath: ManifestFinder(currentDirectory: session.currentDirectory).displayPath(session.lockfilePath))
            let wanted = Set(found.images.compactMap { image -> ImageReference? in
                if case .missing(let reference) = lookup.answer(for: image) { return reference }
                return nil
            })
            if !wanted.isEmpty {
                let answers = await ImageCatalog.ask(wanted, configuration: session.configuration, progress: false, verbose: session.verbose)
                for reference in wanted {
                    switch answers[reference] {
                    case .success(let image)?: lookup.answers[reference.canonical] = .resolved(digest: image.digest, platforms: image.platforms)
                    case .failure(let error)?: lookup.answers[reference.canonical] = .unresolved(reason: error.description)
                    case nil: break
                    }
                }
            }
            let evaluator = WorkloadEvaluator(settings: session.settings)
            let evaluation = evaluator.evaluate(found, source: file.bytes, resolve: lookup.resolution(of:))
            // The same workload with every rule on and nothing ignored, to name what was silenced.
            var unsilencedSettings = session.settings
            unsilencedSettings.severityOverrides = [:]
            var unannotated = found
            unannotated.annotations[PolicyAnnotation.ignore] = nil
            let unsilenced = WorkloadEvaluator(settings: unsilencedSettings).evaluate(unannotated, source: file.bytes, resolve: lookup.resolution(of:))
            let answered = lookup.answers
            let explanation = WorkloadExplanation(evaluation: evaluation, unsilenced: unsilenced, source: file.bytes) { image in
                let canonical = (try? image.parsedReference.get().canonical) ?? image.reference
                return answered[canonical] != nil ? "the registry" : "the lockfile \(lookup.lockfileDisplayPath)"
            }
            var diff: String?
            var failure: String?
            if let plan = evaluation.fixPlan {
                do {
                    diff = try Fixer.fix(file: file, plans: [(found, plan)]).map { UnifiedDiff.render(old: file.bytes, new: $0, path: file.path) }
                } catch {
                    failure = "\(error)"
                }
            }
            return ExplanationTextRenderer().render(explanation, fixDiff: diff, fixFailure: failure)
        }
        Output.standardOutput(text)
    }

    /// The scanned file and the workload the target names; a clear failure otherwise.
    static func locate(_ target: Target, session: Session, searchPaths: [String]) throws -> (ScannedFile, Workload) {
        let finder = ManifestFinder(exclude: session.configuration.exclude, currentDirectory: session.currentDirectory)
        switch target {
        case .file(let path, let line):
            let set = ManifestSet.scan(try ManifestFinder(currentDirectory: session.currentDirectory).find([path]))
            if let unreadable = set.unreadable.first { throw CommandFailure("\(unreadable)") }
            guard let file = set.files.first else { throw CommandFailure("\(path): not a manifest file") }
            let candidates = line.map { line in
                file.workloads.filter { ($0.objectNode.start.line...$0.objectNode.end.line).contains(line) }
            } ?? file.workloads
            if candidates.count == 1, let only = candidates.first { return (file, only) }
            let listing = file.workloads.map { "  \(file.path):\($0.kindPosition.line) \(Self.name($0.object))" }.joined(separator: "\n")
            if file.workloads.isEmpty {
                let syntax = file.findings.first { $0.rule == .invalidManifest }.map { ": \($0.file):\($0.line):\($0.column): \($0.message)" } ?? ""
                throw CommandFailure("\(file.path) holds no workload\(syntax)")
            }
            throw CommandFailure(line == nil
                ? "\(file.path) holds \(file.workloads.count) workloads; name one with FILE:LINE:\n\(listing)"
                : "no workload spans \(file.path):\(line ?? 0); the file holds:\n\(listing)")
        case .object(let kind, let namespace, let name):
            let set = ManifestSet.scan(try finder.find(searchPaths))
            let matches = set.files.flatMap { file in
                file.workloads.filter { $0.object.kind == kind && $0.object.namespace == namespace && $0.object.name == name }.map { (file, $0) }
            }
            guard let first = matches.first else {
                throw CommandFailure("no workload \(kind)/\(namespace.map { "\($0)/" } ?? "")\(name) under \(searchPaths.joined(separator: " ")) (the namespace must be as written; KIND/NAME for none)")
            }
            guard matches.count == 1 else {
                let listing = matches.map { "  \($0.0.path):\($0.1.kindPosition.line)" }.joined(separator: "\n")
                throw CommandFailure("\(matches.count) workloads are named so; name one with FILE:LINE:\n\(listing)")
            }
            return first
        }
    }

    static func name(_ object: ObjectIdentity) -> String {
        [object.kind ?? "?", object.namespace, object.name ?? "?"].compactMap { $0 }.joined(separator: "/")
    }
}
