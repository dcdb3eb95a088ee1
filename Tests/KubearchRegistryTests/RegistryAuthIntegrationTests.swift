import Foundation
import Testing

@testable import KubearchRegistry

/// A docker config folder (and optionally a credential helper) in a temporary folder, for a
/// `CredentialStore` that never reads this machine's real files.
private struct DockerConfigFolder {
    let url: URL

    init() throws {
        url = try TestEnvironment.makeTemporaryDirectory("docker-config")
    }

    var binFolder: URL { url.appendingPathComponent("bin") }
    /// What the credential helper was given on stdin, one line per call.
    var helperLog: URL { url.appendingPathComponent("helper.log") }

    func writeConfig(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try data.write(to: url.appendingPathComponent("config.json"))
    }

    /// `docker-credential-kubearchtest`: answers `get` for `serverURL` with the given secret, logs
    /// each server URL asked for, and says "credentials not found" for any other.
    func installHelper(serverURL: String, username: String, secret: String) throws {
        try FileManager.default.createDirectory(at: binFolder, withIntermediateDirectories: true)
        let answer = try JSONSerialization.data(
            withJSONObject: ["ServerURL": serverURL, "Username": username, "Secret": secret], options: [.sortedKeys])
        let script = """
            #!/bin/sh
            [ "$1" = get ] || exit 1
            read -r server
            printf '%s\\n' "$server" >> '\(helperLog.path)'
            if [ "$server" = '\(serverURL)' ]; then
              cat <<'JSON'
            \(String(decoding: answer, as: UTF8.self))
            JSON
            else
              echo 'credentials not found in native keychain'
              exit 1
            fi

            """
        let file = binFolder.appendingPathComponent("docker-credential-kubearchtest")
        try script.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
    }

    /// A store seeing only this folder: `DOCKER_CONFIG` here, the helper folder first on PATH.
    var store: CredentialStore {
        CredentialStore(
            environment: ["DOCKER_CONFIG": url.path, "PATH": "\(binFolder.path):/usr/bin:/bin"],
            homeDirectory: url.appendingPathComponent("home").path)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

private func basicAuth(_ username: String, _ password: String) -> String {
    Data("\(username):\(password)".utf8).base64EncodedString()
}

/// How a registry in `concurrentImagesOnOneHostMeetAtMostOneChallenge` wants requests authorized.
enum HostAuth: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case open, basic, token

    var testDescription: String { rawValue }

    var configuration: RegistryServer.Configuration {
        switch self {
        case .open: .open
        case .basic: .basicAuth
        case .token: .tokenAuthAnonymousPull
        }
    }

    /// 401 answers a client needs to learn how the host wants requests authorized.
    var challenges: Int { self == .open ? 0 : 1 }
}

/// The client against real authenticating registries: htpasswd Basic auth and the bearer token flow
/// with credentials from docker's config files and a credential helper.
@Suite("Registry integration: authentication")
struct RegistryAuthIntegrationTests {
    // MARK: - Basic

    @Test func basicAuthWithCredentialsFromDockerConfigAuths() async throws {
        let registry = try await RegistryServer.shared(.basicAuth)
        let repository = RegistryIntegration.repository("basic-auths")
        let pushed = try await RegistryPusher(registry).pushImage(to: repository, tag: "v1", platform: .linuxArm64, format: .docker)
        let folder = try DockerConfigFolder()
        defer { folder.remove() }
        try folder.writeConfig(["auths": [registry.host: ["auth": basicAuth(RegistryServer.username, RegistryServer.password)]]])

        let client = RegistryIntegration.client(credentials: folder.store)
        let image = try await client.platforms(registry: registry.host, repository: repository, reference: "v1")
        #expect(image.digest == pushed.digest)
        #expect(image.platforms.map(\.description) == ["linux/arm64/v8"])
        // The 401 Basic challenge, the manifest with credentials, the config blob with them.
        #expect(await client.requestCount == 3)
    }

