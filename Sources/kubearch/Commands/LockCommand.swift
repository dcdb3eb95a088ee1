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

    func run() async throws {
        try await CommandFailure.reporting {
            let session = try Session.load(options)
            let set = try session.scan(input.paths)
            for file in set.unreadable { Output.standardError("kubearch: \(file)") }
            let resolutions = await ImageCatalog(session: session).resolve(set.workloads, refresh: refresh, progress: Output.standardErrorIsTerminal)
            var failures: [String] = []
            var found: Set<String> = []
            for image in set.workloads.flatMap(\.images) {
                guard case .success(let reference) = image.parsedReference else {
                    if case .unresolved(let reason) = resolutions.resolution(of: image) { failures.append(reason) }
                    continue
                }
                found.insert(reference.canonical)
                if case .unresolved(let reason) = resolutions.resolution(of: image) { failures.append(reason) }
            }
            var lockfile = session.lockfile
            if prune { lockfile = lockfile.filtered { found.contains($0) } }
            lockfile = lockfile.updating(with: resolutions.fresh)
            let result = try lockfile.write(to: session.lockfilePath, expectedOriginal: session.lockfileBytes ?? [])
            let shown = ManifestFinder(currentDirectory: session.currentDirectory).displayPath(session.lockfilePath)
            let changed = result == .unchanged ? "unchanged" : "written"
            Output.standardError("kubearch: \(shown) \(changed): \(lockfile.entries.count) image\(lockfile.entries.count == 1 ? "" : "s"), \(resolutions.fresh.count) resolved now")
            for failure in Set(failures).sorted() { Output.standardError("kubearch: \(failure)") }
            if !failures.isEmpty || !set.unreadable.isEmpty { throw ExitCode(2) }
        }
    }
}
