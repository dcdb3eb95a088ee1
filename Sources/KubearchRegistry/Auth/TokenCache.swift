import FoundationEssentials

/// An `Authorization` header value and when it stops being good.
struct IssuedAuthorization: Sendable {
    var headerValue: String
    var expiresAt: Date?
}

/// Per-run authentication state, shared by all requests of a client.
///
/// Tokens are cached per (host, scope) and reused by every request in that scope until they expire;
/// concurrent requests needing the same token wait for one token request. The challenge a host
/// answered with is remembered, so later repositories on it get their token before the first
/// request instead of after a 401. Credential look-ups (which may run a helper) happen once per
/// registry and repository.
actor TokenCache {
    struct ScopeKey: Hashable, Sendable {
        var host: String
        var scope: String
    }

    private let now: @Sendable () -> Date
    private var authorizations: [ScopeKey: IssuedAuthorization] = [:]
    private var pending: [ScopeKey: Task<IssuedAuthorization, any Error>] = [:]
    private var challenges: [String: AuthChallenge] = [:]
    private var credentials: [String: Task<RegistryCredential?, any Error>] = [:]

    init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// A cached, unexpired authorization for this scope.
    func authorization(host: String, scope: String) -> String? {
        let key = ScopeKey(host: host, scope: scope)
        guard let cached = authorizations[key] else { return nil }
        if let expiry = cached.expiresAt, expiry <= now() {
            authorizations[key] = nil
            return nil
        }
        return cached.headerValue
    }

    func challenge(host: String) -> AuthChallenge? { challenges[host] }

    func remember(challenge: AuthChallenge, host: String) { challenges[host] = challenge }

    func invalidate(host: String, scope: String) { authorizations[ScopeKey(host: host, scope: scope)] = nil }

    /// The authorization for this scope, obtaining it with `issue` unless cached or already being
    /// obtained by another request.
    func obtain(
        host: String, scope: String, issue: @escaping @Sendable () async throws -> IssuedAuthorization
    ) async throws -> String {
        if let cached = authorization(host: host, scope: scope) { return cached }
        let key = ScopeKey(host: host, scope: scope)
        let task: Task<IssuedAuthorization, any Error>
        if let running = pending[key] {
            task = running
        } else {
            task = Task { try await issue() }
            pending[key] = task
        }
        do {
            let issued = try await task.value
            if pending[key] == task {
                pending[key] = nil
                authorizations[key] = issued
            }
            return issued.headerValue
        } catch {
            if pending[key] == task { pending[key] = nil }
            throw error
        }
    }

    /// The credential for a registry/repository, looked up once.
    func credential(
        key: String, lookup: @escaping @Sendable () async throws -> RegistryCredential?
    ) async throws -> RegistryCredential? {
        if let task = credentials[key] { return try await task.value }
        let task = Task { try await lookup() }
        credentials[key] = task
        return try await task.value
    }
}
