import KubearchCore
import Foundation
import Testing

@testable import KubearchRegistry

/// What each corpus document must parse to.
enum CorpusExpectation: Sendable, CustomStringConvertible {
    /// An index: platforms read from it, and how many unlabelled entries the client would fetch.
    case index(platforms: [String], unresolved: Int)
    /// A single-platform manifest whose platform is in the config blob with this digest.
    case image(configDigest: String)
    case schema1(platform: String)
    /// An image config blob.
    case config(platform: String)
    case rejected(ManifestError)

    var description: String {
        switch self {
        case .index(let platforms, _): "index \(platforms)"
        case .image(let digest): "image \(digest.prefix(16))"
        case .schema1(let platform): "schema1 \(platform)"
        case .config(let platform): "config \(platform)"
        case .rejected(let error): "rejected: \(error)"
        }
    }
}

let helmConfig = "application/vnd.cncf.helm.config.v1+json"
let emptyConfig = "application/vnd.oci.empty.v1+json"
let configB5 = "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"

let corpusExpectations: [String: CorpusExpectation] = [
    "buildkit-docs/example-attestation-manifest-in-toto-layers.json": .rejected(.notAContainerImage(configMediaType: emptyConfig)),
    "buildkit-docs/example-image-index-with-attestation.json": .index(platforms: ["linux/amd64"], unresolved: 0),
    "containers-image/oci1-artifact.json": .rejected(.notAContainerImage(configMediaType: "application/vnd.oci.custom.artifact.config.v1+json")),
    "containers-image/oci1-config.json": .config(platform: "linux/amd64"),
    "containers-image/oci1.index.everything.json": .index(platforms: ["b/a/e"], unresolved: 0),
    "containers-image/oci1.index.zstd-selection.json": .index(platforms: ["linux/amd64", "linux/arm64", "linux/s390x"], unresolved: 0),
    "containers-image/oci1index.json": .index(platforms: ["linux/amd64", "linux/arm64", "linux/ppc64le"], unresolved: 0),
    "containers-image/ocilist-variants.json": .index(
        platforms: ["linux/amd64", "linux/arm", "linux/arm/unrecognized-present", "linux/arm/v6", "linux/arm/v7"], unresolved: 0),
    "containers-image/ociv1.artifact.json": .rejected(.notAContainerImage(configMediaType: "application/vnd.oci.custom.artifact.config.v1+json")),
    "containers-image/ociv1.manifest.json": .image(configDigest: configB5),
    "containers-image/ociv1nomime.image.index.json": .index(platforms: ["linux/amd64", "linux/ppc64le"], unresolved: 0),
    "containers-image/schema2-config.json": .config(platform: "linux/amd64"),
    "containers-image/schema2list-variants.json": .index(
        platforms: ["linux/amd64", "linux/arm", "linux/arm/unrecognized-present", "linux/arm/v6"], unresolved: 0),
    "containers-image/schema2list.json": .index(
        platforms: ["linux/386", "linux/amd64", "linux/arm/v5", "linux/arm/v6", "linux/arm64/v8", "linux/ppc64le", "linux/s390x"],
        unresolved: 0),
    "containers-image/unknown-version.manifest.json": .rejected(.unsupportedSchemaVersion(99999)),
    "containers-image/v2list.everything.json": .index(platforms: ["b/a/e"], unresolved: 0),
    "containers-image/v2list.manifest.json": .index(
        platforms: ["linux/amd64", "linux/arm/armv7", "linux/arm64/armv8", "linux/ppc64le", "linux/s390x"], unresolved: 0),
    "containers-image/v2s1.manifest.json": .schema1(platform: "linux/amd64"),
    "containers-image/v2s2.manifest.json": .image(configDigest: configB5),
    "distribution-spec-docs/example-image-manifest-v2-2.json": .image(configDigest: configB5),
    "distribution-spec-docs/example-manifest-list-v2-ppc64le-amd64.json": .index(platforms: ["linux/amd64", "linux/ppc64le"], unresolved: 0),
    "docker-cli-docs/coolapp-v1.manifest-list-arm-no-variant.json": .index(
        platforms: ["linux/amd64", "linux/arm", "linux/ppc64le", "linux/s390x"], unresolved: 0),
    // `docker manifest inspect --verbose` output, not a registry document.
    "docker-cli-docs/hello-world.manifest-inspect-verbose.json": .rejected(.missingField("schemaVersion")),
    "docker-cli-docs/hello-world.v2s2-manifest.json": .image(
        configDigest: "sha256:1815c82652c03bfd8644afda26fb184f2ed891d921b20a0703b46768f9755c57"),
    "go-containerregistry/hello-world-nanoserver.manifest-list-windows.json": .index(platforms: ["windows/amd64"], unresolved: 0),
    "go-containerregistry/hello-world-nanoserver.windows-manifest-foreign-layers.json": .image(
        configDigest: "sha256:bc5d255ea81f83c8c38a982a6d29a6f2198427d258aea5f166e49856896b2da6"),
    "go-containerregistry/hello-world-v25-save.config-linux-arm64.json": .config(platform: "linux/arm64"),
    // `docker save`'s manifest.json is a JSON array.
    "go-containerregistry/hello-world-v25-save.docker-manifest.json": .rejected(.notAnObject),
    "go-containerregistry/hello-world-v25-save.index-null-manifests.json": .rejected(.wrongType(field: "manifests", expected: "a list")),
    "go-containerregistry/hello-world-v25-save.oci-manifest-arm64-config-platform.json": .image(
        configDigest: "sha256:ee301c921b8aadc002973b2e0c3da17d701dcd994b606769a7e6eaa100b81d44"),
    "go-containerregistry/layout-bazel-config-amd64.json": .config(platform: "linux/amd64"),
    "go-containerregistry/layout-helm-chart-artifact-manifest.json": .rejected(.notAContainerImage(configMediaType: helmConfig)),
    // OCI layout index: a manifest, a nested index and a Docker list without platforms; a bare descriptor skipped.
    "go-containerregistry/layout-test_index.index.json": .index(platforms: [], unresolved: 3),
    "go-containerregistry/layout-unknown-mediatype.index.json": .index(platforms: [], unresolved: 0),
    "go-containerregistry/nanoserver.docker-save-manifest.json": .rejected(.notAnObject),
    "go-containerregistry/ubuntu.v2s2-manifest.json": .image(
        configDigest: "sha256:72300a873c2ca11c70d0c8642177ce76ff69ae04d61a5813ef58d40ff66e3e7c"),
    "image-spec/example-artifact-with-config-manifest.json": .rejected(
        .notAContainerImage(configMediaType: "application/vnd.example.config.v1+json")),
    "image-spec/example-image-config-amd64.json": .config(platform: "linux/amd64"),
    "image-spec/example-image-index-nested-index-no-platform.json": .index(platforms: ["linux/ppc64le"], unresolved: 1),
    "image-spec/example-image-index-ppc64le-amd64.json": .index(platforms: ["linux/amd64", "linux/ppc64le"], unresolved: 0),
    "image-spec/example-image-manifest.json": .image(configDigest: configB5),
    // An `application/xml` entry is skipped; the nested index without platform is to be fetched.
    "image-spec/example-layout-index-json.json": .index(platforms: ["linux/ppc64le"], unresolved: 1),
    "image-spec/example-minimal-artifact-manifest.json": .rejected(.notAContainerImage(configMediaType: emptyConfig)),
]

