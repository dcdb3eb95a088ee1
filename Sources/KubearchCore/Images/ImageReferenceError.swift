/// Why a string is not an image reference. Every message quotes the reference as written.
public enum ImageReferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reference is the empty string.
    case empty
    /// The reference starts or ends with whitespace (spaces, tabs, newlines).
    case surroundingWhitespace(reference: String)
    /// A bare 64-hex string reads like an image ID, so distribution refuses it as a repository name.
    case ambiguousImageID(reference: String)
    /// The repository path holds an uppercase letter; only the registry may.
    case uppercaseRepository(reference: String, repository: String)
    /// The registry part is not `host[:port]` (DNS-style name, IPv4, or bracketed IPv6).
    case invalidRegistry(reference: String, registry: String)
    /// The repository path has an empty component or characters outside the grammar.
    case invalidRepository(reference: String, repository: String)
    /// The tag is empty, too long (over 128), or has characters outside `[A-Za-z0-9_.-]`.
    case invalidTag(reference: String, tag: String)
    /// The digest is not `algorithm:hex` of the right length and case.
    case invalidDigest(reference: String, digest: String)
    /// The digest is well formed but uses an algorithm other than sha256, sha384 or sha512.
    case unsupportedDigestAlgorithm(reference: String, algorithm: String)
    /// The repository path (with any `library/` prefix added) is longer than 255 characters.
    case nameTooLong(reference: String, length: Int)

    public var description: String {
        switch self {
        case .empty:
            return "image reference is empty"
        case .surroundingWhitespace(let reference):
            return "image reference \(quoted(reference)) has leading or trailing whitespace"
        case .ambiguousImageID(let reference):
            return "invalid image reference \(quoted(reference)): a 64-character hexadecimal repository name "
                + "cannot be told apart from an image ID"
        case .uppercaseRepository(let reference, let repository):
            return "invalid image reference \(quoted(reference)): repository name \(quoted(repository)) must be lowercase"
        case .invalidRegistry(let reference, let registry):
            return "invalid image reference \(quoted(reference)): registry \(quoted(registry)) is not a valid "
                + "host name, IPv4 address or [IPv6] address with an optional :port"
        case .invalidRepository(let reference, let repository):
            return "invalid image reference \(quoted(reference)): repository name \(quoted(repository)) must be "
                + "'/'-separated components of lowercase letters and digits joined by '.', '_', '__' or dashes"
        case .invalidTag(let reference, let tag):
            return "invalid image reference \(quoted(reference)): tag \(quoted(tag)) must be 1 to 128 characters "
                + "of letters, digits, '_', '.' and '-', not starting with '.' or '-'"
        case .invalidDigest(let reference, let digest):
            return "invalid image reference \(quoted(reference)): digest \(quoted(digest)) must be algorithm:hex, "
                + "e.g. sha256 with 64 lowercase hex digits"
        case .unsupportedDigestAlgorithm(let reference, let algorithm):
            return "invalid image reference \(quoted(reference)): digest algorithm \(quoted(algorithm)) is not "
                + "supported (use sha256, sha384 or sha512)"
        case .nameTooLong(let reference, let length):
            return "invalid image reference \(quoted(reference)): repository name is \(length) characters, "
                + "more than the limit of \(ReferenceGrammar.maximumRepositoryLength)"
        }
    }
}

/// Quotes with escapes, so stray whitespace or control characters stay visible in messages.
private func quoted(_ text: String) -> String {
    String(reflecting: text)
}
