import KubearchCore
/// Why one image could not be resolved. Each `description` is one line naming the image;
/// none ever contains a credential or token.
public enum RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidReference(image: String, reason: String)
    /// `MANIFEST_UNKNOWN` / `NAME_UNKNOWN` (HTTP 404).
    case notFound(image: String)
    case unauthorized(image: String, detail: String)
    case denied(image: String)
    case digestMismatch(image: String, expected: String, actual: String)
    case malformedManifest(image: String, reason: String)
    case unsupportedMediaType(image: String, mediaType: String)
    /// The image lists no platform a node could run (only attestations or artifacts).
    case noPlatforms(image: String)
    case tooManyRetries(image: String, attempts: Int, lastFailure: String)
    case responseTooLarge(image: String, limit: Int)
    case credentials(image: String, reason: String)
    case unexpectedStatus(image: String, status: Int, detail: String)
    case transport(image: String, reason: String)
    /// Every mirror was skipped and `fallback: false` forbids asking the registry itself; `skipped`
    /// says why each one was (`127.0.0.1:5000/mirror/docker.io: manifest unknown …`).
    case notOnAnyMirror(image: String, skipped: [String])
    /// No connection could be made at all (no network, an unknown host, a refused connection),
    /// as opposed to a registry that answered badly.
    case unreachable(image: String, reason: String)

    public var image: String {
        switch self {
        case .invalidReference(let image, _), .notFound(let image), .unauthorized(let image, _), .denied(let image),
            .digestMismatch(let image, _, _), .malformedManifest(let image, _), .unsupportedMediaType(let image, _),
            .noPlatforms(let image), .tooManyRetries(let image, _, _), .responseTooLarge(let image, _),
            .credentials(let image, _), .unexpectedStatus(let image, _, _), .transport(let image, _),
            .notOnAnyMirror(let image, _), .unreachable(let image, _):
            image
        }
    }

    public var description: String {
        let text: String
        switch self {
        case .invalidReference(let image, let reason): text = "\(image): invalid image reference: \(reason)"
        case .notFound(let image): text = "\(image): manifest unknown (not found in the registry)"
        case .unauthorized(let image, let detail): text = "\(image): unauthorized: \(detail)"
        case .denied(let image): text = "\(image): access denied by the registry"
        case .digestMismatch(let image, let expected, let actual):
            text = "\(image): digest mismatch: expected \(expected), received content has \(actual)"
        case .malformedManifest(let image, let reason): text = "\(image): malformed manifest: \(reason)"
        case .unsupportedMediaType(let image, let mediaType): text = "\(image): unsupported media type \(mediaType)"
        case .noPlatforms(let image): text = "\(image): the image lists no runnable platform"
        case .tooManyRetries(let image, let attempts, let lastFailure):
            text = "\(image): gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(lastFailure)"
        case .responseTooLarge(let image, let limit): text = "\(image): registry response larger than \(limit) bytes"
        case .credentials(let image, let reason): text = "\(image): \(reason)"
        case .unexpectedStatus(let image, let status, let detail):
            text = "\(image): registry answered HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")"
        case .transport(let image, let reason), .unreachable(let image, let reason): text = "\(image): \(reason)"
        case .notOnAnyMirror(let image, let skipped):
            text = "\(image): no mirror had it and fallback is off, so the registry itself was not asked (\(skipped.joined(separator: "; ")))"
        }
        return Self.oneLine(text)
    }

    /// The description without the leading image name: what one host said about the image.
    var reason: String {
        let text = description
        let prefix = "\(image): "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }

    /// Collapses control characters (a registry's message may hold newlines) and bounds the length.
    static func oneLine(_ text: String, limit: Int = 400) -> String {
        let flattened = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) })
        return flattened.count > limit ? String(flattened.prefix(limit)) + "…" : flattened
    }
}
