import ArgumentParser
import FoundationEssentials
import KubearchCore
import KubearchKustomize
import KubearchReporters

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why one workload is judged as it is: its images and platforms, I, C, S, A, D, each rule, and the fix.",
        discussion: """
            WORKLOAD is FILE (holding one workload), FILE:LINE (the workload whose object spans LINE), or \
            KIND/NAMESPACE/NAME (KIND/NAME for an object without a namespace) found under --path. A file a \
            kustomization reads is explained as a root renders it (--kustomization names the root when \
            several do); KIND/NAMESPACE/NAME also finds rendered objects under their rendered names.
            """)

    @Argument(help: ArgumentHelp("FILE[:LINE] or KIND/NAMESPACE/NAME.", valueName: "workload"))
    var workload: String
    @Option(name: .customLong("path"), help: ArgumentHelp("Where to look for KIND/NAMESPACE/NAME (repeatable; default: .).", valueName: "path"))
    var searchPaths: [String] = []
    @Option(name: .customLong("kustomization"), help: ArgumentHelp("The root whose rendering to explain, when several render the workload.", valueName: "root"))
    var kustomization: String?
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
            let located = try Self.locate(target, session: session, searchPaths: searchPaths.isEmpty ? ["."] : searchPaths, kustomization: kustomization)
            let (file, found) = (located.file, located.workload)
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
                let canonical = image.canonicalReference ?? image.reference
                return answered[canonical] != nil ? "the registry" : "the lockfile \(lookup.lockfileDisplayPath)"
            }
            var diff: String?
            var failure: String?
            if let root = located.root {
                (diff, failure) = Self.renderedFix(of: found, in: root, among: located.roots, lookup: lookup, evaluator: evaluator, session: session)
                let rendering = Self.rendering(of: found, in: root)
                var relocated = explanation
                for index in relocated.verdicts.indices {
                    relocated.verdicts[index].findings = relocated.verdicts[index].findings.map(root.relocate)
                }
                return ExplanationTextRenderer().render(relocated, rendering: rendering, fixDiff: diff, fixFailure: failure)
            }
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

    /// The workload the target names: in a plain file, or as a kustomize root renders it.
    struct Located {
        var file: ScannedFile
        var workload: Workload
        /// The rendering root, for a rendered workload; `roots` are all the run's roots.
        var root: RenderedRoot?
        var roots: [RenderedRoot] = []
    }

    /// The workload the target names; a clear failure otherwise.
    static func locate(_ target: Target, session: Session, searchPaths: [String], kustomization: String?) throws -> Located {
        let finder = ManifestFinder(exclude: session.configuration.exclude, currentDirectory: session.currentDirectory)
        switch target {
        case .file(let path, let line):
            let sources = try ManifestFinder(currentDirectory: session.currentDirectory).find([path])
            if let (referenced, roots) = Pipeline.kustomizeRoots(among: sources, named: [path], session: session),
               referenced.contains(SourceFiles.resolve(path, in: session.currentDirectory)) {
                return try renderedAt(path: SourceFiles.resolve(path, in: session.currentDirectory), line: line, roots: roots, kustomization: kustomization)
            }
            let set = ManifestSet.scan(sources)
            if let unreadable = set.unreadable.first { throw CommandFailure("\(unreadable)") }
            guard let file = set.files.first else { throw CommandFailure("\(path): not a manifest file") }
            let candidates = line.map { line in
                file.workloads.filter { ($0.objectNode.start.line...$0.objectNode.end.line).contains(line) }
            } ?? file.workloads
            if candidates.count == 1, let only = candidates.first { return Located(file: file, workload: only) }
            let listing = file.workloads.map { "  \(file.path):\($0.kindPosition.line) \(Self.name($0.object))" }.joined(separator: "\n")
            if file.workloads.isEmpty {
                let syntax = file.findings.first { $0.rule == .invalidManifest }.map { ": \($0.file):\($0.line):\($0.column): \($0.message)" } ?? ""
                throw CommandFailure("\(file.path) holds no workload\(syntax)")
            }
            throw CommandFailure(line == nil
                ? "\(file.path) holds \(file.workloads.count) workloads; name one with FILE:LINE:\n\(listing)"
                : "no workload spans \(file.path):\(line ?? 0); the file holds:\n\(listing)")
        case .object(let kind, let namespace, let name):
            let sources = try finder.find(searchPaths)
            let kustomize = Pipeline.kustomizeRoots(among: sources, session: session)
            let plain = sources.filter { !(kustomize?.referenced.contains(SourceFiles.resolve($0.location, in: session.currentDirectory)) ?? false) }
            let set = ManifestSet.scan(plain)
            let named = { (workload: Workload) in workload.object.kind == kind && workload.object.namespace == namespace && workload.object.name == name }
            var matches = set.files.flatMap { file in file.workloads.filter(named).map { Located(file: file, workload: $0) } }
            let roots = kustomize?.roots ?? []
            for root in roots where kustomization == nil || root.name == kustomization {
                matches += root.file.workloads.filter(named).map { Located(file: root.file, workload: $0, root: root, roots: roots) }
            }
            guard let first = matches.first else {
                throw CommandFailure("no workload \(kind)/\(namespace.map { "\($0)/" } ?? "")\(name) under \(searchPaths.joined(separator: " ")) (the namespace must be as written; KIND/NAME for none)")
            }
            guard matches.count == 1 else {
                let listing = matches.map { match in
                    match.root.map { root in "  kustomization \(root.name): \(root.resource(of: match.workload).map { "\($0.document.file):\($0.document.kindPosition.line)" } ?? "")" }
                        ?? "  \(match.file.path):\(match.workload.kindPosition.line)"
                }.joined(separator: "\n")
                throw CommandFailure("\(matches.count) workloads are named so; name one with FILE:LINE or --kustomization:\n\(listing)")
            }
            return first
        }
    }

    /// A source file that kustomizations read: the workload its document at `line` becomes in the
    /// root that renders it.
    static func renderedAt(path: String, line: Int?, roots: [RenderedRoot], kustomization: String?) throws -> Located {
        var matches: [Located] = []
        for root in roots where kustomization == nil || root.name == kustomization {
            for workload in root.file.workloads {
                guard let document = root.resource(of: workload)?.document, document.location == path else { continue }
                if let line, !documentSpans(document, line: line, among: root) { continue }
                matches.append(Located(file: root.file, workload: workload, root: root, roots: roots))
            }
        }
        if matches.count == 1, let only = matches.first { return only }
        let listing = Set(matches.compactMap { $0.root?.name }).sorted().map { "  --kustomization \($0)" }.joined(separator: "\n")
        if matches.isEmpty {
            let rendering = roots.filter { $0.problem != nil }.map(\.name)
            throw CommandFailure("no root renders a workload from \(path)\(line.map { ":\($0)" } ?? "")\(rendering.isEmpty ? "" : " (roots that cannot be rendered: \(rendering.joined(separator: ", ")))")")
        }
        throw CommandFailure("\(matches.count) renderings of this file's workloads; name the root (and FILE:LINE for a file with several):\n\(listing)")
    }

    /// Whether `line` falls in the source document: from its `kind:` line's document to the next one.
    static func documentSpans(_ document: SourceDocument, line: Int, among root: RenderedRoot) -> Bool {
        let starts = Set(root.resources.filter { $0.document.location == document.location }.map(\.document.kindPosition.line)).sorted()
        let start = starts.last { $0 <= line } ?? starts.first
        return start == document.kindPosition.line
    }

    /// Where a rendered workload's source and images were written.
    static func rendering(of workload: Workload, in root: RenderedRoot) -> ExplanationTextRenderer.Rendering {
        let document = root.resource(of: workload)?.document
        let sources = workload.images.map { image in root.source(of: image).map { "\($0.file):\($0.position.line)" } }
        return ExplanationTextRenderer.Rendering(
            kustomization: root.name, file: document?.file ?? root.name, line: document?.kindPosition.line ?? workload.kindPosition.line,
            imageSources: sources)
    }

    /// What `fix` would write for the rendered workload: its part of the plan for every root.
    static func renderedFix(
        of workload: Workload, in root: RenderedRoot, among roots: [RenderedRoot], lookup: ImageLookup, evaluator: WorkloadEvaluator,
        session: Session
    ) -> (diff: String?, failure: String?) {
        guard let document = root.resource(of: workload)?.document else { return (nil, nil) }
        if let broken = roots.first(where: { $0.problem != nil }) {
            return (nil, "root \(broken.name) cannot be rendered, so kubearch does not edit the files it may read")
        }
        let judge = { (rendered: RenderedRoot) in Examination.examine(rendered, lookup: lookup, evaluator: evaluator, rows: false).1 }
        let judged = roots.map { RenderedFixPlanner.Judged(root: $0, evaluations: judge($0)) }
        let files = SourceFiles(currentDirectory: session.currentDirectory, repositoryRoot: RepositoryRoot.find(startingAt: session.currentDirectory))
        let plan = RenderedFix.plan(judged, files: files, judge: judge)
        // The writes that fix this document in this root: a source edit, or the root's managed patches.
        let shown = plan.writes.filter { write in write.fixes.contains { $0.root == root.name && $0.document == document } }
        if shown.isEmpty {
            return (nil, plan.notFixed.first { $0.contains("root \(root.name):") })
        }
        return (shown.map { UnifiedDiff.render(old: $0.old ?? [], new: $0.new, path: $0.file, isNew: $0.old == nil) }.joined(), nil)
    }

    static func name(_ object: ObjectIdentity) -> String {
        [object.kind ?? "?", object.namespace, object.name ?? "?"].compactMap { $0 }.joined(separator: "/")
    }
}
