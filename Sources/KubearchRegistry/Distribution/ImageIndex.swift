import KubearchCore
/// An OCI image index or a Docker manifest list.
public struct ImageIndex: Sendable, Hashable, Codable {
    public var schemaVersion: Int
    public var mediaType: MediaType?
    public var manifests: [Descriptor]
    public var annotations: [String: String]?

    public init(schemaVersion: Int = 2, mediaType: MediaType?, manifests: [Descriptor], annotations: [String: String]? = nil) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.manifests = manifests
        self.annotations = annotations
    }

    enum CodingKeys: String, CodingKey { case schemaVersion, mediaType, manifests, annotations }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        mediaType = try container.decodeIfPresent(String.self, forKey: .mediaType).map(MediaType.init)
        // `manifests` is required; `null` (seen in a docker save) is not an index of anything.
        manifests = try container.decode([Descriptor].self, forKey: .manifests)
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encodeIfPresent(mediaType?.rawValue, forKey: .mediaType)
        try container.encode(manifests, forKey: .manifests)
        try container.encodeIfPresent(annotations, forKey: .annotations)
    }

    /// What the index says about platforms without fetching anything more.
    public struct PlatformSelection: Sendable, Hashable {
        /// Platforms of the entries that carry one (attestations excluded), deduplicated and sorted.
        public var platforms: [Platform]
        /// Entries with no platform that may still be images: a nested index, or a manifest whose
        /// platform only its config blob knows. The client fetches these (one level deep).
        public var unresolved: [Descriptor]
    }

    /// Reads the platforms of the index's entries.
    ///
    /// Skipped: attestation entries (`unknown/unknown`, or annotation `vnd.docker.reference.type`),
    /// entries of media types that are neither an index nor a manifest (artifacts, `application/xml`,
    /// bare descriptors), and platform objects missing `os` or `architecture`.
    public func platformSelection() -> PlatformSelection {
        var platforms: Set<Platform> = []
        var unresolved: [Descriptor] = []
        for entry in manifests {
            if entry.annotations?["vnd.docker.reference.type"] != nil { continue }
            let isChildDocument = entry.mediaType.isIndex || entry.mediaType.isImageManifest || entry.mediaType.isSchema1
            guard isChildDocument else { continue }
            if let platformField = entry.platform {
                if let platform = platformField.platform, !platform.isUnknown { platforms.insert(platform) }
            } else {
                unresolved.append(entry)
            }
        }
        return PlatformSelection(platforms: platforms.sorted(), unresolved: unresolved)
    }
}
