import Dispatch
import FoundationEssentials
import KubearchCore
import KubearchKustomize

/// `check` of one folder, offline, printing findings while later files are still judged: memory
/// then stays flat however many files the folder holds (SPEC §10's order is the walk's order).
///
/// What a file's findings depend on beyond the file must be known before they are written: which
/// files kustomizations read (known at the latest when the walk reaches a folder holding one, see
/// `stream`), and GitOps objects that may claim folders (only when this repository's address is
/// known; then every file is searched for their markers first). When the address is not known no
/// object claims anything, and the first file that may hold one stops the streaming: from there on,
/// outcomes wait for the end of the walk.
extension Pipeline {
    /// Offline (no registry round, after which files would be judged again) and one folder.
    func canStream(_ paths: [String]) -> Bool {
        guard session.offline, paths.count == 1, let path = paths.first, path != "-" else { return false }
        var isDirectory = false
        return FileManager.default.fileExists(atPath: SourceFiles.resolve(path, in: session.currentDirectory), isDirectory: &isDirectory) && isDirectory
    }

    /// Judges the files under `folder` and its kustomization roots into `assembler`, plain files
    /// in walk order as they are judged; returns the files (and folders) that could not be read.
    ///
    /// When nothing but a kustomization can claim files (this repository's address is unknown and
    /// no roots are configured), only files at or below a folder holding a kustomization can be
    /// claimed (kustomize's load restrictor; a reference outside is refused when rendered). So the
    /// walk runs in report order and lists each folder as it reaches it, and files are judged and
    /// written as they come — memory stays flat however many files there are — until the first
    /// folder that holds a kustomization: the rest of the walk is then listed, and judged as a
    /// listing is. A folder that cannot be listed is then reported with the unreadable files.
    func stream(
        _ folder: String, into assembler: inout ReportAssembler,
        rendered examineRendered: @escaping @Sendable (RenderedRoot, ImageLookup) -> Examination,
        _ examine: @escaping @Sendable (ManifestSource, ScannedFile, ImageLookup) -> Examination
    ) throws -> [UnreadableFile] {
        let lookup = self.lookup
        var finder = ManifestFinder(exclude: session.configuration.exclude, currentDirectory: session.currentDirectory)
        let repositoryRoot = RepositoryRoot.find(startingAt: session.currentDirectory)
        let files = SourceFiles(currentDirectory: session.currentDirectory, repositoryRoot: repositoryRoot)
        let address = session.configuration.gitOpsRepository ?? GitRepositoryURL.origin(ofRepositoryAt: repositoryRoot)
        var state = StreamState()
        let judge: @Sendable (ManifestSource, ScannedFile) -> Judged = { source, file in
            // Without this repository's address, a file that may hold a GitOps object holds back
            // the files after it (objects are found where they are, after the walk).
            Judged(outcome: examine(source, file, lookup), mayHoldObjects: address == nil && GitOpsRoots.mayHoldObjects(file.bytes))
        }

        var sources: [ManifestSource]
        if address == nil, session.configuration.kustomizeRoots.isEmpty, let root = try finder.roots([folder]).first {
            let listed = KustomizationAncestry.listedFolders(remembersEveryFolder: false)
            finder.listedFolders = listed
            let walk = SortedWalk(root: root, finder: finder) { listed.holdsWatchedName($0) == true }
            ManifestSet.process(walking: walk, detail: .lean, judge) { source, result in
                state.deliver(source, result, into: &assembler)
            }
            guard walk.stopped else {
                state.unreadable += walk.unlisted
                return state.finish(into: &assembler, objects: [], session: session, files: files, lookup: lookup, examineRendered)
            }
            walk.stopsAt = nil
            sources = []
            while let source = walk.next() { sources.append(source) }
            state.unreadable += walk.unlisted
        } else {
            sources = try ManifestSet.list([folder], with: finder)
        }

        // GitOps objects that may claim folders (only when this repository's address is known) are
        // found by a marker search over every file first.
        let objectFiles = address == nil ? nil : Self.mayHoldObjects(sources)
        // Objects in files a kustomization reads count too (a Flux Kustomization is often a resource).
        var objectsAmongReferenced: [ManifestSource] = []
        if let (referenced, roots) = Self.kustomizeRoots(among: sources, objectFiles: objectFiles ?? [], named: [folder], session: session) {
            if !referenced.isEmpty {
                let isReferenced = sources.map { referenced.contains(SourceFiles.resolve($0.location, in: session.currentDirectory)) }
                if objectFiles == nil { objectsAmongReferenced = Self.mayHoldObjects(zip(sources, isReferenced).filter(\.1).map(\.0)) }
                sources = zip(sources, isReferenced).filter { !$0.1 }.map(\.0)
            }
            assembler.add(rendered: Self.examine(roots, lookup: lookup, examineRendered))
        }
        // Display paths are walk order: a plain file after an object's file waits for the end.
        state.firstReferencedObject = objectsAmongReferenced.first?.displayPath
        ManifestSet.process(inOrder: sources, detail: .lean, judge) { source, result in
            state.deliver(source, result, into: &assembler)
        }
        return state.finish(into: &assembler, objects: objectsAmongReferenced, session: session, files: files, lookup: lookup, examineRendered)
    }

