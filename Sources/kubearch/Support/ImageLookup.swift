import KubearchCore

/// What is known about image platforms at one point of a run: the lockfile, plus what registries
/// answered so far. Sendable, so every scanning worker can consult it.
struct ImageLookup: Sendable {
    enum Answer {
        case known(ImageResolution)
        /// Not locked and not asked yet: the registry has to be asked (never when offline).
        case missing(ImageReference)
    }

    /// Canonical reference → platforms from the lockfile, for entries that need no refresh;
    /// worked out once, since every image of every file is looked up here.
    private var locked: [String: ImageResolution] = [:]
    /// Canonical reference → what its registry said in this run.
    var answers: [String: ImageResolution] = [:]
    var offline: Bool
    var lockfileDisplayPath: String

    /// `refreshTags` asks again for tag references even when they are locked (`lock --refresh`).
    init(lockfile: Lockfile, offline: Bool, refreshTags: Bool, lockfileDisplayPath: String) {
        self.offline = offline
        self.lockfileDisplayPath = lockfileDisplayPath
        for (canonical, entry) in lockfile.entries where !lockfile.needsRefresh(canonical, refreshTags: refreshTags) {
            locked[canonical] = .resolved(digest: entry.digest, platforms: entry.platforms)
        }
    }

    func answer(for image: ContainerImage) -> Answer {
        switch image.parsedReference {
        case .failure(let error):
            return .known(.unresolved(reason: error.description))
        case .success(let reference):
            if let answer = answers[reference.canonical] ?? locked[reference.canonical] { return .known(answer) }
            if offline {
                return .known(.unresolved(reason: "\(reference.canonical) is not in the lockfile \(lockfileDisplayPath) (run `kubearch lock`)"))
            }
            return .missing(reference)
        }
    }

    func resolution(of image: ContainerImage) -> ImageResolution {
        switch answer(for: image) {
        case .known(let resolution): resolution
        case .missing(let reference): .unresolved(reason: "\(reference.canonical) was not resolved")
        }
    }

    /// The images of a file that the registry still has to be asked about.
    func missing(in file: ScannedFile) -> [ImageReference] {
        file.workloads.flatMap(\.images).compactMap { image in
            if case .missing(let reference) = answer(for: image) { return reference }
            return nil
        }
    }
}
