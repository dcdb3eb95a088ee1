import FoundationEssentials
import KubearchCore
import KubearchKustomize
import KubearchRegistry

/// What a command keeps from one file; `missing` lists images the registry must be asked about
/// before the file can be judged (then the file is examined again).
protocol FileOutcome: Sendable {
    var missing: [ImageReference] { get }
}

/// The run of a scanning command: every file is scanned lean (see `ManifestScanner.Detail`) and
/// examined on all cores with what the lockfile knows; kustomization roots found among the files are
/// rendered (SPEC §11) and the files they read are judged only through them;
/// images it does not know are then asked of their registries, each once, and only the files that
/// needed them are examined again. Trees never outlive their worker, so memory stays flat.
struct Pipeline {
    var session: Session
    var lookup: ImageLookup
    var progress: Bool
    /// Told what each folder of the walk holds (for `fix`'s kustomization ancestry).
    var listedFolders: ListedFolders?

    init(session: Session, refreshTags: Bool = false, progress: Bool) {
        self.session = session
        self.progress = progress
        lookup = ImageLookup(
            lockfile: session.lockfile, offline: session.offline, refreshTags: refreshTags,
            lockfileDisplayPath: ManifestFinder(currentDirectory: session.currentDirectory).displayPath(session.lockfilePath))
    }

