import FoundationEssentials

/// The bearer token flow: `GET <realm>?service=…&scope=…` (basic credentials when the user has them,
/// anonymous otherwise), or for an identity token the OAuth2 `POST` with `grant_type=refresh_token`.
struct TokenIssuer: Sendable {
    var exchange: HTTPExchange
    var limits: ResponseLimits
    var timeout: Double
    var now: @Sendable () -> Date

    /// Tokens without `expires_in` are good for 60 s (the distribution token spec's default).
    static let defaultLifetime: Double = 60

    func issue(
        realm: String, service: String?, scope: String, credential: RegistryCredential?, endpoint: RegistryEndpoint, image: String
    ) async throws(RegistryError) -> IssuedAuthorization {
        guard var components = URLComponents(string: realm), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let realmURL = components.url, let realmAuthority = RegistryEndpoint.authority(of: realmURL)
        else {
            throw .unauthorized(image: image, detail: "the registry's token realm is not an http(s) URL")
        }
        // Credentials only travel over TLS, to loopback, or to the registry host the user chose to reach over http.
        let mayCarryCredentials = scheme == "https" || RegistryHost.isLoopback(realmAuthority) || realmAuthority == endpoint.authority
        let security = realmAuthority == endpoint.authority ? endpoint.security : TransportSecurity()
        var request: HTTPRequest
        if case .identityToken(let refreshToken) = credential, mayCarryCredentials {
            var form = URLComponents()
            form.queryItems = [
                URLQueryItem(name: "grant_type", value: "refresh_token"),
                URLQueryItem(name: "refresh_token", value: refreshToken),
                URLQueryItem(name: "client_id", value: "kubearch"),
                URLQueryItem(name: "scope", value: scope),
            ] + (service.map { [URLQueryItem(name: "service", value: $0)] } ?? [])
            request = HTTPRequest(
                method: "POST", url: realmURL, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Data(Self.formEncoded(form.queryItems ?? []).utf8), security: security, timeout: timeout,
                maxResponseBytes: limits.tokenBytes)
        } else {
            var items = components.queryItems ?? []
            if let service { items.append(URLQueryItem(name: "service", value: service)) }
            items.append(URLQueryItem(name: "scope", value: scope))
            components.queryItems = items
            guard let url = components.url else { throw .unauthorized(image: image, detail: "cannot form the token request URL") }
            request = HTTPRequest(url: url, security: security, timeout: timeout, maxResponseBytes: limits.tokenBytes)
            if mayCarryCredentials, let basic = credential?.basicAuthorization {
                request.headers.append(("Authorization", basic))
            }
        }

        let response: HTTPResponse
        do {
            response = try await exchange.send(request)
        } catch {
            throw error.registryError(image: image)
        }
        switch response.status {
        case 200: break
        case 401: throw .unauthorized(image: image, detail: "the token service refused the credentials")
        case 403: throw .denied(image: image)
        default:
            throw .unexpectedStatus(image: image, status: response.status, detail: "token request")
        }
        struct TokenResponse: Decodable {
            var token: String?
            var access_token: String?
            var expires_in: Double?
        }
        guard let answer = try? JSONDecoder().decode(TokenResponse.self, from: response.body),
            let token = [answer.token, answer.access_token].compactMap({ $0 }).first(where: { !$0.isEmpty })
        else {
            throw .unauthorized(image: image, detail: "the token service returned no token")
        }
        let lifetime = answer.expires_in.map { max(0, $0) } ?? Self.defaultLifetime
        // Renew a little early so a token never expires between the check and the request.
        return IssuedAuthorization(headerValue: "Bearer \(token)", expiresAt: now().addingTimeInterval(lifetime * 0.9))
    }

    /// `application/x-www-form-urlencoded` (stricter than URL query encoding: `+`, `&`, `=` escaped).
    static func formEncoded(_ items: [URLQueryItem]) -> String {
        items.map { "\($0.name.formURLEncoded())=\(($0.value ?? "").formURLEncoded())" }.joined(separator: "&")
    }
}
