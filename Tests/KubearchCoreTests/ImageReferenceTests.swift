import Testing
@testable import KubearchCore

// Digests seen in the corpus manifests (busybox, redis:alpine, ingress-nginx controller).
private let busyboxHex = "fd8d9aa63ba2f0982b5304e1ee8d3b90a210bc1ffb5314d980eb6962f1a9715d"
private let redisHex = "8096655e437712b07503796fb64d81359256cfcff0ab29d95a7da72863786efb"
private let ingressHex = "594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1"
private let sha512Hex = busyboxHex + redisHex

private let longTag = String(repeating: "t", count: 128)
private let tooLongTag = String(repeating: "t", count: 129)
/// 247 characters: with `library/` in front the path is exactly 255.
private let longestOfficialName = String(repeating: "a", count: 247)
private let tooLongOfficialName = String(repeating: "a", count: 248)
private let longestPath = String(repeating: "b", count: 255)
private let tooLongPath = String(repeating: "b", count: 256)
/// The 255 limit is on the path only; distribution does not count the registry.
private let longRegistry = String(repeating: "r", count: 300) + ".example.com"

struct ParsedImage: Sendable, Equatable {
    let registry: String
    let repository: String
    let tag: String?
    let digest: String?
    let canonical: String
}

struct ImageReferenceCase: Sendable, CustomTestStringConvertible {
    let input: String
    let expected: Result<ParsedImage, ImageReferenceError>

    var testDescription: String { String(reflecting: input) }

    static func valid(
        _ input: String, _ registry: String, _ repository: String, tag: String?, digest: String? = nil,
        canonical: String
    ) -> Self {
        Self(
            input: input,
            expected: .success(ParsedImage(
                registry: registry, repository: repository, tag: tag, digest: digest, canonical: canonical))
        )
    }

    static func invalid(_ input: String, _ error: ImageReferenceError) -> Self {
        Self(input: input, expected: .failure(error))
    }
}

