/// Why a manifest or config document could not be used. Messages are one line and name the field.
public enum ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidJSON
    case notAnObject
    case missingField(String)
    case wrongType(field: String, expected: String)
    case unsupportedSchemaVersion(Int)
    case unsupportedMediaType(String)
    /// An artifact (Helm chart, signature, attestation…) rather than a runnable image.
    case notAContainerImage(configMediaType: String)

    public var description: String {
        switch self {
        case .invalidJSON: "not valid JSON"
        case .notAnObject: "not a JSON object"
        case .missingField(let field): "missing field `\(field)`"
        case .wrongType(let field, let expected): "field `\(field)` is not \(expected)"
        case .unsupportedSchemaVersion(let version): "unsupported schemaVersion \(version)"
        case .unsupportedMediaType(let type): "unsupported media type \(type.isEmpty ? "(none)" : type)"
        case .notAContainerImage(let type): "not a container image (config media type \(type.isEmpty ? "(none)" : type))"
        }
    }
}
