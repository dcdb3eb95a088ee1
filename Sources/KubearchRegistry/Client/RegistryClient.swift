import KubearchCore
import FoundationEssentials

/// Learns an image's platforms from registry metadata (manifests and config blobs, never layers).
///
/// `transport` is used as given: pass one that follows redirects safely (blob requests are
/// redirected to storage on real registries). All requests of one client share its token cache,
/// credential look-ups, request counter and what it learnt about hosts.
///
/// A registry with mirrors is asked through them in order (`RegistryEndpoint.candidates`): a mirror
/// that cannot be reached, does not have the image (404, `MANIFEST_UNKNOWN`, `NAME_UNKNOWN`) or fails
/// after its retries is skipped for that image, then the next is asked, then the registry itself
/// unless `fallback: false`. A mirror host that could not be reached is remembered for the client's
/// life, so later images skip it at once instead of spending their own retries on it.
public struct RegistryClient: Sendable {
    public var configuration: RegistryConfiguration
    public var credentials: CredentialStore
    public var limits: ResponseLimits
    /// Whole-request timeout handed to the transport, in seconds.
    public var timeout: Double
    /// Index entries without a platform that are fetched to learn theirs (nested index, or a
    /// manifest whose config knows the platform); more than this are ignored.
    public var maxUnresolvedIndexEntries: Int

    let exchange: HTTPExchange
    let tokens: TokenCache
    /// Holds a host's requests back until its first one has been answered (and its challenge learnt).
    let firstContact: FirstContactGate
    /// `insecure: true` hosts found to speak only plain http.
    let plainHTTPHosts: HostSet
    /// Loopback hosts (asked over plain http by default) found to speak only HTTPS.
    let httpsOnlyHosts: HostSet
    /// Mirror hosts that could not be reached (or kept failing) in this run: skipped from then on.
    let unreachableMirrors: HostSet

    public init(
        transport: any HTTPTransport, configuration: RegistryConfiguration = RegistryConfiguration(),
        credentials: CredentialStore = CredentialStore(), retry: RetryPolicy = RetryPolicy(),
        limits: ResponseLimits = ResponseLimits(), timeout: Double = 30, maxUnresolvedIndexEntries: Int = 16,
        userAgent: String = "kubearch"
    ) {
        self.configuration = configuration
        self.credentials = credentials
        self.limits = limits
        self.timeout = timeout
        self.maxUnresolvedIndexEntries = maxUnresolvedIndexEntries
        self.exchange = HTTPExchange(transport: transport, retry: retry, counter: RequestCounter(), userAgent: userAgent)
        self.tokens = TokenCache(now: retry.now)
        self.firstContact = FirstContactGate()
        self.plainHTTPHosts = HostSet()
        self.httpsOnlyHosts = HostSet()
        self.unreachableMirrors = HostSet()
    }

    /// HTTP requests made so far (every attempt, token requests included).
    public var requestCount: Int {
        get async { await exchange.counter.count }
    }

    /// The digest, media type and runnable platforms of `registry/repository:reference`
    /// (`reference` is a tag or a `sha256:…` digest), from the first of the registry's mirrors that
    /// has it, else from the registry itself (unless its `fallback` is off).
    public func platforms(registry: String, repository: String, reference: String) async throws(RegistryError) -> ResolvedImage {
        let key = ImageKey(registry: registry, repository: repository, reference: reference)
        try Self.validate(key)
        var skipped: [String] = []
        for endpoint in RegistryEndpoint.candidates(registry: registry, configuration: configuration) {
            guard endpoint.isMirror else {
                return try await platforms(of: key, context: await requestContext(for: key, at: endpoint))
            }
            if await unreachableMirrors.contains(endpoint.authority) {
                skipped.append("\(endpoint.displayName): did not answer earlier in this run")
                continue
            }
            do {
                return try await platforms(of: key, context: await requestContext(for: key, at: endpoint))
            } catch {
                // Skipped when it lacks the image or could not be reached (then `send` marked it); a
                // refusal (401, 403), a TLS failure or a wrong digest is a problem the user has to
                // see, not a reason to ask elsewhere.
                let unreachable = await unreachableMirrors.contains(endpoint.authority)
                guard Self.lacksImage(error) || unreachable else { throw error }
                skipped.append("\(endpoint.displayName): \(error.reason)")
            }
        }
        throw .notOnAnyMirror(image: key.description, skipped: skipped)
    }

