import Testing
@testable import KubearchCore

@Suite("Lockfile parse errors")
struct LockfileParseErrorTests {
    private static let digest = "sha256:" + String(repeating: "a", count: 64)

    @Test(arguments: [
        ("images: {}\n",
         "kubearch.lock:1:1: missing key 'version' (expected 'version: 1')"),
        ("version: 3\nimages: {}\n",
         "kubearch.lock:1:10: unsupported 'version' 3 (this kubearch reads version 1)"),
        ("version: 1\nimages: {}\ngenerated: today\n",
         "kubearch.lock:3:1: unknown key 'generated' (expected one of: version, images)"),
        ("version: 1\nimages: [a]\n",
         "kubearch.lock:2:9: 'images' must be a mapping, found a list"),
        ("version: 1\nimages:\n  docker.io/a:1:\n    digest: \(digest)\n    platforms: [linux/amd64]\n    size: 3\n",
         "kubearch.lock:6:5: unknown key 'images[\"docker.io/a:1\"].size' (expected one of: digest, platforms)"),
        ("version: 1\nimages:\n  docker.io/a:1:\n    digest: sha256:abc\n    platforms: [linux/amd64]\n",
         "kubearch.lock:4:13: 'images[\"docker.io/a:1\"].digest' is not a digest: 'sha256:abc' (expected sha256: and 64 lowercase hex digits)"),
        ("version: 1\nimages:\n  docker.io/a:1:\n    digest: \(digest)\n    platforms: [linux/amd64, amd64]\n",
         "kubearch.lock:5:30: 'images[\"docker.io/a:1\"].platforms[1]' is not a platform: 'amd64' (expected os/arch[/variant])"),
        ("version: 1\nimages:\n  docker.io/a:1:\n    digest: \(digest)\n    platforms: linux/amd64\n",
         "kubearch.lock:5:16: 'images[\"docker.io/a:1\"].platforms' must be a list of platforms like [linux/amd64], found the string 'linux/amd64'"),
        ("version: 1\nimages:\n  docker.io/a:1:\n    platforms: [linux/amd64]\n",
         "kubearch.lock:4:5: 'images[\"docker.io/a:1\"]' has no 'digest'"),
        ("version: 1\nimages:\n  docker.io/a:1:\n    digest: \(digest)\n",
         "kubearch.lock:4:5: 'images[\"docker.io/a:1\"]' has no 'platforms'"),
        ("version: 1\nimages:\n  docker.io/a:1:\n",
         "kubearch.lock:3:3: 'images[\"docker.io/a:1\"]' has no 'digest'"),
        ("version: 1\nimages:\n  docker.io/a:1: {digest: \(digest), platforms: []}\n  docker.io/a:1: {digest: \(digest), platforms: []}\n",
         "kubearch.lock:4:3: duplicate key 'images[\"docker.io/a:1\"]'"),
        ("version: 1\nimages:\n  docker.io/a:1:\n    digest: \(digest)\n  platforms: [linux/amd64\n",
         "kubearch.lock:6:1: did not find expected ',' or ']' while parsing a flow sequence"),
        ("version: 1\n---\nversion: 1\n",
         "kubearch.lock:2:1: the lockfile must be a single YAML document"),
    ])
    func located(text: String, expected: String) {
        do {
            _ = try Lockfile.parse(bytes: Array(text.utf8), path: "kubearch.lock")
            Issue.record("parsed without error: \(text)")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func handWrittenBlockStyleIsAccepted() throws {
        let text = """
            version: 1
            images:
              "docker.io/library/nginx:1.27":
                platforms:
                - linux/arm64/v8
                - linux/amd64
                digest: '\(Self.digest)'
            """
        let lockfile = try Lockfile.parse(bytes: Array(text.utf8), path: "kubearch.lock")
        #expect(lockfile.lookup("docker.io/library/nginx:1.27") == LockEntry(
            digest: Self.digest, platforms: [Platform(os: "linux", architecture: "amd64"), Platform(os: "linux", architecture: "arm64", variant: "v8")]))
    }
}
