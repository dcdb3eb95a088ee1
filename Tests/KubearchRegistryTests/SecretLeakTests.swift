import Foundation
import KubearchCore
import Testing

/// `kubearch lock`, `check` and `inspect` with `--verbose` (every request logged) against registries
/// with Basic and bearer-token auth, credentials in a temporary `DOCKER_CONFIG/config.json`, right and
/// wrong: no password, `user:pass` (plain or base64), token, or `Authorization` ever appears in
/// standard output, standard error or the lockfile. The registry sits behind `FaultProxy` (no fault
/// set) so the test learns every `Authorization` value the client really sent, tokens included.
@Suite("Secrets stay out of kubearch's output")
struct SecretLeakTests {
    enum Auth: String, CaseIterable, Sendable {
        case basic, token

        var configuration: RegistryServer.Configuration { self == .basic ? .basicAuth : .tokenAuth }
    }

    struct Scenario: Sendable, CustomTestStringConvertible {
        var auth: Auth
        var rightCredentials: Bool

        var testDescription: String { "\(auth.rawValue) auth, \(rightCredentials ? "right" : "wrong") credentials" }
    }

    static let scenarios = Auth.allCases.flatMap { auth in [true, false].map { Scenario(auth: auth, rightCredentials: $0) } }

    /// Substrings that must never be printed whatever the secret values are.
    static let forbiddenMarkers = ["Bearer ", "Basic ", "eyJ", "authorization"]

    @Test(arguments: scenarios)
    func noSecretInAnyOutput(_ scenario: Scenario) async throws {
        let proxy = try await FaultProxy.shared(scenario.auth.configuration)
        let repository = FaultInjectionTests.repositoryName("secrets")
        let pushed = try await RegistryPusher(proxy.upstream).pushImage(to: repository, tag: "v1", platform: .linuxAmd64)
        let image = "\(proxy.host)/\(repository):v1"

        let folder = try TestEnvironment.makeTemporaryDirectory("secrets")
        defer { try? FileManager.default.removeItem(at: folder) }
        let password = scenario.rightCredentials ? RegistryServer.password : "wrong-\(UUID().uuidString)"
        let userAndPassword = "\(RegistryServer.username):\(password)"
        let dockerConfig = folder.appendingPathComponent("docker")
        try FileManager.default.createDirectory(at: dockerConfig, withIntermediateDirectories: true)
        let config = ["auths": [proxy.host: ["auth": Data(userAndPassword.utf8).base64EncodedString()]]]
        try JSONSerialization.data(withJSONObject: config).write(to: dockerConfig.appendingPathComponent("config.json"))
        try "version: 1\ncluster:\n  architectures: [amd64]\n".write(
            to: folder.appendingPathComponent(".kubearch.yaml"), atomically: true, encoding: .utf8)
        try FaultLockCLITests.deployment("app", images: [.init(name: "app", reference: image)]).write(
            to: folder.appendingPathComponent("app.yaml"), atomically: true, encoding: .utf8)

        let runs: [[String]] = [
            ["lock", "--verbose", "."],
            // Another (absent) lockfile, so check asks the registry itself.
            ["check", "--verbose", "--lockfile", "check.lock", "--format", "json", "."],
            ["check", "--verbose", "--lockfile", "check.lock", "."],
            ["inspect", "--verbose", image],
            ["inspect", "--verbose", "--format", "json", image],
        ]
        var results: [([String], KubearchBinary.Result)] = []
        for arguments in runs {
            results.append((arguments, try await KubearchBinary.run(arguments, in: folder, home: folder, dockerConfig: dockerConfig)))
        }
        let lockfileText = (try? String(contentsOf: folder.appendingPathComponent("kubearch.lock"), encoding: .utf8)) ?? ""

        // The secrets in play: what the user configured and every Authorization the client sent.
        let sent = try await proxy.log(repository: repository).compactMap(\.authorization)
        if scenario.auth == .token, !scenario.rightCredentials {
            // Refused by the token service (reached directly, not through the proxy): no token exists.
            let issuer = try #require(proxy.upstream.tokenIssuer)
            let asked = try await issuer.requests().filter { $0.scopes.contains("repository:\(repository):pull") }
            #expect(!asked.isEmpty && asked.allSatisfy { $0.account == RegistryServer.username && $0.outcome == "bad credentials" })
            #expect(sent.isEmpty)
        } else {
            #expect(!sent.isEmpty, "the client never sent credentials, so the test proves nothing")
        }
        var secrets = [password, userAndPassword, Data(userAndPassword.utf8).base64EncodedString()]
        for header in sent {
            secrets.append(header)
            if let space = header.firstIndex(of: " ") { secrets.append(String(header[header.index(after: space)...])) }
        }
        if scenario.auth == .token, scenario.rightCredentials {
            #expect(sent.contains { $0.hasPrefix("Bearer eyJ") }, "a token was issued and used")
        }

        for (arguments, result) in results {
            let command = arguments.joined(separator: " ")
            for (stream, text) in [("stdout", result.standardOutput), ("stderr", result.standardError)] {
                for secret in secrets where text.contains(secret) {
                    Issue.record("`\(command)` \(stream) holds a secret (\(secret.count) characters)")
                }
                for marker in Self.forbiddenMarkers where text.range(of: marker, options: .caseInsensitive) != nil {
                    Issue.record("`\(command)` \(stream) holds \"\(marker)\"")
                }
            }
            // --verbose really logged the requests (so there was something to leak).
            #expect(result.standardError.contains("kubearch: GET http://\(proxy.host)/v2/\(repository)/manifests/v1 -> "),
                "`\(command)`: \(result.standardError)")
        }
        for secret in secrets where lockfileText.contains(secret) { Issue.record("the lockfile holds a secret") }
        for marker in Self.forbiddenMarkers where lockfileText.range(of: marker, options: .caseInsensitive) != nil {
            Issue.record("the lockfile holds \"\(marker)\"")
        }

        let lock = results[0].1
        let inspect = results[3].1
        if scenario.rightCredentials {
            #expect(lock.status == 0, "\(lock.standardError)")
            #expect(lockfileText.contains(pushed.digest))
            #expect(inspect.status == 0 && inspect.standardOutput.contains(pushed.digest))
        } else {
            // Errors, each naming the image and the refusal.
            #expect(lock.status == 2)
            #expect(lock.standardError.contains("kubearch: \(image): unauthorized"), "\(lock.standardError)")
            #expect(!lockfileText.contains(image))
            #expect(inspect.status == 1)
            #expect(inspect.standardOutput.contains("\(image): error: \(image): unauthorized"), "\(inspect.standardOutput)")
            #expect(results[2].1.standardOutput.contains("unauthorized"), "\(results[2].1.standardOutput)")
        }
    }
}
