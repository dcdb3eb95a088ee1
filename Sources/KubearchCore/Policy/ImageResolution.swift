/// What the registry or the lockfile says about one image. The evaluator never asks the network
/// itself: the caller hands it a lookup (`(ContainerImage) -> ImageResolution`).
public enum ImageResolution: Sendable, Hashable {
    /// The image's platforms, attestation entries already left out. A single-platform image has one.
    case resolved(digest: String?, platforms: [Platform])
    /// The image could not be resolved; `reason` is shown to the user (KA005).
    case unresolved(reason: String)

    public var platforms: [Platform]? {
        if case .resolved(_, let platforms) = self { return platforms }
        return nil
    }
}