    /// 404: `MANIFEST_UNKNOWN`, `NAME_UNKNOWN`, or a 404 for a blob the mirror has not got.
    static func lacksImage(_ error: RegistryError) -> Bool {
        switch error {
        case .notFound: true
        case .unexpectedStatus(_, let status, _): status == 404
        default: false
        }
    }

    private func platforms(of key: ImageKey, context: RequestContext) async throws(RegistryError) -> ResolvedImage {
        let reference = key.reference
        let image = context.image
        let top = try await fetchManifest(reference: reference, context: context)
        var platforms: Set<Platform> = []
        switch top.document {
        case .schema1(let manifest):
            platforms.insert(manifest.platform)
        case .image(let manifest):
            platforms.insert(try await fetchConfiguration(manifest.config, context: context).platform)
        case .index(let index):
            let selection = index.platformSelection()
            platforms.formUnion(selection.platforms)
            for child in selection.unresolved.prefix(maxUnresolvedIndexEntries) {
                platforms.formUnion(try await childPlatforms(of: child, context: context))
            }
        }
        let runnable = platforms.filter { !$0.isUnknown }
        guard !runnable.isEmpty else { throw .noPlatforms(image: image) }
        return ResolvedImage(
            digest: top.digest, mediaType: top.document.mediaType, platforms: runnable.sorted(),
            source: context.endpoint.displayName, fromMirror: context.endpoint.isMirror)
    }

    /// Obtains the authorization for the image's repository before its first request, when the
    /// host's challenge is known or is being learnt by the host's first request. `ImageResolver`
    /// calls it while other images hold the registry slots, so token round trips overlap with
    /// registry requests instead of coming before each image's first one. Does nothing for a host
    /// that wants no authorization or has not been asked anything yet.
    func prepareAuthorization(for key: ImageKey) async throws(RegistryError) {
        try Self.validate(key)
        var first: RegistryEndpoint?
        for endpoint in RegistryEndpoint.candidates(registry: key.registry, configuration: configuration) {
            if endpoint.isMirror, await unreachableMirrors.contains(endpoint.authority) { continue }
            first = endpoint
            break
        }
        guard let first else { return }
        let context = await requestContext(for: key, at: first)
        let host = context.endpoint.authority
        if await tokens.authorization(host: host, scope: context.scope) != nil { return }
        var challenge = await tokens.challenge(host: host)
        if challenge == nil, await firstContact.waitIfAnswering(host) {
            challenge = await tokens.challenge(host: host)
        }
        guard let challenge else { return }
        _ = try await authorization(for: challenge, context: context)
    }

    // MARK: - Documents

    struct RequestContext: Sendable {
        /// The upstream reference: what every message names, whichever host is asked.
        var image: String
        var registry: String
        /// The repository as the endpoint names it (`mirror/docker.io/library/nginx` on a mirror).
        var repository: String
        var endpoint: RegistryEndpoint
        var scope: String
    }

    /// Where and in which scope the image's requests to `endpoint` go, as learnt so far in this run.
    func requestContext(for key: ImageKey, at endpoint: RegistryEndpoint) async -> RequestContext {
        var endpoint = endpoint
        if endpoint.allowsPlainHTTPFallback, await plainHTTPHosts.contains(endpoint.authority) {
            endpoint = endpoint.plainHTTP
        }
        if endpoint.mayUpgradeToHTTPS, await httpsOnlyHosts.contains(endpoint.authority) {
            endpoint = endpoint.https
        }
        let repository = endpoint.repositoryPath(key.repository)
        return RequestContext(
            image: key.description, registry: key.registry, repository: repository, endpoint: endpoint,
            scope: "repository:\(repository):pull")
    }

    struct FetchedManifest: Sendable {
        var digest: String
        var document: ManifestDocument
    }

    /// An index entry without a platform: a nested index is read one level deep (its own unlabelled
    /// entries are ignored); a manifest's platform comes from its config; artifacts count for nothing.
    private func childPlatforms(of entry: Descriptor, context: RequestContext) async throws(RegistryError) -> [Platform] {
        let child: FetchedManifest
        do {
            child = try await fetchManifest(reference: entry.digest, context: context)
        } catch .unsupportedMediaType {
            return []
        }
        switch child.document {
        case .schema1(let manifest): return [manifest.platform]
        case .image(let manifest): return [try await fetchConfiguration(manifest.config, context: context).platform]
        case .index(let index): return index.platformSelection().platforms
        }
    }

