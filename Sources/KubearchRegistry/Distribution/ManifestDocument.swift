import FoundationEssentials

/// A manifest as returned by `GET /v2/<repo>/manifests/<ref>`, typed.
public enum ManifestDocument: Sendable, Hashable {
    case index(ImageIndex)
    case image(ImageManifest)
    case schema1(SchemaOneManifest)

    public var mediaType: MediaType {
        switch self {
        case .index(let index): index.mediaType ?? .ociIndex
        case .image(let manifest): manifest.mediaType ?? .ociManifest
        case .schema1: .dockerSchema1SignedManifest
        }
    }

    /// Parses a manifest body.
    ///
    /// The type is taken from the body's own `mediaType` (the digest covers it), else from the
    /// response's `Content-Type`, else from the shape (`schemaVersion` 1, `manifests`, `config`).
    /// A type that is neither an index nor a manifest is `unsupportedMediaType`; an image manifest
    /// whose config is not an image config is `notAContainerImage`.
    public static func parse(_ data: Data, contentType: String? = nil) throws(ManifestError) -> ManifestDocument {
        let probe = try decodeObject(data, as: Probe.self)
        guard let schemaVersion = probe.schemaVersion else { throw .missingField("schemaVersion") }

        var mediaType: MediaType?
        if let declared = probe.mediaType {
            mediaType = MediaType(declared)
        } else if let contentType, !isGenericContentType(contentType) {
            mediaType = MediaType(contentType)
        }
        if let known = mediaType, !(known.isIndex || known.isImageManifest || known.isSchema1) {
            throw .unsupportedMediaType(known.rawValue)
        }

        switch schemaVersion {
        case 1:
            if let mediaType, !mediaType.isSchema1 { throw .unsupportedSchemaVersion(1) }
            let manifest = try decodeObject(data, as: SchemaOneManifest.self)
            if manifest.architecture.isEmpty { throw .missingField("architecture") }
            return .schema1(manifest)
        case 2:
            let isIndex = mediaType?.isIndex ?? (probe.hasManifests && !probe.hasConfig)
            let isManifest = mediaType?.isImageManifest ?? (probe.hasConfig && !probe.hasManifests)
            if isIndex {
                var index = try decodeObject(data, as: ImageIndex.self)
                index.mediaType = mediaType ?? index.mediaType
                return .index(index)
            }
            if isManifest {
                var manifest = try decodeObject(data, as: ImageManifest.self)
                manifest.mediaType = mediaType ?? manifest.mediaType
                guard manifest.isContainerImage else {
                    throw .notAContainerImage(configMediaType: manifest.config.mediaType.rawValue)
                }
                return .image(manifest)
            }
            if mediaType?.isSchema1 == true { throw .unsupportedSchemaVersion(2) }
            throw probe.hasManifests ? .unsupportedMediaType(mediaType?.rawValue ?? "") : .missingField("manifests")
        default:
            throw .unsupportedSchemaVersion(schemaVersion)
        }
    }

    /// `application/json` and friends say nothing about which manifest this is.
    static func isGenericContentType(_ value: String) -> Bool {
        let bare = (value.split(separator: ";").first.map(String.init) ?? value)
            .trimmingSpaces().lowercased()
        return ["", "application/json", "text/plain", "application/octet-stream"].contains(bare)
    }

    /// The keys that tell the document's kind, read without committing to one.
    struct Probe: Decodable {
        var schemaVersion: Int?
        var mediaType: String?
        var hasManifests: Bool
        var hasConfig: Bool

        enum CodingKeys: String, CodingKey { case schemaVersion, mediaType, manifests, config }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            schemaVersion = try container.decodeIfPresent(Int.self, forKey: .schemaVersion)
            mediaType = try container.decodeIfPresent(String.self, forKey: .mediaType)
            hasManifests = container.contains(.manifests)
            hasConfig = container.contains(.config)
        }
    }

    /// JSONDecoder with its errors turned into one-line `ManifestError`s naming the field.
    static func decodeObject<T: Decodable>(_ data: Data, as type: T.Type) throws(ManifestError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw manifestError(from: error)
        } catch {
            throw .invalidJSON
        }
    }

    private static func manifestError(from error: DecodingError) -> ManifestError {
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(fieldPath(context.codingPath + [key]))
        case .valueNotFound(let type, let context):
            if context.codingPath.isEmpty { return .notAnObject }
            return .wrongType(field: fieldPath(context.codingPath), expected: typeName(type))
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return .notAnObject }
            return .wrongType(field: fieldPath(context.codingPath), expected: typeName(type))
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? .invalidJSON : .wrongType(field: fieldPath(context.codingPath), expected: "valid")
        @unknown default:
            return .invalidJSON
        }
    }

    private static func fieldPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if type is String.Type { return "a string" }
        if type is Int.Type || type is Int64.Type || type is Double.Type { return "a number" }
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
        return "an object"
    }
}
