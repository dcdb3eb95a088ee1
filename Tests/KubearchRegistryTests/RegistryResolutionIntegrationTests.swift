import Foundation
import KubearchCore
import Testing

@testable import KubearchRegistry

/// What every real-registry integration test builds on: a client as the CLI builds it (redirects
/// followed safely over libcurl), unique repository names for the shared servers, and index
/// documents with entries `RegistryPusher.pushIndex` cannot write (annotations, `os.version`).
enum RegistryIntegration {
    /// The client the CLI uses, with no credentials unless given.
    static func client(
        configuration: RegistryConfiguration = RegistryConfiguration(), credentials: CredentialStore = .none
    ) -> RegistryClient {
        RegistryClient(
            transport: RedirectingTransport(CurlTransport()), configuration: configuration, credentials: credentials,
            timeout: 20)
    }

    /// `<prefix>/<12 hex>`: a repository no other test on a shared server uses.
    static func repository(_ prefix: String) -> String {
        "\(prefix)/\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12))"
    }

    /// One index entry: a pushed manifest with an explicit platform object and annotations.
    static func entry(
        _ manifest: PushedManifest, platform: [String: String]?, annotations: [String: String]? = nil
    ) -> [String: Any] {
        var entry: [String: Any] = ["mediaType": manifest.mediaType, "digest": manifest.digest, "size": manifest.data.count]
        if let platform { entry["platform"] = platform }
        if let annotations { entry["annotations"] = annotations }
        return entry
    }

    /// `{"os": …, "architecture": …, "variant"?: …}` of a pushed single-platform manifest.
    static func platformObject(_ manifest: PushedManifest, osVersion: String? = nil) -> [String: String] {
        var object: [String: String] = [:]
        if let platform = manifest.platform {
            object["os"] = platform.os
            object["architecture"] = platform.architecture
            if let variant = platform.variant { object["variant"] = variant }
        }
        if let osVersion { object["os.version"] = osVersion }
        return object
    }

    /// Pushes an index of `entries` under `tag`; returns its digest.
    @discardableResult
    static func pushIndex(
        _ entries: [[String: Any]], format: ManifestFormat, pusher: RegistryPusher, repository: String, tag: String
    ) async throws -> String {
        let index: [String: Any] = ["schemaVersion": 2, "mediaType": format.indexMediaType, "manifests": entries]
        let data = try JSONSerialization.data(withJSONObject: index, options: [.sortedKeys])
        return try await pusher.pushManifest(data, mediaType: format.indexMediaType, to: repository, reference: tag)
    }

    /// A BuildKit-style attestation manifest (in-toto layer, `unknown/unknown` config) for `subject`.
    static func pushAttestation(pusher: RegistryPusher, repository: String) async throws -> PushedManifest {
        let statement = Data(#"{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://spdx.dev/Document"}"#.utf8)
        let layerDigest = try await pusher.pushBlob(statement, to: repository)
        let config = Data(#"{"architecture":"unknown","os":"unknown","config":{},"rootfs":{"type":"layers","diff_ids":["\#(layerDigest)"]}}"#.utf8)
        let configDigest = try await pusher.pushBlob(config, to: repository)
        let manifest: [String: Any] = [
            "schemaVersion": 2, "mediaType": ManifestFormat.oci.manifestMediaType,
            "config": ["mediaType": ManifestFormat.oci.configMediaType, "digest": configDigest, "size": config.count],
            "layers": [[
                "mediaType": "application/vnd.in-toto+json", "digest": layerDigest, "size": statement.count,
                "annotations": ["in-toto.io/predicate-type": "https://spdx.dev/Document"],
            ]],
        ]
        let data = try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys])
        let digest = try await pusher.pushManifest(
            data, mediaType: ManifestFormat.oci.manifestMediaType, to: repository, reference: RegistryPusher.digest(of: data))
        return PushedManifest(
            digest: digest, mediaType: ManifestFormat.oci.manifestMediaType, data: data,
            platform: ImagePlatform(os: "unknown", architecture: "unknown"), configDigest: configDigest)
    }
}