    /// Examines every file under `paths` and every kustomization root among them; `reexamine` false
    /// keeps first-pass outcomes (for `lock`); `detail` is `.full` for a command that edits what it scans.
    /// `afterWalk` runs once every file has been examined the first time.
    /// Outcomes of plain files come first, in walk order, then those of rendered roots, in root order.
    mutating func run<T: FileOutcome>(
        _ paths: [String], reexamine: Bool = true, detail: ManifestScanner.Detail = .lean,
        rendered examineRendered: @escaping @Sendable (RenderedRoot, ImageLookup) -> T,
        afterWalk: () -> Void = {},
        _ examine: @escaping @Sendable (ManifestSource, ScannedFile, ImageLookup) -> T
    ) async throws -> (outcomes: [T], unreadable: [UnreadableFile]) {
        var finder = ManifestFinder(exclude: session.configuration.exclude, currentDirectory: session.currentDirectory)
        finder.listedFolders = listedFolders
        let first = lookup
        // Whether a file may hold a GitOps object is learnt on the workers that read it, so that
        // finding the objects reads again only those files, not the whole tree.
        let marked = MarkedSources()
        let body: @Sendable (ManifestSource, ScannedFile) -> T = { source, file in
            if GitOpsRoots.mayHoldObjects(file.bytes) { marked.insert(source) }
            return examine(source, file, first)
        }
        var sources: [ManifestSource] = []
        var results: [Result<T, UnreadableFile>] = []
        var unlisted: [UnreadableFile] = []
        if let root = try Self.singleFolder(paths, finder: finder) {
            // Walked in report order as it is listed, so results come in order (no sort at the
            // end), and a folder that cannot be listed is reported as `check` reports it.
            let walk = SortedWalk(root: root, finder: finder)
            ManifestSet.process(walking: walk, detail: detail, body) { source, result in
                sources.append(source)
                results.append(result)
            }
            unlisted = walk.unlisted
        } else {
            (sources, results) = try ManifestSet.process(finding: paths, with: finder, detail: detail, body)
        }
        afterWalk()
        let objects = marked.all
        let objectFiles = objects.isEmpty ? [] : sources.filter(objects.contains)
        let roots = renderRoots(among: &sources, &results, objectFiles: objectFiles, named: paths)
        var renderedResults = roots.map { examineRendered($0, first) }

        let wanted = Set(results.flatMap { (try? $0.get().missing) ?? [] } + renderedResults.flatMap(\.missing))
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
                for index in renderedResults.indices where !renderedResults[index].missing.isEmpty {
                    renderedResults[index] = examineRendered(roots[index], second)
                }
            }
        }
        var outcomes: [T] = []
        outcomes.reserveCapacity(results.count + renderedResults.count)
        var unreadable: [UnreadableFile] = []
        for result in results {
            switch result {
            case .success(let outcome): outcomes.append(outcome)
            case .failure(let error): unreadable.append(error)
            }
        }
        outcomes += renderedResults
        unreadable += unlisted
        return (outcomes, unreadable)
    }

    /// The walk's one root when `paths` name a single folder.
    private static func singleFolder(_ paths: [String], finder: ManifestFinder) throws(ManifestFinderError) -> ManifestFinder.Entry? {
        guard paths.count == 1, paths[0] != "-", let root = try finder.roots(paths).first, case .folder = root else { return nil }
        return root
    }

    /// Finds the kustomization roots among the scanned files (and those the configuration names),
    /// drops the files they read from the plain results, and renders each root.
    private func renderRoots<T>(
        among sources: inout [ManifestSource], _ results: inout [Result<T, UnreadableFile>], objectFiles: [ManifestSource], named paths: [String]
    ) -> [RenderedRoot] {
        guard let (referenced, roots) = Self.kustomizeRoots(among: sources, objectFiles: objectFiles, named: paths, session: session) else { return [] }
        let kept = sources.indices.filter { !referenced.contains(SourceFiles.resolve(sources[$0].location, in: session.currentDirectory)) }
        sources = kept.map { sources[$0] }
        results = kept.map { results[$0] }
        return roots
    }

    /// The files read through kustomizations (absolute paths) and the rendered roots, or nil when
    /// there is no kustomization among `sources` and none configured.
    ///
    /// Files named one by one (a pre-commit hook names the staged files) may belong to a kustomize
    /// tree none of whose kustomizations is named: when a kustomization sits in a named file's
    /// folder or above it, the repository's tree is discovered and the roots that read a named
    /// file are judged — a staged base is judged as its overlays deploy it, never on its own.
    /// `objectFiles` are the sources that may hold GitOps objects (all of them when not known).
    static func kustomizeRoots(
        among sources: [ManifestSource], objectFiles: [ManifestSource]? = nil, named paths: [String] = [], session: Session
    ) -> (referenced: Set<String>, roots: [RenderedRoot])? {
        // Names are tested on the display path (same last part) before any location is made: a
        // location string per file of a 100,000-file walk was a tenth of the run's peak memory.
        var kustomizationFiles = sources.filter { isKustomizationFile($0.displayPath) }
            .map { SourceFiles.resolve($0.location, in: session.currentDirectory) }
        let extraRoots = session.configuration.kustomizeRoots.map { SourceFiles.resolve($0, in: session.currentDirectory) }
        let repositoryRoot = RepositoryRoot.find(startingAt: session.currentDirectory)
        let files = SourceFiles(currentDirectory: session.currentDirectory, repositoryRoot: repositoryRoot)
        let namedFiles = Set(paths.filter { $0 != "-" && !files.isDirectory(SourceFiles.resolve($0, in: session.currentDirectory)) }
            .map { SourceFiles.resolve($0, in: session.currentDirectory) })
        let inTree = !namedFiles.isEmpty && namedFiles.contains { KustomizeTree.hasKustomization(above: $0, within: repositoryRoot, files: files) }
        var objectFiles = (objectFiles ?? sources).map(\.location).filter { $0 != "-" }.map { SourceFiles.resolve($0, in: session.currentDirectory) }
        if inTree {
            // The GitOps objects of the repository too: a staged base may be deployed through one.
            (kustomizationFiles, objectFiles) = KustomizeTree.repositoryFiles(under: repositoryRoot, exclude: session.configuration.exclude, files: files)
        }
        let gitOps = gitOpsRoots(in: objectFiles, files: files, session: session)
        guard !kustomizationFiles.isEmpty || !extraRoots.isEmpty || !gitOps.isEmpty else { return nil }
        var tree = KustomizeTree.discover(kustomizationFiles: kustomizationFiles, extraRoots: extraRoots, files: files)
        let claimed = GitOpsRoots.claim(gitOps, in: &tree, files: files)
        var rendered = KustomizeRoots.render(tree, files: files) + KustomizeRoots.render(claimed, files: files)
        if inTree {
            // Only the roots that read a named file (others are not what this run was asked about).
            rendered = rendered.filter { !$0.reads(files: files).isDisjoint(with: namedFiles) || namedFiles.contains($0.folder) }
            tree.referencedFiles.formIntersection(namedFiles)
        }
        return (tree.referencedFiles, rendered)
    }

    /// Whether the part after the last `/` is a kustomization file name; asked of every file on the
    /// serial path of the run, so by bytes (no string per path).
    static func isKustomizationFile(_ path: String) -> Bool {
        let bytes = path.utf8
        let name = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes[bytes.index(after: $0)...] } ?? bytes[...]
        return Kustomization.fileNames.contains { name.elementsEqual($0.utf8) }
    }

    /// The GitOps objects among the files at `paths` as roots (SPEC §11); this repository is config
    /// `gitops.repository`, else its git remote `origin`.
    static func gitOpsRoots(in paths: [String], files: SourceFiles, session: Session) -> [GitOpsRoot] {
        let address = session.configuration.gitOpsRepository ?? GitRepositoryURL.origin(ofRepositoryAt: files.repositoryRoot)
        return GitOpsRoots.discover(in: paths, files: files, repository: address.flatMap(GitRepositoryURL.init))
    }
}

/// The sources whose text may hold a GitOps object, marked by the workers that read them.
private final class MarkedSources: @unchecked Sendable {
    private let lock = ThreadLock()
    // Guarded by `lock`.
    private var sources: Set<ManifestSource> = []

    func insert(_ source: ManifestSource) {
        lock.lock()
        sources.insert(source)
        lock.unlock()
    }

    var all: Set<ManifestSource> {
        lock.lock()
        defer { lock.unlock() }
        return sources
    }
}
