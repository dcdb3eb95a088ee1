import KubearchCore

/// What is known about image platforms at one point of a run: the lockfile, plus what registries
/// answered so far. Sendable, so every scanning worker can consult it.
struct ImageLookup: Sendable {
    enum Answer {
        case known(ImageResolution)
        /// Not locked and not asked yet: the registry has to be asked (never when offline).
        case missing(ImageReference)
    }

    /// Looked up per image rather than copied into a dictionary up front: a pre-commit run needs a few
    /// of a lockfile's thousands of entries, and an indexed lockfile answers with a binary search.
    private var lockfile: Lockfile
    private var refreshTags: Bool
    /// Canonical reference → what its registry said in this run.
    var answers: [String: ImageResolution] = [:]
    var offline: Bool
    var lockfileDisplayPath: String

    /// `refreshTags` asks again for tag references even when they are locked (`lock --refresh`).
    init(lockfile: Lockfile, offline: Bool, refreshTags: Bool, lockfileDisplayPath: String) {
        self.lockfile = lockfile
        self.refreshTags = refreshTags
        self.offline = offline
        self.lockfileDisplayPath = lockfileDisplayPath
    }

    /// What the lockfile says about `canonical`, for entries that need no refresh.
    private func locked(_ canonical: String) -> ImageResolution? {
        lockfile.usableEntry(for: canonical, refreshTags: refreshTags).map { .resolved(digest: $0.digest, platforms: $0.platforms) }
    }

    func answer(for image: ContainerImage) -> Answer {
        switch image.parsedReference {
        case .failure(let error):
            return .known(.unresolved(reason: error.description))
        case .success(let reference):
            if let answer = answers[reference.canonical] ?? locked(reference.canonical) { return .known(answer) }
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

    /// The images of a file that the registry still has to be asked about: none offline, where
    /// every image has an answer (so no image is looked up for nothing).
    func missing(in file: ScannedFile) -> [ImageReference] {
        guard !offline else { return [] }
        return file.workloads.flatMap(\.images).compactMap { image in
            if case .missing(let reference) = answer(for: image) { return reference }
            return nil
        }
    }
}