    @Test func basicAuthWithCredentialsFromACredentialHelper() async throws {
        let registry = try await RegistryServer.shared(.basicAuth)
        let repository = RegistryIntegration.repository("basic-helper")
        let pusher = RegistryPusher(registry)
        let first = try await pusher.pushImage(to: repository, tag: "v1", platform: .linuxAmd64)
        let second = try await pusher.pushImage(to: repository, tag: "v2", platform: .linuxArmV7)
        let folder = try DockerConfigFolder()
        defer { folder.remove() }
        // `auths` holds a wrong literal secret: credHelpers for the host must win over it.
        try folder.writeConfig([
            "credHelpers": [registry.host: "kubearchtest"],
            "auths": [registry.host: ["auth": basicAuth(RegistryServer.username, "stale")]],
        ])
        try folder.installHelper(serverURL: registry.host, username: RegistryServer.username, secret: RegistryServer.password)

        let client = RegistryIntegration.client(credentials: folder.store)
        let v1 = try await client.platforms(registry: registry.host, repository: repository, reference: "v1")
        let v2 = try await client.platforms(registry: registry.host, repository: repository, reference: "v2")
        #expect(v1.digest == first.digest)
        #expect(v2.digest == second.digest)
        #expect(v2.platforms.map(\.description) == ["linux/arm/v7"])
        // The helper got the registry's host:port, and was run once for the repository.
        let asked = try String(contentsOf: folder.helperLog, encoding: .utf8).split(separator: "\n")
        #expect(asked == [Substring(registry.host)])
        // One challenge in all: the second image reuses the Basic authorization (2 + 2 GETs).
        #expect(await client.requestCount == 5)
    }

    @Test func wrongBasicCredentialsAreUnauthorizedWithoutTheSecret() async throws {
        let registry = try await RegistryServer.shared(.basicAuth)
        let repository = RegistryIntegration.repository("basic-wrong")
        try await RegistryPusher(registry).pushImage(to: repository, tag: "v1", platform: .linuxAmd64)
        let folder = try DockerConfigFolder()
        defer { folder.remove() }
        let wrongPassword = "not-the-password-7f3a"
        try folder.writeConfig(["auths": [registry.host: ["auth": basicAuth(RegistryServer.username, wrongPassword)]]])

        let client = RegistryIntegration.client(credentials: folder.store)
        let error = await #expect(throws: RegistryError.self) {
            try await client.platforms(registry: registry.host, repository: repository, reference: "v1")
        }
        let failure = try #require(error)
        guard case .unauthorized(let image, _) = failure else {
            Issue.record("expected unauthorized, got \(failure)")
            return
        }
        #expect(image == "\(registry.host)/\(repository):v1")
        for secret in [wrongPassword, basicAuth(RegistryServer.username, wrongPassword), RegistryServer.password] {
            #expect(!failure.description.contains(secret))
            #expect(!String(reflecting: failure).contains(secret))
        }
    }

