import KubearchCore

/// `report --suggest-upgrades`: for an image without `linux/TARGET`, the lowest newer tag of its
/// family (`TagVersion`) that has it. Lists the repository's tags (every page), then asks for the
/// candidates' platforms lowest first and stops at the first that runs on the target, so a repository
/// whose next release already has it costs one manifest request beyond the tag list.
public struct UpgradeFinder: Sendable {
    public let client: RegistryClient
    /// Candidates asked at most per image; an image whose next dozens of releases all lack the
    /// target gets no suggestion rather than hundreds of requests.
    public var maximumCandidates: Int
    public var pageSize: Int?

    public init(client: RegistryClient, maximumCandidates: Int = 25, pageSize: Int? = nil) {
        self.client = client
        self.maximumCandidates = maximumCandidates
        self.pageSize = pageSize
    }

    public enum Outcome: Sendable, Hashable {
        /// The tag to move to.
        case upgrade(tag: String)
        /// No newer tag of the family has the target (or the reference has no version tag).
        case none(reason: String)
    }

    public func upgrade(for reference: ImageReference, target: String) async throws(RegistryError) -> Outcome {
        guard let tag = reference.tag, reference.digest == nil else { return .none(reason: "pinned by digest, not by a tag") }
        guard TagVersion(tag) != nil else { return .none(reason: "tag `\(tag)` is not a version") }
        let tags = try await client.tags(registry: reference.registry, repository: reference.repository, pageSize: pageSize)
        let candidates = TagVersion.newerCandidates(than: tag, among: tags)
        guard !candidates.isEmpty else { return .none(reason: "no newer tag of the same family") }
        for candidate in candidates.prefix(maximumCandidates) {
            let image: ResolvedImage
            do {
                image = try await client.platforms(registry: reference.registry, repository: reference.repository, reference: candidate)
            } catch .notFound, .noPlatforms, .unsupportedMediaType {
                continue
            }
            if image.platforms.contains(where: { $0.os == "linux" && $0.nodeArchitecture == target }) {
                return .upgrade(tag: candidate)
            }
        }
        return .none(reason: "none of the \(min(candidates.count, maximumCandidates)) newer tags asked has linux/\(target)")
    }
}
