import KubearchCore
/// A content descriptor: what an index entry or a manifest's `config` points at.
public struct Descriptor: Sendable, Hashable, Codable {
    public var mediaType: MediaType
    public var digest: String
    public var size: Int64?
    public var platform: PlatformField?
    public var annotations: [String: String]?

    public init(
        mediaType: MediaType, digest: String, size: Int64? = nil, platform: PlatformField? = nil,
        annotations: [String: String]? = nil
    ) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.platform = platform
        self.annotations = annotations
    }

    enum CodingKeys: String, CodingKey { case mediaType, digest, size, platform, annotations }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // A descriptor without a media type (old OCI layouts) is kept, typed as unknown.
        mediaType = MediaType(try container.decodeIfPresent(String.self, forKey: .mediaType) ?? "")
        digest = try container.decode(String.self, forKey: .digest)
        size = try container.decodeIfPresent(Int64.self, forKey: .size)
        platform = try container.decodeIfPresent(PlatformField.self, forKey: .platform)
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mediaType.rawValue, forKey: .mediaType)
        try container.encode(digest, forKey: .digest)
        try container.encodeIfPresent(size, forKey: .size)
        try container.encodeIfPresent(platform, forKey: .platform)
        try container.encodeIfPresent(annotations, forKey: .annotations)
    }
}

/// The `platform` object of an index entry, as written (no normalisation, fields optional so a
/// sloppy entry is skipped rather than failing the whole index).
public struct PlatformField: Sendable, Hashable, Codable {
    public var architecture: String?
    public var os: String?
    public var variant: String?
    public var osVersion: String?

    public init(architecture: String?, os: String?, variant: String? = nil, osVersion: String? = nil) {
        self.architecture = architecture
        self.os = os
        self.variant = variant
        self.osVersion = osVersion
    }

    enum CodingKeys: String, CodingKey {
        case architecture, os, variant
        case osVersion = "os.version"
    }

    /// The normalised platform, or nil when `os` or `architecture` is missing or empty.
    public var platform: Platform? {
        guard let os, let architecture, !os.isEmpty, !architecture.isEmpty else { return nil }
        return Platform(os: os, architecture: architecture, variant: variant, osVersion: osVersion)
    }
}
