import Dispatch
import FoundationEssentials
import KubearchCore
import KubearchKustomize

/// `check` of one folder, offline, printing findings while later files are still judged: memory
/// then stays flat however many files the folder holds (SPEC §10's order is the walk's order).
///
/// What a file's findings depend on beyond the file must be known before they are written: the
/// kustomize tree (which files kustomizations read) is discovered from the listing, before any file
/// is read; GitOps objects that may claim folders (only when this repository's address is known)
/// are found by a marker search over every file first. When the address is not known no object
/// claims anything, and the first file that may hold one stops the streaming: from there on,
/// outcomes wait for the end of the walk, as all of them did before.
extension Pipeline {
    /// Offline (no registry round, after which files would be judged again) and one folder.
    func canStream(_ paths: [String]) -> Bool {
        guard session.offline, paths.count == 1, let path = paths.first, path != "-" else { return false }
        var isDirectory = false
        return FileManager.default.fileExists(atPath: SourceFiles.resolve(path, in: session.currentDirectory), isDirectory: &isDirectory) && isDirectory
    }

    /// Judges the files under `folder` and its kustomization roots into `assembler`, plain files
    /// in walk order as they are judged; returns the files that could not be read.
    func stream(
        _ folder: String, into assembler: inout ReportAssembler,
        rendered examineRendered: @escaping @Sendable (RenderedRoot, ImageLookup) -> Examination,
        _ examine: @escaping @Sendable (ManifestSource, ScannedFile, ImageLookup) -> Examination
    ) throws -> [UnreadableFile] {
        let lookup = self.lookup
        let finder = ManifestFinder(exclude: session.configuration.exclude, currentDirectory: session.currentDirectory)
        var sources = try ManifestSet.list([folder], with: finder)
        let repositoryRoot = RepositoryRoot.find(startingAt: session.currentDirectory)
        let files = SourceFiles(currentDirectory: session.currentDirectory, repositoryRoot: repositoryRoot)
        let address = session.configuration.gitOpsRepository ?? GitRepositoryURL.origin(ofRepositoryAt: repositoryRoot)
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

        var unreadable: [UnreadableFile] = []
        var heldBack: [Examination] = []
        var unknownObjectFiles: [ManifestSource] = []
        let findsObjects = objectFiles == nil
        // Display paths are walk order: a plain file after an object's file waits for the end.
        let firstReferencedObject = objectsAmongReferenced.first?.displayPath
        ManifestSet.process(inOrder: sources, detail: .lean, { source, file in
            (outcome: examine(source, file, lookup), mayHoldObjects: findsObjects && GitOpsRoots.mayHoldObjects(file.bytes))
        }) { source, result in
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
        if !unknownObjectFiles.isEmpty || !objectsAmongReferenced.isEmpty {
            // Without this repository's address every object is a KA011 at its own file, never a
            // claim on other files: its findings sort at or after the first held-back file.
            let objectSources = (unknownObjectFiles + objectsAmongReferenced).sorted { $0.displayPath < $1.displayPath }
            let paths = objectSources.map { SourceFiles.resolve($0.location, in: session.currentDirectory) }
            let objects = KustomizeRoots.render(Self.gitOpsRoots(in: paths, files: files, session: session), files: files)
            assembler.add(rendered: Self.examine(objects, lookup: lookup, examineRendered))
        }
        for outcome in heldBack { assembler.add(plain: outcome) }
        return unreadable
    }

    private static func examine(
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