@Suite("Manifest parsing over the OCI corpus")
struct ManifestCorpusTests {
    @Test func everyFixtureHasAnExpectation() {
        let files = RegistryFixtures.allOCIFiles()
        #expect(files.count == 43)
        #expect(Set(files) == Set(corpusExpectations.keys))
    }

    @Test(arguments: corpusExpectations.keys.sorted())
    func parsesAsExpected(file: String) throws {
        let data = try RegistryFixtures.data(file)
        let expectation = try #require(corpusExpectations[file])
        switch expectation {
        case .index(let platforms, let unresolved):
            let document = try ManifestDocument.parse(data)
            guard case .index(let index) = document else {
                Issue.record("\(file) parsed as \(document)")
                return
            }
            let selection = index.platformSelection()
            #expect(selection.platforms.map(\.description) == platforms)
            #expect(selection.unresolved.count == unresolved)
            #expect(document.mediaType.isIndex)
        case .image(let configDigest):
            let document = try ManifestDocument.parse(data)
            guard case .image(let manifest) = document else {
                Issue.record("\(file) parsed as \(document)")
                return
            }
            #expect(manifest.config.digest == configDigest)
            #expect(manifest.config.mediaType.isImageConfig)
        case .schema1(let platform):
            let document = try ManifestDocument.parse(data)
            guard case .schema1(let manifest) = document else {
                Issue.record("\(file) parsed as \(document)")
                return
            }
            #expect(manifest.platform.description == platform)
        case .config(let platform):
            #expect(try ImageConfiguration.parse(data).platform.description == platform)
            // A config blob is not a manifest.
            #expect(throws: ManifestError.missingField("schemaVersion")) { try ManifestDocument.parse(data) }
        case .rejected(let error):
            #expect(throws: error) { try ManifestDocument.parse(data) }
            #expect(!error.description.isEmpty && !error.description.contains("\n"))
        }
    }