private let validCases: [ImageReferenceCase] = [
    // Docker Hub shorthand.
    .valid("nginx", "docker.io", "library/nginx", tag: "latest", canonical: "docker.io/library/nginx:latest"),
    .valid("nginx:1.27", "docker.io", "library/nginx", tag: "1.27", canonical: "docker.io/library/nginx:1.27"),
    .valid("library/nginx", "docker.io", "library/nginx", tag: "latest", canonical: "docker.io/library/nginx:latest"),
    .valid("docker.io/nginx", "docker.io", "library/nginx", tag: "latest", canonical: "docker.io/library/nginx:latest"),
    .valid("docker.io/library/nginx", "docker.io", "library/nginx", tag: "latest",
           canonical: "docker.io/library/nginx:latest"),
    .valid("index.docker.io/library/nginx:1", "docker.io", "library/nginx", tag: "1",
           canonical: "docker.io/library/nginx:1"),
    .valid("index.docker.io/nginx", "docker.io", "library/nginx", tag: "latest",
           canonical: "docker.io/library/nginx:latest"),
    .valid("newrelic/infrastructure", "docker.io", "newrelic/infrastructure", tag: "latest",
           canonical: "docker.io/newrelic/infrastructure:latest"),
    .valid("cockroachdb/cockroach:v1.1.0", "docker.io", "cockroachdb/cockroach", tag: "v1.1.0",
           canonical: "docker.io/cockroachdb/cockroach:v1.1.0"),
    // Without a slash a ':' is always a tag, never a port, and localhost is just a name.
    .valid("localhost:5000", "docker.io", "library/localhost", tag: "5000",
           canonical: "docker.io/library/localhost:5000"),
    .valid("localhost", "docker.io", "library/localhost", tag: "latest",
           canonical: "docker.io/library/localhost:latest"),
    // Other registries: no library/ prefix.
    .valid("quay.io/prometheus/node-exporter:v1.8.0", "quay.io", "prometheus/node-exporter", tag: "v1.8.0",
           canonical: "quay.io/prometheus/node-exporter:v1.8.0"),
    .valid("registry.k8s.io/redis:e2e", "registry.k8s.io", "redis", tag: "e2e", canonical: "registry.k8s.io/redis:e2e"),
    .valid("gcr.io/google-samples/microservices-demo/emailservice:v0.10.0", "gcr.io",
           "google-samples/microservices-demo/emailservice", tag: "v0.10.0",
           canonical: "gcr.io/google-samples/microservices-demo/emailservice:v0.10.0"),
    .valid("registry.example.com/a/b/c/d/e/f/g:1", "registry.example.com", "a/b/c/d/e/f/g", tag: "1",
           canonical: "registry.example.com/a/b/c/d/e/f/g:1"),
    .valid("localhost/foo", "localhost", "foo", tag: "latest", canonical: "localhost/foo:latest"),
    .valid("localhost:5000/x", "localhost:5000", "x", tag: "latest", canonical: "localhost:5000/x:latest"),
    .valid("127.0.0.1:5000/a/b:c", "127.0.0.1:5000", "a/b", tag: "c", canonical: "127.0.0.1:5000/a/b:c"),
    .valid("[::1]:5000/x:y", "[::1]:5000", "x", tag: "y", canonical: "[::1]:5000/x:y"),
    .valid("[2001:db8::1]/team/app", "[2001:db8::1]", "team/app", tag: "latest",
           canonical: "[2001:db8::1]/team/app:latest"),
    .valid("example.com:443/x", "example.com:443", "x", tag: "latest", canonical: "example.com:443/x:latest"),
    .valid("my-registry--1.example.com/app", "my-registry--1.example.com", "app", tag: "latest",
           canonical: "my-registry--1.example.com/app:latest"),
    // Host names are case-insensitive in the grammar and kept as written.
    .valid("UPPER.io/x", "UPPER.io", "x", tag: "latest", canonical: "UPPER.io/x:latest"),
    // An uppercase first component cannot be a Docker Hub namespace, so distribution takes it for a host.
    .valid("Foo/bar", "Foo", "bar", tag: "latest", canonical: "Foo/bar:latest"),
    // Path separators.
    .valid("a__b", "docker.io", "library/a__b", tag: "latest", canonical: "docker.io/library/a__b:latest"),
    .valid("a---b", "docker.io", "library/a---b", tag: "latest", canonical: "docker.io/library/a---b:latest"),
    .valid("team.x/a_b.c-d", "team.x", "a_b.c-d", tag: "latest", canonical: "team.x/a_b.c-d:latest"),
    .valid("org/foo.bar_baz", "docker.io", "org/foo.bar_baz", tag: "latest",
           canonical: "docker.io/org/foo.bar_baz:latest"),
    // Tags.
    .valid("nginx:1.27.0-alpine3.19_x", "docker.io", "library/nginx", tag: "1.27.0-alpine3.19_x",
           canonical: "docker.io/library/nginx:1.27.0-alpine3.19_x"),
    .valid("nginx:_Private-TAG", "docker.io", "library/nginx", tag: "_Private-TAG",
           canonical: "docker.io/library/nginx:_Private-TAG"),
    .valid("nginx:" + longTag, "docker.io", "library/nginx", tag: longTag,
           canonical: "docker.io/library/nginx:" + longTag),
    // Digests: no latest is added, and both tag and digest are kept.
    .valid("nginx@sha256:" + busyboxHex, "docker.io", "library/nginx", tag: nil, digest: "sha256:" + busyboxHex,
           canonical: "docker.io/library/nginx@sha256:" + busyboxHex),
    .valid("nginx@sha512:" + sha512Hex, "docker.io", "library/nginx", tag: nil, digest: "sha512:" + sha512Hex,
           canonical: "docker.io/library/nginx@sha512:" + sha512Hex),
    .valid("registry.k8s.io/ingress-nginx/controller:v1.10.0@sha256:" + ingressHex, "registry.k8s.io",
           "ingress-nginx/controller", tag: "v1.10.0", digest: "sha256:" + ingressHex,
           canonical: "registry.k8s.io/ingress-nginx/controller:v1.10.0@sha256:" + ingressHex),
    // Straight from the corpus manifests.
    .valid("busybox:1.38.0@sha256:" + busyboxHex, "docker.io", "library/busybox", tag: "1.38.0",
           digest: "sha256:" + busyboxHex, canonical: "docker.io/library/busybox:1.38.0@sha256:" + busyboxHex),
    .valid("redis:alpine@sha256:" + redisHex, "docker.io", "library/redis", tag: "alpine",
           digest: "sha256:" + redisHex, canonical: "docker.io/library/redis:alpine@sha256:" + redisHex),
    .valid("mirror.gcr.io/library/busybox:latest", "mirror.gcr.io", "library/busybox", tag: "latest",
           canonical: "mirror.gcr.io/library/busybox:latest"),
    .valid("us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/adservice:v0.10.6",
           "us-central1-docker.pkg.dev", "online-boutique-ci/microservices-demo/adservice", tag: "v0.10.6",
           canonical: "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/adservice:v0.10.6"),
    .valid("gcr.io/google_containers/kubernetes-dashboard-amd64:v1.6.1", "gcr.io",
           "google_containers/kubernetes-dashboard-amd64", tag: "v1.6.1",
           canonical: "gcr.io/google_containers/kubernetes-dashboard-amd64:v1.6.1"),
    .valid("quay.io/jetstack/cert-manager-controller:v0.8.0-alpha.0", "quay.io", "jetstack/cert-manager-controller",
           tag: "v0.8.0-alpha.0", canonical: "quay.io/jetstack/cert-manager-controller:v0.8.0-alpha.0"),
    .valid("ghcr.io/open-telemetry/opentelemetry-operator/e2e-test-app-dotnet:main", "ghcr.io",
           "open-telemetry/opentelemetry-operator/e2e-test-app-dotnet", tag: "main",
           canonical: "ghcr.io/open-telemetry/opentelemetry-operator/e2e-test-app-dotnet:main"),
    .valid("vllm/vllm-openai:v0.11.0", "docker.io", "vllm/vllm-openai", tag: "v0.11.0",
           canonical: "docker.io/vllm/vllm-openai:v0.11.0"),
    // 64 hex with a tag is not a bare image ID, so it is an ordinary name.
    .valid(busyboxHex + ":v1", "docker.io", "library/" + busyboxHex, tag: "v1",
           canonical: "docker.io/library/" + busyboxHex + ":v1"),
    // Length limit: the path counts, library/ included; the registry does not.
    .valid(longestOfficialName, "docker.io", "library/" + longestOfficialName, tag: "latest",
           canonical: "docker.io/library/" + longestOfficialName + ":latest"),
    .valid("quay.io/" + longestPath, "quay.io", longestPath, tag: "latest",
           canonical: "quay.io/" + longestPath + ":latest"),
    .valid(longRegistry + "/x", longRegistry, "x", tag: "latest", canonical: longRegistry + "/x:latest"),
]