    private func fetchManifest(reference: String, context: RequestContext) async throws(RegistryError) -> FetchedManifest {
        let image = context.image
        guard let url = context.endpoint.url(repository: context.repository, kind: "manifests", reference: reference) else {
            throw .invalidReference(image: image, reason: "cannot form a URL")
        }
        let request = HTTPRequest(
            url: url, headers: [("Accept", MediaType.manifestAcceptHeader)], security: context.endpoint.security,
            timeout: timeout, maxResponseBytes: limits.manifestBytes)
        let response = try await authorizedSend(request, context: context)
        try Self.checkStatus(response, image: image, what: "manifest")

        let body = response.body
        let expectedText = ContentDigest(reference) != nil ? reference : response.header("Docker-Content-Digest")
        var digest = ContentDigest.sha256(of: body).description
        if let expectedText {
            guard let expected = ContentDigest(expectedText.trimmingSpaces()) else {
                throw .malformedManifest(image: image, reason: "registry sent an invalid digest \(expectedText)")
            }
            // A signed schema 1 manifest's digest covers its payload without the signatures.
            let matches = expected.matches(body) || (SchemaOneManifest.canonicalPayload(of: body).map(expected.matches) ?? false)
            guard matches else {
                throw .digestMismatch(image: image, expected: expected.description, actual: digest)
            }
            digest = expected.description
        } else if let canonical = SchemaOneManifest.canonicalPayload(of: body) {
            digest = ContentDigest.sha256(of: canonical).description
        }

        do {
            let document = try ManifestDocument.parse(body, contentType: response.header("Content-Type"))
            return FetchedManifest(digest: digest, document: document)
        } catch .unsupportedMediaType(let type) {
            throw .unsupportedMediaType(image: image, mediaType: type)
        } catch .notAContainerImage(let configType) {
            throw .unsupportedMediaType(image: image, mediaType: "\(configType) (an artifact's config, not a container image)")
        } catch {
            throw .malformedManifest(image: image, reason: error.description)
        }
    }

    private func fetchConfiguration(_ descriptor: Descriptor, context: RequestContext) async throws(RegistryError) -> ImageConfiguration {
        let image = context.image
        guard let expected = ContentDigest(descriptor.digest) else {
            throw .malformedManifest(image: image, reason: "config digest \(descriptor.digest) is not a valid digest")
        }
        guard let url = context.endpoint.url(repository: context.repository, kind: "blobs", reference: expected.description) else {
            throw .invalidReference(image: image, reason: "cannot form a URL")
        }
        let request = HTTPRequest(
            url: url, security: context.endpoint.security, timeout: timeout, maxResponseBytes: limits.configBytes)
        let response = try await authorizedSend(request, context: context)
        try Self.checkStatus(response, image: image, what: "config blob \(expected)")
        guard expected.matches(response.body) else {
            throw .digestMismatch(image: image, expected: expected.description, actual: ContentDigest.sha256(of: response.body).description)
        }
        do {
            return try ImageConfiguration.parse(response.body)
        } catch {
            throw .malformedManifest(image: image, reason: "config blob: \(error.description)")
        }
    }

    /// Maps a non-200 answer to the error users understand.
    static func checkStatus(_ response: HTTPResponse, image: String, what: String) throws(RegistryError) {
        switch response.status {
        case 200: return
        case 401: throw .unauthorized(image: image, detail: RegistryErrorBody.summary(response.body) ?? "the registry refused the request")
        case 403: throw .denied(image: image)
        case 404 where what == "manifest": throw .notFound(image: image)
        case 300..<400:
            throw .transport(image: image, reason: "the registry redirected the \(what) request (HTTP \(response.status)) and the transport did not follow")
        default:
            let detail = [what == "manifest" ? nil : what, RegistryErrorBody.summary(response.body)].compactMap { $0 }.joined(separator: ": ")
            throw .unexpectedStatus(image: image, status: response.status, detail: detail)
        }
    }

    // MARK: - Authentication

