/// Why credentials could not be read. Never carries a secret: only paths, helper names and exit codes.
public enum CredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadableAuthFile(path: String, reason: String)
    case helperNotFound(helper: String)
    case helperFailed(helper: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableAuthFile(let path, let reason): "cannot read credentials from \(path): \(reason)"
        case .helperNotFound(let helper): "credential helper \(helper) is not on PATH"
        case .helperFailed(let helper, let reason): "credential helper \(helper) failed: \(reason)"
        }
    }
}
