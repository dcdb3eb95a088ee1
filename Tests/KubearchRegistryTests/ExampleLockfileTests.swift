import Foundation
import KubearchCore
import KubearchRegistry
import Testing

/// `examples/kubearch.lock` claims real digests and platforms; these tests recompute them from the
/// published registry JSON in `fixtures/oci` (see examples/README.md) with kubearch's own parser and
/// SHA-256, so a hand edit of the lockfile, or of the sources it cites, fails here.
@Suite("examples/kubearch.lock against its sources")
struct ExampleLockfileTests {
    private func exampleLockfile() throws -> Lockfile {
        let url = RegistryFixtures.packageRoot.appendingPathComponent("examples/kubearch.lock")
        return try Lockfile.parse(bytes: Array(try Data(contentsOf: url)), path: "examples/kubearch.lock")
    }

    private func entry(_ canonical: String) throws -> LockEntry {
        try #require(try exampleLockfile().lookup(canonical), "\(canonical) is not in examples/kubearch.lock")
    }

    @Test func busyboxIndexIsTheSHA256OfTheListsBytesWithItsEntriesPlatforms() throws {
        let bytes = try RegistryFixtures.data("containers-image/schema2list.json")
        let digest = ContentDigest.sha256(of: bytes).description
        let locked = try entry("docker.io/library/busybox@\(digest)")
        #expect(locked.digest == digest)
        guard case .index(let index) = try ManifestDocument.parse(bytes) else {
            Issue.record("schema2list.json is not an index")
            return
        }
        #expect(locked.platforms == LockEntry(digest: digest, platforms: index.platformSelection().platforms).platforms)
        #expect(locked.platforms.map(\.description).contains("linux/arm64/v8"))

        // The DaemonSet's image is that list's arm64 entry, with the platform the list gives it.
        let arm64 = try #require(index.manifests.first { $0.platform?.platform?.architecture == "arm64" })
        let child = try entry("docker.io/library/busybox@\(arm64.digest)")
        #expect(child.digest == arm64.digest)
        #expect(child.platforms.map(\.description) == ["linux/arm64/v8"])
    }

    /// The crane output in go-containerregistry's README hashes to the digest it was asked for, once
    /// the newline that closes the extracted code block is left out.
    @Test func ubuntuManifestHashesToItsDigest() throws {
        var bytes = try RegistryFixtures.data("go-containerregistry/ubuntu.v2s2-manifest.json")
        #expect(bytes.last == UInt8(ascii: "\n"))
        bytes.removeLast()
        let digest = ContentDigest.sha256(of: bytes).description
        #expect(digest == "sha256:0925d086715714114c1988f7c947db94064fd385e171a63c07730f1fa014e6f9")
        let locked = try entry("docker.io/library/ubuntu@\(digest)")
        #expect(locked.platforms.map(\.description) == ["linux/amd64"])
        guard case .image(let manifest) = try ManifestDocument.parse(bytes) else {
            Issue.record("ubuntu.v2s2-manifest.json is not an image manifest")
            return
        }
        // The config `crane pull ubuntu` fetched on amd64/linux in that README.
        #expect(manifest.config.digest == "sha256:72300a873c2ca11c70d0c8642177ce76ff69ae04d61a5813ef58d40ff66e3e7c")
    }

    /// docker/cli's documentation prints the digest and platform of hello-world's manifest.
    @Test func helloWorldIsWhatDockersDocumentationPrinted() throws {
        let inspect = try #require(
            try JSONSerialization.jsonObject(with: try RegistryFixtures.data("docker-cli-docs/hello-world.manifest-inspect-verbose.json")) as? [String: Any])
        let digest = try #require(inspect["Digest"] as? String)
        let platform = try #require(inspect["Platform"] as? [String: String])
        let locked = try entry("docker.io/library/hello-world@\(digest)")
        #expect(locked.platforms.map(\.description) == ["\(platform["os"] ?? "")/\(platform["architecture"] ?? "")"])
    }

    @Test func everyEntryIsCitedAndPinnedByDigest() throws {
        let entries = try exampleLockfile().entries
        #expect(entries.count == 4)
        for (reference, entry) in entries {
            #expect(reference.hasSuffix("@" + entry.digest), "\(reference) is not pinned by its digest")
        }
    }
}
