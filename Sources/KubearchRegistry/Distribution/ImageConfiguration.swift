import KubearchCore
import FoundationEssentials

/// The fields of an OCI / Docker image config blob that say where the image runs.
public struct ImageConfiguration: Sendable, Hashable, Codable {
    public var os: String
    public var architecture: String
    public var variant: String?
    public var osVersion: String?

    public init(os: String, architecture: String, variant: String? = nil, osVersion: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
        self.osVersion = osVersion
    }

    enum CodingKeys: String, CodingKey {
        case os, architecture, variant
        case osVersion = "os.version"
    }

    public var platform: Platform {
        Platform(os: os, architecture: architecture, variant: variant, osVersion: osVersion)
    }

    /// Decodes a config blob; a missing or empty `os`/`architecture` is an error, never a guess.
    public static func parse(_ data: Data) throws(ManifestError) -> ImageConfiguration {
        let config: ImageConfiguration = try ManifestDocument.decodeObject(data, as: ImageConfiguration.self)
        if config.os.isEmpty { throw .missingField("os") }
        if config.architecture.isEmpty { throw .missingField("architecture") }
        return config
    }
}
