import Foundation
import Testing

@testable import KubearchRegistry

@Suite struct AuthChallengeTests {
    @Test func parsesDockerHubStyleBearer() {
        let header = #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#
        #expect(AuthChallenge.parse(header) == [
            .bearer(realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:library/nginx:pull")
        ])
    }

    @Test func quotedCommasEscapesAndSeveralChallenges() {
        let header = #"Basic realm="a, \"b\"", Bearer realm="https://x/token", scope="repository:a:pull,push", error="insufficient_scope""#
        #expect(AuthChallenge.parse(header) == [
            .basic(realm: #"a, "b""#), .bearer(realm: "https://x/token", service: nil, scope: "repository:a:pull,push"),
        ])
    }

    @Test func caseSpacingUnquotedValuesAndSeparateHeaders() {
        #expect(AuthChallenge.parse(["bearer Realm = https://t/x ,Service=svc", "Negotiate", "BASIC"]) == [
            .bearer(realm: "https://t/x", service: "svc", scope: nil), .unsupported(scheme: "Negotiate"), .basic(realm: nil),
        ])
    }

    @Test func bearerWithoutRealmAndGarbageDoNotCrash() {
        #expect(AuthChallenge.parse(#"Bearer service="x""#) == [.unsupported(scheme: "Bearer")])
        #expect(AuthChallenge.parse("") == [])
        #expect(AuthChallenge.parse(#"Bearer realm="unterminated"#) == [.bearer(realm: "unterminated", service: nil, scope: nil)])
        _ = AuthChallenge.parse(#"=,=,"",\ Bearer ==="#)
    }
}

@Suite struct CredentialStoreTests {
    let basicAuth = Data("alice:pa:ss".utf8).base64EncodedString()

