import Foundation
import KubearchRegistry

/// Puts content into a `RegistryServer` with plain HTTP through `CurlTransport` (blob upload:
/// `POST /v2/<repo>/blobs/uploads/` then `PUT <Location>&digest=…`; manifest: `PUT
/// /v2/<repo>/manifests/<reference>` with its media type), authenticating as the server requires
/// (Basic, or a `pull,push` token from its issuer, fetched once per repository per pusher).
struct RegistryPusher: Sendable {
    let registry: RegistryServer
    let transport: any HTTPTransport
    private let tokens = PushTokens()

    init(_ registry: RegistryServer, transport: any HTTPTransport = CurlTransport()) {
        self.registry = registry
        self.transport = transport
    }

    /// `sha256:<hex>` of `data`.
    static func digest(of data: Data) -> String {
        "sha256:" + SHA256.hexDigest(data)
    }

    /// Uploads a blob; returns its digest.
    @discardableResult
    func pushBlob(_ data: Data, to repository: String) async throws -> String {
        let digest = Self.digest(of: data)
        let authorization = try await authorizationHeaders(for: repository)
        let started = try await transport.send(
            registry.request("/v2/\(repository)/blobs/uploads/", method: "POST", headers: authorization)
        )
        guard started.status == 202, let location = started.header("Location"),
              let uploadURL = URL(string: location, relativeTo: registry.baseURL)?.absoluteURL,
              var components = URLComponents(url: uploadURL, resolvingAgainstBaseURL: false)
        else {
            throw TestSupportError.unexpectedResponse("blob upload start: HTTP \(started.status) \(Self.text(started))")
        }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "digest", value: digest)]
        guard let finishURL = components.url else { throw TestSupportError.unexpectedResponse("upload URL \(location)") }
        let finished = try await transport.send(HTTPRequest(
            method: "PUT", url: finishURL,
            headers: authorization + [(name: "Content-Type", value: "application/octet-stream")],
            body: data, security: registry.security, timeout: 60
        ))
        guard finished.status == 201 else {
            throw TestSupportError.unexpectedResponse("blob upload: HTTP \(finished.status) \(Self.text(finished))")
        }
        return digest
    }

    /// Uploads a manifest (or index) under `reference` (a tag or its digest); returns its digest.
    @discardableResult
    func pushManifest(_ data: Data, mediaType: String, to repository: String, reference: String) async throws -> String {
        let authorization = try await authorizationHeaders(for: repository)
        let response = try await transport.send(registry.request("/v2/\(repository)/manifests/\(reference)", method: "PUT",
            headers: authorization + [(name: "Content-Type", value: mediaType)], body: data
        ))
        guard response.status == 201 else {
            throw TestSupportError.unexpectedResponse("manifest: HTTP \(response.status) \(Self.text(response))")
        }
        return Self.digest(of: data)
    }

    /// Pushes a minimal single-platform image (config blob, one small layer, manifest) and tags it
    /// when `tag` is given (else it is pushed by digest).
    @discardableResult
    func pushImage(
        to repository: String, tag: String?, platform: ImagePlatform, format: ManifestFormat = .oci
    ) async throws -> PushedManifest {
        let layer = Data("layer for \(platform) \(UUID().uuidString)".utf8)
        let layerDigest = try await pushBlob(layer, to: repository)
        var config: [String: Any] = [
            "architecture": platform.architecture, "os": platform.os,
            "rootfs": ["type": "layers", "diff_ids": [layerDigest]], "config": [String: Any](),
        ]
        if let variant = platform.variant { config["variant"] = variant }
        let configData = try Self.json(config)
        let configDigest = try await pushBlob(configData, to: repository)
        let manifest: [String: Any] = [
            "schemaVersion": 2,
            "mediaType": format.manifestMediaType,
            "config": ["mediaType": format.configMediaType, "digest": configDigest, "size": configData.count],
            "layers": [["mediaType": format.layerMediaType, "digest": layerDigest, "size": layer.count]],
        ]
        let data = try Self.json(manifest)
        let digest = Self.digest(of: data)
        try await pushManifest(data, mediaType: format.manifestMediaType, to: repository, reference: tag ?? digest)
        return PushedManifest(
            digest: digest, mediaType: format.manifestMediaType, data: data, platform: platform, configDigest: configDigest
        )
    }

    /// Pushes an index (OCI) or manifest list (Docker) over already pushed `manifests` (each needs a
    /// `platform`) and tags it.
    @discardableResult
    func pushIndex(
        of manifests: [PushedManifest], to repository: String, tag: String, format: ManifestFormat = .oci
    ) async throws -> PushedManifest {
        let entries: [[String: Any]] = manifests.map { manifest in
            var entry: [String: Any] = [
                "mediaType": manifest.mediaType, "digest": manifest.digest, "size": manifest.data.count,
            ]
            if let platform = manifest.platform {
                var description: [String: Any] = ["architecture": platform.architecture, "os": platform.os]
                if let variant = platform.variant { description["variant"] = variant }
                entry["platform"] = description
            }
            return entry
        }
        let index: [String: Any] = ["schemaVersion": 2, "mediaType": format.indexMediaType, "manifests": entries]
        let data = try Self.json(index)
        try await pushManifest(data, mediaType: format.indexMediaType, to: repository, reference: tag)
        return PushedManifest(
            digest: Self.digest(of: data), mediaType: format.indexMediaType, data: data, platform: nil, configDigest: nil
        )
    }

    /// The `Authorization` header this registry needs for pushing to `repository`.
    func authorizationHeaders(for repository: String) async throws -> [(name: String, value: String)] {
        switch registry.configuration.auth {
        case .none:
            return []
        case .basic:
            return [(name: "Authorization", value: registry.basicAuthorization)]
        case .token:
            guard let issuer = registry.tokenIssuer else { return [] }
            let token = try await tokens.token(for: "repository:\(repository):pull,push", from: issuer)
            return [(name: "Authorization", value: "Bearer \(token)")]
        }
    }

    private static func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    private static func text(_ response: HTTPResponse) -> String {
        String(decoding: response.body.prefix(500), as: UTF8.self)
    }
}

