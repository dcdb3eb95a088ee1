import ArgumentParser
import KubearchCore

struct LockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Resolve every image found under PATHs and record its digest and platforms in the lockfile.",
        discussion: """
            Entries for images not found under PATHs are kept (the lockfile may serve other folders) unless \
            --prune is given. Digest references, once locked, are never asked again; --refresh asks again for \
            tag references. The lockfile is rewritten atomically and only when its content changes.
            """)

    @OptionGroup var input: PathArguments
    @OptionGroup var options: CommonOptions
    @Flag(help: "Ask registries again for tag references that are already locked.")
    var refresh = false
    @Flag(help: "Drop lockfile entries for images not found under PATHs.")
    var prune = false

    func validate() throws {
        if options.offline { throw ValidationError("'lock' resolves images from registries; it cannot run --offline") }
    }

    /// The image references of one file (or one rendered root: what it deploys, not its base text).
    struct References: FileOutcome {
        var all: [ImageReference] = []
        var invalid: [String] = []
        var missing: [ImageReference]

        init(_ file: ScannedFile, lookup: ImageLookup) {
            missing = lookup.missing(in: file)
            for image in file.workloads.flatMap(\.images) {
                switch image.parsedReference {
                case .success(let reference): all.append(reference)
                case .failure(let error): invalid.append(error.description)
                }
            }
        }
    }

    func run() async throws {
        try await CommandFailure.reporting {
            let session = try Session.load(options)
            var pipeline = Pipeline(session: session, refreshTags: refresh, progress: Output.standardErrorIsTerminal)
            let (outcomes, unreadable) = try await pipeline.run(
                input.paths, reexamine: false, rendered: { root, lookup in References(root.file, lookup: lookup) }
            ) { _, file, lookup in References(file, lookup: lookup) }
            var fresh: [String: LockEntry] = [:]
            var failures = Set(outcomes.flatMap(\.invalid))
            for (canonical, answer) in pipeline.lookup.answers {
                switch answer {
                case .resolved(let digest?, let platforms): fresh[canonical] = LockEntry(digest: digest, platforms: platforms)
                case .resolved(nil, _): failures.insert("\(canonical): the registry gave no digest")
                case .unresolved(let reason): failures.insert(reason)
                }
            }
            var lockfile = session.lockfile
            if prune {
                let found = Set(outcomes.flatMap(\.all).map(\.canonical))
                lockfile = lockfile.filtered { found.contains($0) }
            }
            lockfile = lockfile.updating(with: fresh)
            let result = try lockfile.write(to: session.lockfilePath, expectedOriginal: session.lockfileBytes)
            let shown = pipeline.lookup.lockfileDisplayPath
            let count = lockfile.entries.count
            Output.standardError("kubearch: \(shown) \(result == .unchanged ? "unchanged" : "written"): \(count) image\(count == 1 ? "" : "s"), \(fresh.count) resolved now")
            for failure in failures.sorted() { Output.standardError("kubearch: \(failure)") }
            for file in unreadable { Output.standardError("kubearch: \(file)") }
            if !failures.isEmpty || !unreadable.isEmpty { throw ExitCode(2) }
        }
    }
}