private let invalidCases: [ImageReferenceCase] = [
    .invalid("", .empty),
    .invalid(" nginx", .surroundingWhitespace(reference: " nginx")),
    .invalid("nginx:1.27\n", .surroundingWhitespace(reference: "nginx:1.27\n")),
    .invalid("\tnginx", .surroundingWhitespace(reference: "\tnginx")),
    .invalid(busyboxHex, .ambiguousImageID(reference: busyboxHex)),
    .invalid("Nginx", .uppercaseRepository(reference: "Nginx", repository: "library/Nginx")),
    .invalid("quay.io/Prometheus/node-exporter",
             .uppercaseRepository(reference: "quay.io/Prometheus/node-exporter", repository: "Prometheus/node-exporter")),
    .invalid("myorg/MyApp:1", .uppercaseRepository(reference: "myorg/MyApp:1", repository: "myorg/MyApp")),
    .invalid("ngi nx", .invalidRepository(reference: "ngi nx", repository: "library/ngi nx")),
    .invalid("-nginx", .invalidRepository(reference: "-nginx", repository: "library/-nginx")),
    .invalid("nginx-", .invalidRepository(reference: "nginx-", repository: "library/nginx-")),
    .invalid(":tag", .invalidRepository(reference: ":tag", repository: "library/")),
    .invalid("nginx/", .invalidRepository(reference: "nginx/", repository: "nginx/")),
    .invalid("quay.io/", .invalidRepository(reference: "quay.io/", repository: "")),
    .invalid("/nginx", .invalidRepository(reference: "/nginx", repository: "/nginx")),
    .invalid("//", .invalidRepository(reference: "//", repository: "//")),
    .invalid("a//b", .invalidRepository(reference: "a//b", repository: "a//b")),
    .invalid("a..b", .invalidRepository(reference: "a..b", repository: "library/a..b")),
    .invalid("a___b", .invalidRepository(reference: "a___b", repository: "library/a___b")),
    .invalid("a._b", .invalidRepository(reference: "a._b", repository: "library/a._b")),
    .invalid("ñginx", .invalidRepository(reference: "ñginx", repository: "library/ñginx")),
    .invalid("nginx:", .invalidTag(reference: "nginx:", tag: "")),
    .invalid("nginx:" + tooLongTag, .invalidTag(reference: "nginx:" + tooLongTag, tag: tooLongTag)),
    .invalid("nginx:-rc", .invalidTag(reference: "nginx:-rc", tag: "-rc")),
    .invalid("nginx:.hidden", .invalidTag(reference: "nginx:.hidden", tag: ".hidden")),
    .invalid("nginx:1:2", .invalidTag(reference: "nginx:1:2", tag: "1:2")),
    .invalid("nginx:lat est", .invalidTag(reference: "nginx:lat est", tag: "lat est")),
    .invalid("nginx@", .invalidDigest(reference: "nginx@", digest: "")),
    .invalid("nginx@sha256:abc", .invalidDigest(reference: "nginx@sha256:abc", digest: "sha256:abc")),
    .invalid("nginx@sha256:" + busyboxHex.dropLast(),
             .invalidDigest(reference: "nginx@sha256:" + busyboxHex.dropLast(), digest: "sha256:" + busyboxHex.dropLast())),
    .invalid("nginx@sha256:" + busyboxHex.uppercased(),
             .invalidDigest(reference: "nginx@sha256:" + busyboxHex.uppercased(),
                            digest: "sha256:" + busyboxHex.uppercased())),
    .invalid("nginx@sha512:" + busyboxHex,
             .invalidDigest(reference: "nginx@sha512:" + busyboxHex, digest: "sha512:" + busyboxHex)),
    .invalid("nginx@SHA256:" + busyboxHex,
             .invalidDigest(reference: "nginx@SHA256:" + busyboxHex, digest: "SHA256:" + busyboxHex)),
    .invalid("nginx@" + busyboxHex, .invalidDigest(reference: "nginx@" + busyboxHex, digest: busyboxHex)),
    .invalid("nginx@sha256:\(busyboxHex)@sha256:\(busyboxHex)",
             .invalidDigest(reference: "nginx@sha256:\(busyboxHex)@sha256:\(busyboxHex)",
                            digest: "sha256:\(busyboxHex)@sha256:\(busyboxHex)")),
    .invalid("nginx@md5:d41d8cd98f00b204e9800998ecf8427e",
             .unsupportedDigestAlgorithm(reference: "nginx@md5:d41d8cd98f00b204e9800998ecf8427e", algorithm: "md5")),
    .invalid("nginx@sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709",
             .unsupportedDigestAlgorithm(reference: "nginx@sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709",
                                         algorithm: "sha1")),
    // distribution would read this as a domain-less path; no registry could serve that, so it is refused.
    .invalid("my_registry.io/app", .invalidRegistry(reference: "my_registry.io/app", registry: "my_registry.io")),
    .invalid("example.com:http/x", .invalidRegistry(reference: "example.com:http/x", registry: "example.com:http")),
    .invalid("example.com:/x", .invalidRegistry(reference: "example.com:/x", registry: "example.com:")),
    .invalid("-bad.io/x", .invalidRegistry(reference: "-bad.io/x", registry: "-bad.io")),
    .invalid("bad-.io/x", .invalidRegistry(reference: "bad-.io/x", registry: "bad-.io")),
    .invalid("bad..io/x", .invalidRegistry(reference: "bad..io/x", registry: "bad..io")),
    .invalid("[zz::1]:5000/x", .invalidRegistry(reference: "[zz::1]:5000/x", registry: "[zz::1]:5000")),
    .invalid("[]:5000/x", .invalidRegistry(reference: "[]:5000/x", registry: "[]:5000")),
    .invalid("[::1]5000/x", .invalidRegistry(reference: "[::1]5000/x", registry: "[::1]5000")),
    .invalid("nginx:1.0/extra", .invalidRegistry(reference: "nginx:1.0/extra", registry: "nginx:1.0")),
    .invalid(tooLongOfficialName, .nameTooLong(reference: tooLongOfficialName, length: 256)),
    .invalid("quay.io/" + tooLongPath, .nameTooLong(reference: "quay.io/" + tooLongPath, length: 256)),
]

