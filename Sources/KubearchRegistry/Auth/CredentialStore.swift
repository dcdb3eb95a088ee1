import FoundationEssentials
import Glibc

/// Finds the user's registry credentials the way docker and podman do.
///
/// Order: `$REGISTRY_AUTH_FILE` (containers auth.json; the most specific `registry/namespace` key
/// wins), then docker's `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`: `credHelpers` for the
/// registry, else a literal `auths` entry (`auth`, `username`/`password`, `identitytoken`), else
/// `credsStore`. Docker Hub (`docker.io`) is looked up as `https://index.docker.io/v1/`.
/// The environment and home folder are injectable so tests never read the real ones. Each auth file
/// is read once per store (and its copies): a store lives for one run.
public struct CredentialStore: Sendable {
    public var environment: [String: String]
    public var homeDirectory: String
    private var isDisabled = false
    private let files = AuthFileCache()

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, homeDirectory: String? = nil) {
        self.environment = environment
        self.homeDirectory = homeDirectory ?? environment["HOME"] ?? Self.passwordHomeDirectory()
    }

    /// The home folder from the password database when `HOME` is unset (as `NSHomeDirectory()`).
    private static func passwordHomeDirectory() -> String {
        guard let entry = getpwuid(geteuid()), let folder = entry.pointee.pw_dir else { return "/" }
        return String(cString: folder)
    }

    /// A store that never finds anything (tests, `--offline`-like runs).
    public static var none: CredentialStore {
        var store = CredentialStore(environment: [:], homeDirectory: "/nonexistent")
        store.isDisabled = true
        return store
    }

    var dockerConfigPath: String {
        if let folder = environment["DOCKER_CONFIG"], !folder.isEmpty { return folder + "/config.json" }
        return homeDirectory + "/.docker/config.json"
    }

    /// The credential for `registry` (a canonical registry name such as `docker.io` or
    /// `registry.internal:5000`), or nil to go anonymous.
    public func credential(registry: String, repository: String? = nil) async throws(CredentialError) -> RegistryCredential? {
        if isDisabled { return nil }
        if let path = environment["REGISTRY_AUTH_FILE"], !path.isEmpty,
            let file = try files.load(path: path),
            let credential = file.entry(registry: registry, repository: repository)?.credential()
        {
            return credential
        }
        guard let docker = try files.load(path: dockerConfigPath) else { return nil }
        if let helper = helperName(in: docker.credHelpers, registry: registry) {
            return try await CredentialHelper(name: helper, environment: environment).get(serverURL: Self.serverURL(for: registry))
        }
        if let credential = docker.entry(registry: registry, repository: nil)?.credential() {
            return credential
        }
        if let store = docker.credsStore, !store.isEmpty {
            return try await CredentialHelper(name: store, environment: environment).get(serverURL: Self.serverURL(for: registry))
        }
        return nil
    }

    /// What docker hands a credential helper for this registry.
    public static func serverURL(for registry: String) -> String {
        RegistryHost.isDockerHub(registry) ? "https://index.docker.io/v1/" : registry
    }

    private func helperName(in helpers: [String: String]?, registry: String) -> String? {
        guard let helpers else { return nil }
        let hosts = RegistryHost.credentialHostnames(for: registry)
        return helpers.first { hosts.contains(AuthKey($0.key).host) }?.value
    }
}

/// Host name rules shared by credentials and endpoints.
enum RegistryHost {
    static func isDockerHub(_ registry: String) -> Bool {
        ["docker.io", "index.docker.io", "registry-1.docker.io"].contains(registry.lowercased())
    }

    /// The `auths` / `credHelpers` host names that mean this registry.
    static func credentialHostnames(for registry: String) -> Set<String> {
        isDockerHub(registry) ? ["index.docker.io", "docker.io", "registry-1.docker.io"] : [registry.lowercased()]
    }

    /// localhost, 127.0.0.0/8 and ::1, with or without a port.
    static func isLoopback(_ authority: String) -> Bool {
        let host = hostPart(of: authority).lowercased()
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// `host` of `host:port`, `[v6]:port` or `host`.
    static func hostPart(of authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<close])
        }
        if authority.filter({ $0 == ":" }).count == 1, let colon = authority.firstIndex(of: ":") {
            return String(authority[..<colon])
        }
        return authority
    }
}