    /// Sends a registry request with the scope's authorization, answering one 401 challenge.
    /// The first request to a host goes alone (`FirstContactGate`), so the others know its challenge.
    func authorizedSend(_ request: HTTPRequest, context: RequestContext) async throws(RegistryError) -> HTTPResponse {
        let host = context.endpoint.authority
        var request = request
        var sentAuthorization = false
        var isFirstContact = false
        if let header = await tokens.authorization(host: host, scope: context.scope) {
            request.headers.append(("Authorization", header))
            sentAuthorization = true
        } else if await tokens.challenge(host: host) == nil, await firstContact.enter(host) {
            isFirstContact = true
        }
        if !sentAuthorization, !isFirstContact, let known = await tokens.challenge(host: host),
            let header = try await authorization(for: known, context: context)
        {
            request.headers.append(("Authorization", header))
            sentAuthorization = true
        }

        var response: HTTPResponse
        do throws(RegistryError) {
            response = try await send(request, context: context)
        } catch {
            if isFirstContact { await firstContact.open(host) }
            throw error
        }
        let challenge = response.status == 401 ? Self.preferred(AuthChallenge.parse(response.headers(named: "WWW-Authenticate"))) : nil
        if let challenge { await tokens.remember(challenge: challenge, host: host) }
        if isFirstContact { await firstContact.open(host) }
        guard response.status == 401, let challenge else { return response }
        if sentAuthorization { await tokens.invalidate(host: host, scope: context.scope) }
        guard let header = try await authorization(for: challenge, context: context) else {
            throw .unauthorized(image: context.image, detail: "the registry requires credentials and none are configured for \(context.registry)")
        }
        request.headers.removeAll { $0.name.equalsIgnoringCase("Authorization") }
        request.headers.append(("Authorization", header))
        response = try await send(request, context: context)
        return response
    }

    private func send(_ request: HTTPRequest, context: RequestContext) async throws(RegistryError) -> HTTPResponse {
        if context.endpoint.isMirror { return try await sendToMirror(request, context: context) }
        guard context.endpoint.mayUpgradeToHTTPS else { return try await sendWithPlainHTTPFallback(request, context: context) }
        // A loopback registry is asked over plain http first; one that serves only HTTPS answers that
        // with a 400 page, and is asked over https (trusting the system CAs, or none with
        // `insecure: true`) from then on, so an untrusted certificate shows up as the TLS error it is.
        let authority = context.endpoint.authority
        var request = request
        if await httpsOnlyHosts.contains(authority) { request.url = Self.withHTTPS(request.url) }
        let response = try await sendWithPlainHTTPFallback(request, context: context)
        guard request.url.scheme == "http", Self.isPlainHTTPRefusal(response) else { return response }
        await httpsOnlyHosts.insert(authority)
        request.url = Self.withHTTPS(request.url)
        do {
            return try await exchange.send(request)
        } catch .transport(let failure, _) where Self.isTLSFailure(failure) {
            throw .transport(
                image: context.image,
                reason: "\(failure) (\(authority) serves HTTPS only: set caFile, or insecure: true, for it under registries: in .kubearch.yaml)")
        } catch {
            throw error.registryError(image: context.image)
        }
    }

    /// A mirror is asked as its URL says. One that cannot be reached, or fails after every retry, is
    /// remembered before the error goes up, so that requests waiting behind its `FirstContactGate`
    /// and every later image skip it without their own retries.
    private func sendToMirror(_ request: HTTPRequest, context: RequestContext) async throws(RegistryError) -> HTTPResponse {
        let authority = context.endpoint.authority
        if await unreachableMirrors.contains(authority) {
            throw .transport(image: context.image, reason: "\(authority) did not answer earlier in this run")
        }
        do {
            return try await exchange.send(request)
        } catch {
            if error.meansUnreachable { await unreachableMirrors.insert(authority) }
            throw error.registryError(image: context.image)
        }
    }

    /// A server's answer to plain http sent to its HTTPS port: Go's net/http (docker-registry, zot)
    /// says "Client sent an HTTP request to an HTTPS server.", nginx "The plain HTTP request was sent to HTTPS port".
    static func isPlainHTTPRefusal(_ response: HTTPResponse) -> Bool {
        guard response.status == 400 else { return false }
        let text = String(decoding: response.body.prefix(1024), as: UTF8.self).lowercased()
        return text.contains("http request") && text.contains("https")
    }

    static func isTLSFailure(_ error: HTTPTransportError) -> Bool {
        if case .tlsFailed = error { true } else { false }
    }

