/// Every media type the registry client tells apart, manifests and configs alike.
public enum MediaType: Sendable, Hashable, CustomStringConvertible {
    case ociIndex
    case ociManifest
    case dockerManifestList
    case dockerManifest
    case dockerSchema1Manifest
    case dockerSchema1SignedManifest
    case ociImageConfig
    case dockerImageConfig
    case unknown(String)

    public init(_ value: String) {
        // Parameters (`; charset=utf-8`) and case do not change the type.
        let bare = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        switch bare.trimmingSpaces().lowercased() {
        case "application/vnd.oci.image.index.v1+json": self = .ociIndex
        case "application/vnd.oci.image.manifest.v1+json": self = .ociManifest
        case "application/vnd.docker.distribution.manifest.list.v2+json": self = .dockerManifestList
        case "application/vnd.docker.distribution.manifest.v2+json": self = .dockerManifest
        case "application/vnd.docker.distribution.manifest.v1+json": self = .dockerSchema1Manifest
        case "application/vnd.docker.distribution.manifest.v1+prettyjws": self = .dockerSchema1SignedManifest
        case "application/vnd.oci.image.config.v1+json": self = .ociImageConfig
        case "application/vnd.docker.container.image.v1+json": self = .dockerImageConfig
        default: self = .unknown(value)
        }
    }

    public var rawValue: String {
        switch self {
        case .ociIndex: "application/vnd.oci.image.index.v1+json"
        case .ociManifest: "application/vnd.oci.image.manifest.v1+json"
        case .dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json"
        case .dockerManifest: "application/vnd.docker.distribution.manifest.v2+json"
        case .dockerSchema1Manifest: "application/vnd.docker.distribution.manifest.v1+json"
        case .dockerSchema1SignedManifest: "application/vnd.docker.distribution.manifest.v1+prettyjws"
        case .ociImageConfig: "application/vnd.oci.image.config.v1+json"
        case .dockerImageConfig: "application/vnd.docker.container.image.v1+json"
        case .unknown(let value): value
        }
    }

    public var description: String { rawValue }

    /// A list of per-platform manifests.
    public var isIndex: Bool { self == .ociIndex || self == .dockerManifestList }
    /// A single-platform manifest with a config descriptor.
    public var isImageManifest: Bool { self == .ociManifest || self == .dockerManifest }
    public var isSchema1: Bool { self == .dockerSchema1Manifest || self == .dockerSchema1SignedManifest }
    public var isImageConfig: Bool { self == .ociImageConfig || self == .dockerImageConfig }

    /// Everything `GET /v2/<repo>/manifests/<ref>` may answer with. A registry only returns a type the
    /// client accepts: without the index type an OCI index is a 404, and without the list type a
    /// Docker manifest list silently becomes its amd64 child (NOTES.md).
    public static let acceptedManifestTypes: [MediaType] = [
        .ociIndex, .dockerManifestList, .ociManifest, .dockerManifest,
        .dockerSchema1SignedManifest, .dockerSchema1Manifest,
    ]

    /// The single `Accept` header value sent with every manifest request.
    public static let manifestAcceptHeader: String = acceptedManifestTypes.map(\.rawValue).joined(separator: ", ")
}
