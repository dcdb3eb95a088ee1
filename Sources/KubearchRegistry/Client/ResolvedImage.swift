import KubearchCore
/// What the registry says about one image reference.
public struct ResolvedImage: Sendable, Hashable {
    /// Digest of the manifest the reference points at (index or single manifest).
    public var digest: String
    public var mediaType: MediaType
    /// Runnable platforms, deduplicated and sorted by `description` (then `osVersion`).
    public var platforms: [Platform]
    /// Who answered: the registry's host (`registry-1.docker.io`) or a mirror as
    /// `host[:port][/namespace]`. What the image is called never changes: that is its upstream name.
    public var source: String
    /// Whether `source` is a mirror of the image's registry.
    public var fromMirror: Bool

    public init(digest: String, mediaType: MediaType, platforms: [Platform], source: String = "", fromMirror: Bool = false) {
        self.digest = digest
        self.mediaType = mediaType
        self.platforms = platforms
        self.source = source
        self.fromMirror = fromMirror
    }
}

/// One image to resolve: a canonical registry, repository, and tag or digest.
public struct ImageKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var registry: String
    public var repository: String
    /// A tag (`1.27`) or a digest (`sha256:…`).
    public var reference: String

    public init(registry: String, repository: String, reference: String) {
        self.registry = registry
        self.repository = repository
        self.reference = reference
    }

    /// `registry/repository:tag` or `registry/repository@sha256:…`.
    public var description: String {
        reference.contains(":") ? "\(registry)/\(repository)@\(reference)" : "\(registry)/\(repository):\(reference)"
    }

    public static func < (lhs: ImageKey, rhs: ImageKey) -> Bool { lhs.description < rhs.description }
}