    @Test func readsAuthsFromDockerConfigWithDockerHubKey() async throws {
        let home = try TemporaryFolder()
        try home.write(".docker/config.json", #"{"auths":{"https://index.docker.io/v1/":{"auth":"\#(basicAuth)"},"ghcr.io":{"identitytoken":"refresh-me"}}}"#)
        let store = CredentialStore(environment: [:], homeDirectory: home.path)
        #expect(try await store.credential(registry: "docker.io") == .basic(username: "alice", password: "pa:ss"))
        #expect(try await store.credential(registry: "ghcr.io") == .identityToken("refresh-me"))
        #expect(try await store.credential(registry: "quay.io") == nil)
    }

    /// A run asks for every repository's credential: the files are read once per store.
    @Test func authFilesAreReadOncePerStore() async throws {
        let home = try TemporaryFolder()
        let authFile = try home.write("auth.json", #"{"auths":{"r.example/team":{"username":"team","password":"t"}}}"#)
        try home.write(".docker/config.json", #"{"auths":{"r.example":{"username":"docker","password":"d"}}}"#)
        let store = CredentialStore(environment: ["REGISTRY_AUTH_FILE": authFile], homeDirectory: home.path)
        #expect(try await store.credential(registry: "r.example", repository: "team/app") == .basic(username: "team", password: "t"))
        #expect(try await store.credential(registry: "r.example", repository: "other/app") == .basic(username: "docker", password: "d"))
        try FileManager.default.removeItem(atPath: authFile)
        try home.write(".docker/config.json", #"{"auths":{}}"#)
        // Both files as first read; a new store sees the change.
        #expect(try await store.credential(registry: "r.example", repository: "team/db") == .basic(username: "team", password: "t"))
        #expect(try await store.credential(registry: "r.example", repository: "other/db") == .basic(username: "docker", password: "d"))
        let fresh = CredentialStore(environment: ["REGISTRY_AUTH_FILE": authFile], homeDirectory: home.path)
        #expect(try await fresh.credential(registry: "r.example", repository: "team/db") == nil)
    }

    @Test func dockerConfigEnvironmentVariableWins() async throws {
        let home = try TemporaryFolder()
        let other = try TemporaryFolder()
        try home.write(".docker/config.json", #"{"auths":{"r.example":{"username":"home","password":"x"}}}"#)
        try other.write("config.json", #"{"auths":{"r.example":{"username":"env","password":"y"}}}"#)
        let store = CredentialStore(environment: ["DOCKER_CONFIG": other.path], homeDirectory: home.path)
        #expect(try await store.credential(registry: "r.example") == .basic(username: "env", password: "y"))
    }

    @Test func credHelpersAndCredsStoreRunTheHelper() async throws {
        let home = try TemporaryFolder()
        let bin = try TemporaryFolder()
        // A real helper speaking the protocol: reads the server URL on stdin.
        try bin.write(
            "docker-credential-test",
            """
            #!/bin/sh
            read server
            case "$server" in
              https://index.docker.io/v1/) echo '{"ServerURL":"x","Username":"hub-user","Secret":"hub-secret"}' ;;
              helped.example) echo '{"ServerURL":"x","Username":"<token>","Secret":"id-token"}' ;;
              *) echo "credentials not found in native keychain"; exit 1 ;;
            esac
            """, executable: true)
        try home.write(".docker/config.json", #"{"credHelpers":{"helped.example":"test"},"credsStore":"test","auths":{"literal.example":{"auth":"\#(basicAuth)"}}}"#)
        let store = CredentialStore(environment: ["PATH": bin.path + ":/usr/bin:/bin"], homeDirectory: home.path)
        #expect(try await store.credential(registry: "helped.example") == .identityToken("id-token"))
        #expect(try await store.credential(registry: "docker.io") == .basic(username: "hub-user", password: "hub-secret"))
        #expect(try await store.credential(registry: "literal.example") == .basic(username: "alice", password: "pa:ss"))
        #expect(try await store.credential(registry: "unknown.example") == nil)
    }

    @Test func missingOrFailingHelperIsAClearError() async throws {
        let home = try TemporaryFolder()
        let bin = try TemporaryFolder()
        try bin.write("docker-credential-broken", "#!/bin/sh\necho 'leaked-secret-value' >&2\nexit 3\n", executable: true)
        try home.write(".docker/config.json", #"{"credHelpers":{"a.example":"absent","b.example":"broken"}}"#)
        let store = CredentialStore(environment: ["PATH": bin.path], homeDirectory: home.path)
        await #expect(throws: CredentialError.helperNotFound(helper: "docker-credential-absent")) {
            try await store.credential(registry: "a.example")
        }
        await #expect(throws: CredentialError.helperFailed(helper: "docker-credential-broken", reason: "exit status 3")) {
            try await store.credential(registry: "b.example")
        }
    }

    /// A helper that hangs is killed at the time-out, with what it started: here `sleep`, a child
    /// of the shell that would keep the helper's stdout open for 30 s.
    @Test(.timeLimit(.minutes(1))) func hangingHelperIsKilledAtTheTimeout() async throws {
        let bin = try TemporaryFolder()
        try bin.write("docker-credential-slow", "#!/bin/sh\nsleep 30\necho '{}'\n", executable: true)
        let helper = CredentialHelper(name: "slow", environment: ["PATH": bin.path + ":/usr/bin:/bin"], timeoutSeconds: 0.5)
        let start = ContinuousClock.now
        await #expect(throws: CredentialError.helperFailed(helper: "docker-credential-slow", reason: "killed or timed out")) {
            try await helper.get(serverURL: "slow.example")
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func registryAuthFileComesFirstAndMostSpecificNamespaceWins() async throws {
        let home = try TemporaryFolder()
        try home.write(".docker/config.json", #"{"auths":{"quay.io":{"username":"docker","password":"d"}}}"#)
        let authFile = try home.write(
            "containers/auth.json",
            #"{"auths":{"quay.io":{"username":"any","password":"1"},"quay.io/org":{"username":"org","password":"2"},"quay.io/org/app":{"username":"app","password":"3"}}}"#)
        let store = CredentialStore(environment: ["REGISTRY_AUTH_FILE": authFile], homeDirectory: home.path)
        #expect(try await store.credential(registry: "quay.io", repository: "org/app") == .basic(username: "app", password: "3"))
        #expect(try await store.credential(registry: "quay.io", repository: "org/application") == .basic(username: "org", password: "2"))
        #expect(try await store.credential(registry: "quay.io", repository: "other/x") == .basic(username: "any", password: "1"))
    }

    @Test func malformedConfigIsAnErrorThatShowsNoContent() async throws {
        let home = try TemporaryFolder()
        let path = try home.write(".docker/config.json", #"{"auths": "SuperSecretToken"#)
        let store = CredentialStore(environment: [:], homeDirectory: home.path)
        do {
            _ = try await store.credential(registry: "r.example")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains(path))
            #expect(!error.description.contains("SuperSecretToken"))
        }
    }

    @Test func credentialsRedactThemselves() {
        let credentials: [RegistryCredential] = [.basic(username: "alice@example.com", password: "hunter2"), .identityToken("eyJhbGciOi")]
        for credential in credentials {
            var dumped = ""
            dump(credential, to: &dumped)
            for shown in ["\(credential)", String(reflecting: credential), dumped, "\([credential])"] {
                #expect(!shown.contains("hunter2") && !shown.contains("alice") && !shown.contains("eyJhbGciOi"))
                #expect(shown.contains("redacted"))
            }
        }
    }
}

@Suite struct RetryAfterTests {
    @Test func parsesSecondsAndAllThreeDateForms() {
        let now = Date(timeIntervalSince1970: 784_111_777 - 30)  // Sun, 06 Nov 1994 08:49:07 GMT minus 30 s
        #expect(RetryPolicy.retryAfterSeconds("120", now: now) == 120)
        #expect(RetryPolicy.retryAfterSeconds("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == 30)
        #expect(RetryPolicy.retryAfterSeconds("Sunday, 06-Nov-94 08:49:37 GMT", now: now) == 30)
        #expect(RetryPolicy.retryAfterSeconds("Sun Nov  6 08:49:37 1994", now: now) == 30)
        #expect(RetryPolicy.retryAfterSeconds("soon", now: now) == nil)
        #expect(RetryPolicy.retryAfterSeconds("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)
    }

    @Test func backoffGrowsAndIsCapped() {
        let policy = RetryPolicy(maxDelay: 4, random: { 0.999_999 })
        let delays = (1...6).map { policy.backoff(afterAttempt: $0) }
        #expect(delays[0] < delays[1] && delays[1] < delays[2] && delays[2] < delays[3])
        #expect(delays.allSatisfy { $0 <= 4 })
        #expect(RetryPolicy(random: { 0 }).backoff(afterAttempt: 1) == 0.25)
    }
}