    @Test(arguments: corpusExpectations.keys.sorted())
    func truncatedFixtureIsInvalidJSON(file: String) throws {
        let data = try RegistryFixtures.data(file)
        #expect(throws: ManifestError.invalidJSON) { try ManifestDocument.parse(data.prefix(data.count / 2)) }
    }

    @Test func attestationEntryIsIgnoredEvenWithARealLookingPlatform() throws {
        let json = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
             {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:\(String(repeating: "a", count: 64))","size":1,
              "platform":{"os":"linux","architecture":"s390x"},"annotations":{"vnd.docker.reference.type":"attestation-manifest"}},
             {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:\(String(repeating: "b", count: 64))","size":1,
              "platform":{"os":"linux","architecture":"aarch64","variant":"v8"}}]}
            """
        guard case .index(let index) = try ManifestDocument.parse(Data(json.utf8)) else {
            Issue.record("not an index")
            return
        }
        #expect(index.platformSelection().platforms.map(\.description) == ["linux/arm64/v8"])
    }

    @Test func contentTypeDecidesWhenTheBodyHasNoMediaType() throws {
        let data = try RegistryFixtures.data("containers-image/ociv1nomime.image.index.json")
        #expect(throws: ManifestError.unsupportedMediaType("application/vnd.oci.artifact.manifest.v1+json")) {
            try ManifestDocument.parse(data, contentType: "application/vnd.oci.artifact.manifest.v1+json")
        }
        let document = try ManifestDocument.parse(data, contentType: "application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8")
        #expect(document.mediaType == .dockerManifestList)
        #expect(try ManifestDocument.parse(data, contentType: "application/json").mediaType == .ociIndex)
    }

    @Test func signedSchemaOnePayloadDropsTheSignatures() throws {
        let data = try RegistryFixtures.data("containers-image/v2s1.manifest.json")
        let payload = try #require(SchemaOneManifest.canonicalPayload(of: data))
        #expect(!String(decoding: payload, as: UTF8.self).contains("signatures"))
        // Computed independently with Python's hashlib over the same reconstruction.
        #expect(ContentDigest.sha256(of: payload).description == "sha256:7364fea9d84ee548ab67d4c46c6006289800c98de3fbf8c0a97138dfcc23f000")
        #expect(SchemaOneManifest.canonicalPayload(of: try RegistryFixtures.data("containers-image/v2s2.manifest.json")) == nil)
    }

    @Test func configWithoutArchitectureIsRejected() {
        #expect(throws: ManifestError.missingField("architecture")) {
            try ImageConfiguration.parse(Data(#"{"os":"linux"}"#.utf8))
        }
        #expect(throws: ManifestError.missingField("os")) {
            try ImageConfiguration.parse(Data(#"{"os":"","architecture":"amd64"}"#.utf8))
        }
    }
}