/// `RegistryClient` against the real docker-registry (plain http on loopback, open server): every
/// manifest shape the registry stores, digest pinning, and a missing tag. Each test pushes its own
/// repository on the shared server and uses its own client, so request counts are exact.
@Suite("Registry integration: resolution")
struct RegistryResolutionIntegrationTests {
    @Test func ociIndexWithAttestationsListsOnlyRunnablePlatforms() async throws {
        let registry = try await RegistryServer.shared(.open)
        let pusher = RegistryPusher(registry)
        let repository = RegistryIntegration.repository("oci-index")
        let amd64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxAmd64)
        let arm64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxArm64)
        var entries: [[String: Any]] = []
        for image in [amd64, arm64] {
            entries.append(RegistryIntegration.entry(image, platform: RegistryIntegration.platformObject(image)))
        }
        // One attestation per image, as BuildKit writes them.
        for subject in [amd64, arm64] {
            let attestation = try await RegistryIntegration.pushAttestation(pusher: pusher, repository: repository)
            entries.append(RegistryIntegration.entry(
                attestation, platform: ["os": "unknown", "architecture": "unknown"],
                annotations: ["vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": subject.digest]))
        }
        let indexDigest = try await RegistryIntegration.pushIndex(
            entries, format: .oci, pusher: pusher, repository: repository, tag: "v1")

        let client = RegistryIntegration.client()
        let image = try await client.platforms(registry: registry.host, repository: repository, reference: "v1")
        #expect(image.digest == indexDigest)
        #expect(image.mediaType == .ociIndex)
        #expect(image.platforms.map(\.description) == ["linux/amd64", "linux/arm64/v8"])
        // The index names every platform: no child manifest or attestation is fetched.
        #expect(await client.requestCount == 1)
    }

    @Test func dockerManifestListWithArmVariantsAndWindowsVersions() async throws {
        let registry = try await RegistryServer.shared(.open)
        let pusher = RegistryPusher(registry)
        let repository = RegistryIntegration.repository("docker-list")
        let linux: [ImagePlatform] = [
            .linuxAmd64, ImagePlatform(architecture: "arm", variant: "v6"), .linuxArmV7, .linuxArm64,
        ]
        var entries: [[String: Any]] = []
        for platform in linux {
            let image = try await pusher.pushImage(to: repository, tag: nil, platform: platform, format: .docker)
            entries.append(RegistryIntegration.entry(image, platform: RegistryIntegration.platformObject(image)))
        }
        for osVersion in ["10.0.17763.6414", "10.0.20348.2762"] {
            let image = try await pusher.pushImage(
                to: repository, tag: nil, platform: ImagePlatform(os: "windows", architecture: "amd64"), format: .docker)
            entries.append(RegistryIntegration.entry(image, platform: RegistryIntegration.platformObject(image, osVersion: osVersion)))
        }
        let listDigest = try await RegistryIntegration.pushIndex(
            entries, format: .docker, pusher: pusher, repository: repository, tag: "1.0")

        let client = RegistryIntegration.client()
        let image = try await client.platforms(registry: registry.host, repository: repository, reference: "1.0")
        // The list itself, not the amd64 child the registry hands to clients that do not accept lists.
        #expect(image.digest == listDigest)
        #expect(image.mediaType == .dockerManifestList)
        #expect(image.platforms.map(\.description) == [
            "linux/amd64", "linux/arm/v6", "linux/arm/v7", "linux/arm64/v8", "windows/amd64", "windows/amd64",
        ])
        #expect(image.platforms.compactMap(\.osVersion) == ["10.0.17763.6414", "10.0.20348.2762"])
        #expect(Set(image.platforms.map(\.nodeArchitecture)) == ["amd64", "arm", "arm64"])
        #expect(await client.requestCount == 1)
    }

    /// A single manifest's platform comes from its config blob; arm64 and s390x prove nothing
    /// assumes amd64.
    @Test(arguments: [
        (ManifestFormat.oci, ImagePlatform.linuxArm64, "linux/arm64/v8"),
        (ManifestFormat.docker, ImagePlatform(architecture: "arm64"), "linux/arm64"),
        (ManifestFormat.docker, ImagePlatform(architecture: "s390x"), "linux/s390x"),
    ])
    func singlePlatformImageReadsItsConfigBlob(format: ManifestFormat, platform: ImagePlatform, expected: String) async throws {
        let registry = try await RegistryServer.shared(.open)
        let pusher = RegistryPusher(registry)
        let repository = RegistryIntegration.repository("single")
        let pushed = try await pusher.pushImage(to: repository, tag: "v2", platform: platform, format: format)

        let client = RegistryIntegration.client()
        let image = try await client.platforms(registry: registry.host, repository: repository, reference: "v2")
        #expect(image.digest == pushed.digest)
        #expect(image.mediaType == MediaType(format.manifestMediaType))
        #expect(image.platforms.map(\.description) == [expected])
        // Manifest, then the config blob.
        #expect(await client.requestCount == 2)
    }

    @Test func digestPinnedReferenceIgnoresWhereTheTagPointsNow() async throws {
        let registry = try await RegistryServer.shared(.open)
        let pusher = RegistryPusher(registry)
        let repository = RegistryIntegration.repository("pinned")
        let first = try await pusher.pushImage(to: repository, tag: "stable", platform: .linuxArm64)
        // Retag: `stable` now names an amd64 image.
        let second = try await pusher.pushImage(to: repository, tag: "stable", platform: .linuxAmd64)
        #expect(first.digest != second.digest)

        let pinned = try ImageReference(parsing: "\(registry.host)/\(repository):stable@\(first.digest)")
        #expect(pinned.manifestReference == first.digest)
        let client = RegistryIntegration.client()
        let byDigest = try await client.platforms(
            registry: pinned.registry, repository: pinned.repository, reference: pinned.manifestReference)
        #expect(byDigest.digest == first.digest)
        #expect(byDigest.platforms.map(\.description) == ["linux/arm64/v8"])

        let byTag = try await client.platforms(registry: registry.host, repository: repository, reference: "stable")
        #expect(byTag.digest == second.digest)
        #expect(byTag.platforms.map(\.description) == ["linux/amd64"])
    }

    @Test func missingTagAndMissingRepositoryAreNotFoundNamingTheImage() async throws {
        let registry = try await RegistryServer.shared(.open)
        let repository = RegistryIntegration.repository("missing")
        try await RegistryPusher(registry).pushImage(to: repository, tag: "present", platform: .linuxAmd64)
        let client = RegistryIntegration.client()

        for (name, tag) in [(repository, "absent"), (RegistryIntegration.repository("never-pushed"), "v1")] {
            let image = "\(registry.host)/\(name):\(tag)"
            let error = await #expect(throws: RegistryError.self) {
                try await client.platforms(registry: registry.host, repository: name, reference: tag)
            }
            #expect(error == .notFound(image: image))
            #expect(error?.description.hasPrefix(image + ":") == true)
        }
        // A 404 is an answer, not a failure to retry.
        #expect(await client.requestCount == 2)
    }
}
