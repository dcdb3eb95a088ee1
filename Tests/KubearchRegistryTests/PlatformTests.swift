import KubearchCore
import Foundation
import Testing

@testable import KubearchRegistry

@Suite struct PlatformTests {
    @Test(arguments: [
        ("linux", "x86_64", nil, "linux/amd64", "amd64"),
        ("linux", "aarch64", nil, "linux/arm64", "arm64"),
        ("linux", "arm64", "v8", "linux/arm64/v8", "arm64"),
        ("Linux", "AMD64", nil, "linux/amd64", "amd64"),
        ("linux", "i386", nil, "linux/386", "386"),
        ("linux", "armhf", nil, "linux/arm/v7", "arm"),
        ("linux", "arm", "v6", "linux/arm/v6", "arm"),
        ("windows", "amd64", "", "windows/amd64", "amd64"),
    ] as [(String, String, String?, String, String)])
    func normalises(os: String, architecture: String, variant: String?, description: String, nodeArchitecture: String) {
        let platform = Platform(os: os, architecture: architecture, variant: variant)
        #expect(platform.description == description)
        #expect(platform.nodeArchitecture == nodeArchitecture)
    }

    @Test func parsesTheLockfileForm() {
        #expect(Platform(parsing: "linux/arm64/v8") == Platform(os: "linux", architecture: "arm64", variant: "v8"))
        #expect(Platform(parsing: "linux/amd64")?.variant == nil)
        #expect(Platform(parsing: "linux") == nil)
        #expect(Platform(parsing: "linux//v7") == nil)
        #expect(Platform(parsing: "a/b/c/d") == nil)
    }

    @Test func mediaTypesRoundTripAndAcceptListsEveryManifestType() {
        for type in MediaType.acceptedManifestTypes + [.ociImageConfig, .dockerImageConfig] {
            #expect(MediaType(type.rawValue) == type)
        }
        #expect(MediaType("application/vnd.oci.image.index.v1+json; charset=utf-8") == .ociIndex)
        #expect(MediaType("text/html") == .unknown("text/html"))
        let accepted = MediaType.manifestAcceptHeader.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(Set(accepted) == [
            "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.v1+json", "application/vnd.docker.distribution.manifest.v1+prettyjws",
        ])
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256KnownVectors(input: String, hex: String) {
        #expect(digestHex(of: Data(input.utf8)) == hex)
    }

    @Test func sha256OfAMillionAs() {
        #expect(digestHex(of: Data(repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func digestParsing() {
        #expect(ContentDigest("sha256:" + String(repeating: "a", count: 64)) != nil)
        #expect(ContentDigest("sha256:abc") == nil)
        #expect(ContentDigest("sha256:" + String(repeating: "A", count: 64)) == nil)
        #expect(ContentDigest("latest") == nil)
        #expect(ContentDigest.sha256(of: Data("abc".utf8)).matches(Data("abc".utf8)))
    }
}