    @Test func basicAuthRegistryWithoutCredentialsSaysSo() async throws {
        let registry = try await RegistryServer.shared(.basicAuth)
        let repository = RegistryIntegration.repository("basic-none")
        try await RegistryPusher(registry).pushImage(to: repository, tag: "v1", platform: .linuxAmd64)
        let client = RegistryIntegration.client()
        let error = await #expect(throws: RegistryError.self) {
            try await client.platforms(registry: registry.host, repository: repository, reference: "v1")
        }
        #expect(error?.description.contains("none are configured for \(registry.host)") == true)
    }

    // MARK: - Bearer tokens

    @Test func tokenAuthWithCredentials() async throws {
        let registry = try await RegistryServer.shared(.tokenAuth)
        let repository = RegistryIntegration.repository("token-creds")
        let pushed = try await RegistryPusher(registry).pushImage(to: repository, tag: "v1", platform: .linuxArm64)
        let folder = try DockerConfigFolder()
        defer { folder.remove() }
        try folder.writeConfig(["auths": [registry.host: ["auth": basicAuth(RegistryServer.username, RegistryServer.password)]]])

        let client = RegistryIntegration.client(credentials: folder.store)
        let image = try await client.platforms(registry: registry.host, repository: repository, reference: "v1")
        #expect(image.digest == pushed.digest)
        #expect(image.platforms.map(\.description) == ["linux/arm64/v8"])
        // The issuer saw an authenticated request for exactly the pull scope.
        let issuer = try #require(registry.tokenIssuer)
        let records = try await issuer.requests().filter { $0.scopes == ["repository:\(repository):pull"] }
        #expect(records.map(\.outcome) == ["granted"])
        #expect(records.map(\.account) == [RegistryServer.username])

        // Without credentials the issuer's token grants nothing here: unauthorized, naming the image.
        let anonymous = RegistryIntegration.client()
        let error = await #expect(throws: RegistryError.self) {
            try await anonymous.platforms(registry: registry.host, repository: repository, reference: "v1")
        }
        #expect(error?.image == "\(registry.host)/\(repository):v1")
        if case .unauthorized = error {} else { Issue.record("expected unauthorized, got \(String(describing: error))") }
    }

    @Test func tokenAuthAnonymousPull() async throws {
        let registry = try await RegistryServer.shared(.tokenAuthAnonymousPull)
        let repository = RegistryIntegration.repository("token-anon")
        let pusher = RegistryPusher(registry)
        let amd64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxAmd64)
        let arm64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxArm64)
        let index = try await pusher.pushIndex(of: [amd64, arm64], to: repository, tag: "v1")

        let client = RegistryIntegration.client()
        let image = try await client.platforms(registry: registry.host, repository: repository, reference: "v1")
        #expect(image.digest == index.digest)
        #expect(image.platforms.map(\.description) == ["linux/amd64", "linux/arm64/v8"])
        let issuer = try #require(registry.tokenIssuer)
        let records = try await issuer.requests().filter { $0.scopes == ["repository:\(repository):pull"] }
        #expect(records.map(\.authenticated) == [false])
        // 401, anonymous token, manifest.
        #expect(await client.requestCount == 3)
    }

    /// Tokens are cached per repository scope and the challenge per host.
    ///
    /// Resolving sequentially with one client, the requests are exactly
    ///   1                         the first manifest GET, answered 401 with the Bearer challenge
    /// + R                         one token request per repository scope (`repository:<name>:pull`);
    ///                             later repositories on the host ask the issuer before their first GET
    /// + I                         one manifest GET per index image (its entries name their platforms)
    /// + 2·S                       manifest and config blob GETs per single-platform image
    /// Here R = 2, I = 2, S = 3: 1 + 2 + 2 + 6 = 11.
    @Test func tokensAreReusedPerRepositoryScope() async throws {
        let registry = try await RegistryServer.start(.tokenAuth)
        defer { registry.stop() }
        let issuer = try #require(registry.tokenIssuer)
        let pusher = RegistryPusher(registry)
        let first = RegistryIntegration.repository("reuse-a")
        let second = RegistryIntegration.repository("reuse-b")
        let amd64 = try await pusher.pushImage(to: first, tag: nil, platform: .linuxAmd64)
        let arm64 = try await pusher.pushImage(to: first, tag: nil, platform: .linuxArm64)
        try await pusher.pushIndex(of: [amd64, arm64], to: first, tag: "multi")
        try await pusher.pushImage(to: first, tag: "amd64", platform: .linuxAmd64)
        try await pusher.pushImage(to: first, tag: "arm64", platform: .linuxArm64, format: .docker)
        let armV7 = try await pusher.pushImage(to: second, tag: nil, platform: .linuxArmV7)
        try await pusher.pushIndex(of: [armV7], to: second, tag: "multi", format: .docker)
        try await pusher.pushImage(to: second, tag: "single", platform: .linuxArmV7)

        let folder = try DockerConfigFolder()
        defer { folder.remove() }
        try folder.writeConfig(["auths": [registry.host: ["auth": basicAuth(RegistryServer.username, RegistryServer.password)]]])
        let client = RegistryIntegration.client(credentials: folder.store)
        let wanted = [(first, "multi"), (first, "amd64"), (first, "arm64"), (second, "multi"), (second, "single")]
        var platforms: [String] = []
        for (repository, tag) in wanted {
            let image = try await client.platforms(registry: registry.host, repository: repository, reference: tag)
            platforms.append(image.platforms.map(\.description).joined(separator: ","))
        }
        #expect(platforms == ["linux/amd64,linux/arm64/v8", "linux/amd64", "linux/arm64/v8", "linux/arm/v7", "linux/arm/v7"])

        #expect(try await issuer.requestCount(scope: "repository:\(first):pull") == 1)
        #expect(try await issuer.requestCount(scope: "repository:\(second):pull") == 1)
        let (repositories, indexImages, singleImages) = (2, 2, 3)
        let minimum = 1 + repositories + indexImages + 2 * singleImages
        #expect(minimum == 11)
        #expect(await client.requestCount == minimum)

        // Asking again in this run reuses the cached token: one more GET, no token request.
        _ = try await client.platforms(registry: registry.host, repository: first, reference: "multi")
        #expect(await client.requestCount == minimum + 1)
        #expect(try await issuer.requestCount(scope: "repository:\(first):pull") == 1)
    }

    // MARK: - Many images at once

    /// Images of one host resolved concurrently, as `lock` does (`ImageResolver`, 8 registry slots):
    /// the host's first request goes alone, so only it is answered 401; every later request carries
    /// its authorization from the start, and an open registry gets no extra request (no `/v2/` ping).
    ///
    /// Requests: the challenge (1; none on the open registry) + R token requests, one per repository
    /// scope (token auth only) + I manifest GETs for index images + 2·S manifest and config GETs for
    /// single-platform images. Here R = 6, I = 6, S = 6.
    @Test(arguments: HostAuth.allCases)
    func concurrentImagesOnOneHostMeetAtMostOneChallenge(_ auth: HostAuth) async throws {
        let registry = try await RegistryServer.shared(auth.configuration)
        let pusher = RegistryPusher(registry)
        let repositories = (0..<6).map { RegistryIntegration.repository("first-contact-\($0)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for repository in repositories {
                group.addTask {
                    let amd64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxAmd64)
                    let arm64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxArm64)
                    try await pusher.pushIndex(of: [amd64, arm64], to: repository, tag: "multi")
                    try await pusher.pushImage(to: repository, tag: "single", platform: .linuxArmV7)
                }
            }
            try await group.waitForAll()
        }
        let folder = try DockerConfigFolder()
        defer { folder.remove() }
        try folder.writeConfig(
            auth == .basic ? ["auths": [registry.host: ["auth": basicAuth(RegistryServer.username, RegistryServer.password)]]] : ["auths": [:]])
        let recorder = ExchangeRecorder(base: RedirectingTransport(CurlTransport()), registryAuthority: registry.host)
        let client = RegistryClient(transport: recorder, credentials: folder.store, timeout: 20)
        let keys = repositories.flatMap { repository in
            ["multi", "single"].map { ImageKey(registry: registry.host, repository: repository, reference: $0) }
        }

        let outcomes = await ImageResolver(client: client, maxConcurrency: 8).resolve(keys)

        #expect(outcomes.count == 12)
        for key in keys {
            let platforms = try #require(try outcomes[key]?.get(), "\(key)").platforms.map(\.description)
            #expect(platforms == (key.reference == "multi" ? ["linux/amd64", "linux/arm64/v8"] : ["linux/arm/v7"]))
        }
        let exchanges = await recorder.log.exchanges
        let toRegistry = exchanges.filter { $0.host == registry.host }
        let challenged = toRegistry.filter { $0.status == 401 }
        #expect(challenged.count == auth.challenges)
        if auth != .open {
            // The host's first request was answered before any other one went.
            #expect(toRegistry.first?.status == 401)
        }
        #expect(toRegistry.filter { !$0.authorized }.count == (auth == .open ? toRegistry.count : 1))
        #expect(!toRegistry.contains { $0.path == "/v2/" })
        #expect(await recorder.log.registryPeak <= 8)

        let (repositoryCount, indexImages, singleImages) = (6, 6, 6)
        let tokenRequests = auth == .token ? repositoryCount : 0
        #expect(exchanges.count - toRegistry.count == tokenRequests)
        #expect(await client.requestCount == auth.challenges + tokenRequests + indexImages + 2 * singleImages)
        if auth == .token {
            let issuer = try #require(registry.tokenIssuer)
            for repository in repositories {
                #expect(try await issuer.requestCount(scope: "repository:\(repository):pull") == 1)
            }
        }
    }
}
