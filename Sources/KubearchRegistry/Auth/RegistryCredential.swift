import FoundationEssentials

/// Credentials for one registry. Never printed: `description`, `debugDescription` and the mirror
/// used by `dump` all redact the secret (and the user name, which often is an e-mail or account id).
public enum RegistryCredential: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    case basic(username: String, password: String)
    /// Docker's `identitytoken`: an OAuth2 refresh token exchanged at the token realm.
    case identityToken(String)

    public var description: String {
        switch self {
        case .basic: "RegistryCredential.basic(<redacted>)"
        case .identityToken: "RegistryCredential.identityToken(<redacted>)"
        }
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["redacted": description]) }

    /// `Authorization: Basic …` value; nil for an identity token (it is only good at the token realm).
    var basicAuthorization: String? {
        guard case .basic(let username, let password) = self else { return nil }
        return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}
