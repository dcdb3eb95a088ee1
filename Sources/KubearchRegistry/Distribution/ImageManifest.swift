/// A single-platform OCI image manifest or Docker image manifest v2 (schema 2).
/// Its platform is not in it: it comes from the config blob.
public struct ImageManifest: Sendable, Hashable, Codable {
    public var schemaVersion: Int
    public var mediaType: MediaType?
    public var config: Descriptor
    public var annotations: [String: String]?

    public init(schemaVersion: Int = 2, mediaType: MediaType?, config: Descriptor, annotations: [String: String]? = nil) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.config = config
        self.annotations = annotations
    }

    enum CodingKeys: String, CodingKey { case schemaVersion, mediaType, config, annotations }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        mediaType = try container.decodeIfPresent(String.self, forKey: .mediaType).map(MediaType.init)
        config = try container.decode(Descriptor.self, forKey: .config)
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encodeIfPresent(mediaType?.rawValue, forKey: .mediaType)
        try container.encode(config, forKey: .config)
        try container.encodeIfPresent(annotations, forKey: .annotations)
    }

    /// True when the config is a container image config; artifacts (Helm charts, attestations,
    /// signatures, the empty config) are not runnable images.
    public var isContainerImage: Bool { config.mediaType.isImageConfig }
}
