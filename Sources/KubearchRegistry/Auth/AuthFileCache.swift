import Synchronization

/// The auth files a `CredentialStore` has read, by path: a run asks for the credential of every
/// repository it resolves, and without this each ask read and decoded the same files again.
final class AuthFileCache: Sendable {
    private let files = Mutex<[String: Result<AuthFile?, CredentialError>]>([:])

    /// The file at `path` as first read through this cache (nil when it does not exist).
    func load(path: String) throws(CredentialError) -> AuthFile? {
        // Read under the lock: concurrent first asks for one path read it once.
        try files.withLock { known throws(CredentialError) -> AuthFile? in
            if let result = known[path] { return try result.get() }
            let result = Result { () throws(CredentialError) -> AuthFile? in try AuthFile.load(path: path) }
            known[path] = result
            return try result.get()
        }
    }
}