/// Names whose validity distribution/reference's own tests pin down (normalize_test.go), checked for
/// agreement on accept or reject only.
private let acceptedNames = [
    "docker/docker", "debian", "index.docker.io/debian", "127.0.0.1:5000/library/debian", "192.168.0.1",
    "192.168.0.1:80", "192.168.0.1:8/debian", "[fc00::1]:5000/docker",
    "[fc00:1:2:3:4:5:6:7]:5000/library/debian", "docker.io/" + busyboxHex, "Docker/docker", "DOCKER/docker",
    "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "docker---rules/docker", "d/docker",
    "dock__er/docker", "test_com/foo", "test-com:8080/foo", "xn--n3h.com:18080/foo", "docker.io/library/foo/bar",
]
private let rejectedNames = [
    "https://github.com/docker/docker", "docker/Docker", "-docker", "-docker.io/docker/docker", "docker///docker",
    "[fc00::1]", "[fc00::1]:5000", "fc00::1:5000/debian", "[fe80::1%eth0]:5000/debian",
    "[2001:db8:3:4::192.0.2.33]:5000/debian", "docker-/docker", "-docker-/docker", "____/____", "_docker/_docker",
    "dock_.er/docker", "dock-.er/docker", "docker/",
]

@Suite("ImageReference")
struct ImageReferenceTests {
    @Test("parses and normalises like distribution/reference", arguments: validCases + invalidCases)
    func parse(_ testCase: ImageReferenceCase) throws {
        switch testCase.expected {
        case .success(let expected):
            let reference = try ImageReference(parsing: testCase.input)
            let parsed = ParsedImage(
                registry: reference.registry, repository: reference.repository, tag: reference.tag,
                digest: reference.digest, canonical: reference.canonical)
            #expect(parsed == expected)
        case .failure(let expectedError):
            #expect(throws: expectedError) { try ImageReference(parsing: testCase.input) }
        }
    }