/// The pusher's tokens by scope, so pushing an image costs one token request, not one per upload.
private actor PushTokens {
    private var tokens: [String: String] = [:]

    func token(for scope: String, from issuer: TokenIssuer) async throws -> String {
        if let known = tokens[scope] { return known }
        let fresh = try await issuer.token(scope: scope)
        tokens[scope] = fresh
        return fresh
    }
}

/// An image platform as written in an index entry and an image config.
struct ImagePlatform: Hashable, Sendable, CustomStringConvertible {
    var os: String
    var architecture: String
    var variant: String?

    init(os: String = "linux", architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    static let linuxAmd64 = ImagePlatform(architecture: "amd64")
    static let linuxArm64 = ImagePlatform(architecture: "arm64", variant: "v8")
    static let linuxArmV7 = ImagePlatform(architecture: "arm", variant: "v7")

    var description: String {
        [os, architecture, variant].compactMap { $0 }.joined(separator: "/")
    }
}

/// OCI or Docker (schema 2) media types for what `RegistryPusher` builds.
enum ManifestFormat: Sendable {
    case oci
    case docker

    var manifestMediaType: String {
        switch self {
        case .oci: "application/vnd.oci.image.manifest.v1+json"
        case .docker: "application/vnd.docker.distribution.manifest.v2+json"
        }
    }

    var indexMediaType: String {
        switch self {
        case .oci: "application/vnd.oci.image.index.v1+json"
        case .docker: "application/vnd.docker.distribution.manifest.list.v2+json"
        }
    }

    var configMediaType: String {
        switch self {
        case .oci: "application/vnd.oci.image.config.v1+json"
        case .docker: "application/vnd.docker.container.image.v1+json"
        }
    }

    var layerMediaType: String {
        switch self {
        case .oci: "application/vnd.oci.image.layer.v1.tar+gzip"
        case .docker: "application/vnd.docker.image.rootfs.diff.tar.gzip"
        }
    }
}

/// What `RegistryPusher` pushed: enough to reference it from an index or to check a client.
struct PushedManifest: Sendable {
    /// `sha256:<hex>` of `data`.
    let digest: String
    let mediaType: String
    /// The exact bytes pushed.
    let data: Data
    /// Set for single-platform manifests.
    let platform: ImagePlatform?
    /// The config blob's digest, for single-platform manifests.
    let configDigest: String?
}
