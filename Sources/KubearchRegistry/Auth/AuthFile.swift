import FoundationEssentials

/// The parts of docker's `config.json` and containers' `auth.json` that hold credentials.
struct AuthFile: Decodable, Sendable {
    struct Entry: Decodable, Sendable {
        var auth: String?
        var username: String?
        var password: String?
        var identitytoken: String?

        /// The credential this entry holds; nil for an empty entry (docker writes `{}` when a
        /// `credsStore` keeps the secret).
        func credential() -> RegistryCredential? {
            if let token = identitytoken, !token.isEmpty { return .identityToken(token) }
            if let auth, !auth.isEmpty, let decoded = Data(base64Encoded: auth, options: .ignoreUnknownCharacters),
                let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
            {
                return .basic(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
            }
            if let username, let password, !username.isEmpty, !password.isEmpty {
                return .basic(username: username, password: password)
            }
            return nil
        }
    }

    var auths: [String: Entry]?
    var credHelpers: [String: String]?
    var credsStore: String?

    /// Reads the file; nil when it does not exist.
    static func load(path: String) throws(CredentialError) -> AuthFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableAuthFile(path: path, reason: "cannot open the file")
        }
        // Decoding errors name only JSON structure; the file's contents never reach the message.
        do {
            return try JSONDecoder().decode(AuthFile.self, from: data)
        } catch {
            throw .unreadableAuthFile(path: path, reason: "not a valid auth file (JSON object with `auths`)")
        }
    }

    /// The entry for `registry` (and, for containers-style keys such as `quay.io/org`, the most
    /// specific namespace that contains `repository`).
    func entry(registry: String, repository: String?) -> Entry? {
        guard let auths else { return nil }
        var best: (length: Int, entry: Entry)?
        let hosts = RegistryHost.credentialHostnames(for: registry)
        let fullName = repository.map { "\(registry)/\($0)" }
        for (key, entry) in auths {
            let parsed = AuthKey(key)
            if let namespace = parsed.namespace {
                guard let fullName, hosts.contains(parsed.host) || parsed.host == registry else { continue }
                let prefix = "\(registry)/\(namespace)"
                guard fullName == prefix || fullName.hasPrefix(prefix + "/") else { continue }
                if (best?.length ?? -1) < prefix.count { best = (prefix.count, entry) }
            } else if hosts.contains(parsed.host) {
                if best == nil { best = (0, entry) }
            }
        }
        return best?.entry
    }
}

/// An `auths` key: `https://index.docker.io/v1/`, `registry.example.com`, `http://host:5000/v2/`,
/// or (containers auth.json) `quay.io/org/repo`. A key with a scheme names a host only.
struct AuthKey {
    var host: String
    var namespace: String?

    init(_ key: String) {
        var rest = Substring(key)
        var hadScheme = false
        for scheme in ["https://", "http://"] where rest.lowercased().hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            hadScheme = true
        }
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        host = String(parts.first ?? "").lowercased()
        let path = parts.count > 1 ? parts[1].trimming { $0 == "/" } : ""
        namespace = hadScheme || path.isEmpty ? nil : path
    }
}