    /// A plain file's outcome, and whether its text may hold a GitOps object.
    struct Judged: Sendable {
        var outcome: Examination
        var mayHoldObjects: Bool
    }

    /// What a streamed run keeps besides what it has written.
    private struct StreamState {
        var unreadable: [UnreadableFile] = []
        /// Outcomes after the first file that may hold a GitOps object (or a referenced one): they
        /// are written after the objects are found.
        var heldBack: [Examination] = []
        var unknownObjectFiles: [ManifestSource] = []
        var firstReferencedObject: String?

        mutating func deliver(_ source: ManifestSource, _ result: Result<Judged, UnreadableFile>, into assembler: inout ReportAssembler) {
            switch result {
            case .success(let judged):
                if judged.mayHoldObjects { unknownObjectFiles.append(source) }
                if unknownObjectFiles.isEmpty, firstReferencedObject.map({ source.displayPath < $0 }) ?? true {
                    assembler.add(plain: judged.outcome)
                } else {
                    heldBack.append(judged.outcome)
                }
            case .failure(let error):
                unreadable.append(error)
            }
        }

        /// Finds the objects held-back files may hold, writes their findings, then the held-back outcomes.
        mutating func finish(
            into assembler: inout ReportAssembler, objects referencedObjects: [ManifestSource], session: Session, files: SourceFiles,
            lookup: ImageLookup, _ examineRendered: @escaping @Sendable (RenderedRoot, ImageLookup) -> Examination
        ) -> [UnreadableFile] {
            if !unknownObjectFiles.isEmpty || !referencedObjects.isEmpty {
                // Without this repository's address every object is a KA011 at its own file, never a
                // claim on other files: its findings sort at or after the first held-back file.
                let objectSources = (unknownObjectFiles + referencedObjects).sorted { $0.displayPath < $1.displayPath }
                let paths = objectSources.map { SourceFiles.resolve($0.location, in: session.currentDirectory) }
                let objects = KustomizeRoots.render(Pipeline.gitOpsRoots(in: paths, files: files, session: session), files: files)
                assembler.add(rendered: Pipeline.examine(objects, lookup: lookup, examineRendered))
            }
            for outcome in heldBack { assembler.add(plain: outcome) }
            heldBack = []
            return unreadable
        }
    }

    fileprivate static func examine(
        _ roots: [RenderedRoot], lookup: ImageLookup, _ examineRendered: @escaping @Sendable (RenderedRoot, ImageLookup) -> Examination
    ) -> [Examination] {
        roots.map { examineRendered($0, lookup) }
    }

    /// The sources whose text may hold a GitOps object, read on every core (a marker search, no parse).
    /// (Not through `SourceFiles`, which keeps what it reads.)
    private static func mayHoldObjects(_ sources: [ManifestSource]) -> [ManifestSource] {
        let marked = ResultSlots<Bool>(count: sources.count)
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            marked.set(index, ManifestSet.bytes(of: sources[index]).map(GitOpsRoots.mayHoldObjects) ?? false)
        }
        return zip(sources, marked.values).filter(\.1).map(\.0)
    }
}