    static func withHTTPS(_ url: URL) -> URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        components.scheme = "https"
        return components.url ?? url
    }

    private func sendWithPlainHTTPFallback(_ request: HTTPRequest, context: RequestContext) async throws(RegistryError) -> HTTPResponse {
        do {
            return try await exchange.send(request)
        } catch .transport(.tlsFailed, _) where context.endpoint.allowsPlainHTTPFallback {
            // `insecure: true` host that does not speak TLS at all: ask over http from now on.
            await plainHTTPHosts.insert(context.endpoint.authority)
            var plain = request
            plain.url = URL(string: context.endpoint.plainHTTP.baseURL + request.url.path) ?? request.url
            do {
                return try await exchange.send(plain)
            } catch {
                throw error.registryError(image: context.image)
            }
        } catch {
            throw error.registryError(image: context.image)
        }
    }

    static func preferred(_ challenges: [AuthChallenge]) -> AuthChallenge? {
        challenges.first { if case .bearer = $0 { true } else { false } }
            ?? challenges.first { if case .basic = $0 { true } else { false } }
    }

    /// The `Authorization` value answering `challenge`, or nil when it needs credentials we lack.
    private func authorization(for challenge: AuthChallenge, context: RequestContext) async throws(RegistryError) -> String? {
        let credential = try await credential(context: context)
        let host = context.endpoint.authority
        switch challenge {
        case .basic:
            guard let header = credential?.basicAuthorization else { return nil }
            do {
                return try await tokens.obtain(host: host, scope: context.scope) { IssuedAuthorization(headerValue: header, expiresAt: nil) }
            } catch {
                return header
            }
        case .bearer(let realm, let service, _):
            let issuer = TokenIssuer(exchange: exchange, limits: limits, timeout: timeout, now: exchange.retry.now)
            let endpoint = context.endpoint
            let scope = context.scope
            let image = context.image
            do {
                return try await tokens.obtain(host: host, scope: scope) {
                    try await issuer.issue(
                        realm: realm, service: service, scope: scope, credential: credential, endpoint: endpoint, image: image)
                }
            } catch let error as RegistryError {
                throw error
            } catch {
                throw .transport(image: image, reason: "token request failed")
            }
        case .unsupported:
            return nil
        }
    }

    private func credential(context: RequestContext) async throws(RegistryError) -> RegistryCredential? {
        // A mirror gets the credentials stored for the mirror's host, not the upstream's.
        let registry = context.endpoint.isMirror ? context.endpoint.authority : context.registry
        let store = credentials
        let repository = context.repository
        do {
            return try await tokens.credential(key: "\(registry)/\(repository)") {
                try await store.credential(registry: registry, repository: repository)
            }
        } catch let error as CredentialError {
            throw .credentials(image: context.image, reason: error.description)
        } catch {
            throw .credentials(image: context.image, reason: "credential look-up failed")
        }
    }

    // MARK: - Validation

    /// `/`-separated components of lowercase letters and digits with `.`, `_`, `-` inside.
    static func isRepositoryPath(_ path: String) -> Bool {
        let validComponent: (Substring) -> Bool = { component in
            guard let first = component.first, let last = component.last else { return false }
            let isAlphanumeric: (Character) -> Bool = { $0.isASCII && ($0.isLowercase || $0.isNumber) }
            return isAlphanumeric(first) && isAlphanumeric(last) && component.allSatisfy { isAlphanumeric($0) || "._-".contains($0) }
        }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy(validComponent)
    }

    /// Repository and reference become URL path segments: only the distribution grammar's
    /// characters get through.
    static func validate(_ key: ImageKey) throws(RegistryError) {
        let image = key.description
        guard !key.registry.isEmpty, key.registry.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]_".contains($0)) }) else {
            throw .invalidReference(image: image, reason: "invalid registry name")
        }
        guard isRepositoryPath(key.repository) else {
            throw .invalidReference(image: image, reason: "invalid repository name")
        }
        if key.reference.contains(":") {
            guard ContentDigest(key.reference) != nil else { throw .invalidReference(image: image, reason: "invalid digest") }
        } else {
            let isTagCharacter: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
            guard let first = key.reference.first, first != ".", first != "-", key.reference.count <= 128,
                key.reference.allSatisfy(isTagCharacter)
            else { throw .invalidReference(image: image, reason: "invalid tag") }
        }
    }
}

/// Registry authorities learnt during a run to need another scheme than the first one tried.
actor HostSet {
    private var hosts: Set<String> = []
    func contains(_ host: String) -> Bool { hosts.contains(host) }
    func insert(_ host: String) { hosts.insert(host) }
}

/// The registry's JSON error body: `{"errors":[{"code":…,"message":…}]}`.
enum RegistryErrorBody {
    static func summary(_ body: Data) -> String? {
        struct Body: Decodable {
            struct Entry: Decodable {
                var code: String?
                var message: String?
            }
            var errors: [Entry]?
        }
        guard let first = (try? JSONDecoder().decode(Body.self, from: body))?.errors?.first else { return nil }
        let text = [first.code, first.message].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return text.isEmpty ? nil : RegistryError.oneLine(text, limit: 200)
    }
}