    @Test("the table covers enough cases")
    func tableSize() {
        #expect(validCases.count + invalidCases.count >= 40)
        #expect(validCases.count >= 20)
        #expect(invalidCases.count >= 20)
    }

    @Test("accepts what distribution accepts", arguments: acceptedNames)
    func acceptsLikeDistribution(_ name: String) {
        #expect(throws: Never.self) { try ImageReference(parsing: name) }
    }

    @Test("rejects what distribution rejects", arguments: rejectedNames)
    func rejectsLikeDistribution(_ name: String) {
        #expect(throws: ImageReferenceError.self) { try ImageReference(parsing: name) }
    }

    @Test("a canonical reference parses back to itself", arguments: validCases)
    func canonicalRoundTrips(_ testCase: ImageReferenceCase) throws {
        let reference = try ImageReference(parsing: testCase.input)
        let reparsed = try ImageReference(parsing: reference.canonical)
        #expect(reparsed == reference)
        #expect(reparsed.canonical == reference.canonical)
    }

    @Test func digestPinWinsForTheManifestRequest() throws {
        let pinned = try ImageReference(parsing: "registry.k8s.io/ingress-nginx/controller:v1.10.0@sha256:" + ingressHex)
        #expect(pinned.manifestReference == "sha256:" + ingressHex)
        #expect(pinned.name == "registry.k8s.io/ingress-nginx/controller")

        let tagged = try ImageReference(parsing: "nginx:1.27")
        #expect(tagged.manifestReference == "1.27")

        let bare = try ImageReference(parsing: "nginx")
        #expect(bare.manifestReference == "latest")
        #expect(bare.description == "docker.io/library/nginx:latest")
        #expect(bare.name == "docker.io/library/nginx")
    }

    @Test func spellingsOfTheSameImageAreEqual() throws {
        let spellings = ["nginx", "nginx:latest", "library/nginx", "docker.io/nginx", "index.docker.io/library/nginx:latest"]
        let references = try spellings.map { try ImageReference(parsing: $0) }
        #expect(Set(references).count == 1)
        #expect(try ImageReference(parsing: "nginx:1") != ImageReference(parsing: "nginx:2"))
    }

    @Test func errorMessagesQuoteTheReference() {
        let cases: [(ImageReferenceError, String)] = [
            (.empty, "image reference is empty"),
            (.surroundingWhitespace(reference: " nginx\n"), #"" nginx\n""#),
            (.ambiguousImageID(reference: busyboxHex), busyboxHex),
            (.uppercaseRepository(reference: "Nginx", repository: "library/Nginx"), "must be lowercase"),
            (.invalidTag(reference: "nginx:", tag: ""), #"tag """#),
            (.unsupportedDigestAlgorithm(reference: "x@md5:0", algorithm: "md5"), #""md5" is not supported"#),
            (.nameTooLong(reference: "x", length: 256), "256 characters"),
        ]
        for (error, fragment) in cases {
            #expect(error.description.contains(fragment), "\(error.description)")
        }
        #expect(ImageReferenceError.invalidRegistry(reference: "a_b.io/x", registry: "a_b.io").description
            .contains(#"invalid image reference "a_b.io/x""#))
    }
}
