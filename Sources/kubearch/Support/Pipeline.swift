import KubearchCore
import KubearchRegistry

/// What a command keeps from one file; `missing` lists images the registry must be asked about
/// before the file can be judged (then the file is examined again).
protocol FileOutcome: Sendable {
    var missing: [ImageReference] { get }
}

/// The run of a scanning command: every file is scanned lean (see `ManifestScanner.Detail`) and
/// examined on all cores with what the lockfile knows;
/// images it does not know are then asked of their registries, each once, and only the files that
/// needed them are examined again. Trees never outlive their worker, so memory stays flat.
struct Pipeline {
    var session: Session
    var lookup: ImageLookup
    var progress: Bool

    init(session: Session, refreshTags: Bool = false, progress: Bool) {
        self.session = session
        self.progress = progress
        lookup = ImageLookup(
            lockfile: session.lockfile, offline: session.offline, refreshTags: refreshTags,
            lockfileDisplayPath: ManifestFinder(currentDirectory: session.currentDirectory).displayPath(session.lockfilePath))
    }

    /// Examines every file under `paths`; `reexamine` false keeps first-pass outcomes (for `lock`);
    /// `detail` is `.full` for a command that edits what it scans.
    mutating func run<T: FileOutcome>(
        _ paths: [String], reexamine: Bool = true, detail: ManifestScanner.Detail = .lean,
        _ examine: @escaping @Sendable (ManifestSource, ScannedFile, ImageLookup) -> T
    ) async throws -> (outcomes: [T], unreadable: [UnreadableFile]) {
        let finder = ManifestFinder(exclude: session.configuration.exclude, currentDirectory: session.currentDirectory)
        let first = lookup
        let found = try ManifestSet.process(finding: paths, with: finder, detail: detail) { source, file in examine(source, file, first) }
        let sources = found.map(\.source)
        var results = found.map(\.result)

        let wanted = Set(results.flatMap { (try? $0.get().missing) ?? [] })
        if !wanted.isEmpty {
            let answers = await ImageCatalog.ask(wanted, configuration: session.configuration, progress: progress, verbose: session.verbose)
            for reference in wanted {
                switch answers[reference] {
                case .success(let image)?: lookup.answers[reference.canonical] = .resolved(digest: image.digest, platforms: image.platforms)
                case .failure(let error)?: lookup.answers[reference.canonical] = .unresolved(reason: error.description)
                case nil: lookup.answers[reference.canonical] = .unresolved(reason: "\(reference.canonical) was not resolved")
                }
            }
            if reexamine {
                let again = results.indices.filter { (try? results[$0].get().missing.isEmpty) == false }
                let second = lookup
                let redone = ManifestSet.process(again.map { sources[$0] }, detail: detail) { source, file in examine(source, file, second) }
                for (index, result) in zip(again, redone) { results[index] = result }
            }
        }
        var outcomes: [T] = []
        outcomes.reserveCapacity(results.count)
        var unreadable: [UnreadableFile] = []
        for result in results {
            switch result {
            case .success(let outcome): outcomes.append(outcome)
            case .failure(let error): unreadable.append(error)
            }
        }
        return (outcomes, unreadable)
    }
}
