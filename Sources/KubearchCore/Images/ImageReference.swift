/// A container image reference, normalised as github.com/distribution/reference does with
/// `ParseNormalizedNamed` followed by `TagNameOnly`: `nginx` → `docker.io/library/nginx:latest`.
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// `docker.io`, `quay.io`, `localhost:5000`, `[::1]:5000`. Kept in the case it was written.
    public let registry: String
    /// `library/nginx`: the path inside the registry, always lowercase.
    public let repository: String
    /// `latest` is filled in only when neither a tag nor a digest is given.
    public let tag: String?
    /// `sha256:<64 hex>` (sha384 and sha512 are accepted too).
    public let digest: String?

    static let defaultRegistry = "docker.io"
    static let legacyDefaultRegistry = "index.docker.io"
    static let officialRepositoryPrefix = "library/"
    static let defaultTag = "latest"

    /// `docker.io/library/nginx:1.27`, `docker.io/library/nginx@sha256:…`, or both `name:tag@digest`.
    /// Stored: it is the key of every lockfile and registry lookup.
    public let canonical: String

    public var description: String { canonical }

    /// The reference to ask the registry for: the digest when there is one (a digest pin always wins), else the tag.
    public var manifestReference: String {
        digest ?? tag ?? Self.defaultTag
    }

    /// `registry/repository`, without tag or digest.
    public var name: String { registry + "/" + repository }

    /// Parses and normalises `text`. Separators are searched as UTF-8 bytes: only ASCII is valid,
    /// and a search by `Character` cost most of the parse.
    ///
    /// Surrounding whitespace is rejected, not trimmed: distribution rejects it too, and a stray
    /// space in a manifest is a bug the user should see rather than have silently repaired.
    ///
    /// One deliberate difference from distribution: a first component that has a `.` or `:` but is
    /// not a valid host (`my_registry.io/app`) makes distribution fall back to an empty domain and
    /// read the whole string as a path, a name no registry can serve; here it is an invalid registry.
    public init(parsing text: String) throws(ImageReferenceError) {
        guard !text.isEmpty else { throw .empty }
        if let first = text.first, let last = text.last, first.isWhitespace || last.isWhitespace {
            throw .surroundingWhitespace(reference: text)
        }
        if ReferenceGrammar.isImageID(text) { throw .ambiguousImageID(reference: text) }

        let (registry, remainder) = Self.splitRegistry(text)

        // No part of the remainder may hold '@' or ':' except these separators, so the
        // first of each splits it unambiguously: path[:tag][@digest].
        let nameAndTag: Substring
        let digest: Substring?
        if let at = remainder.utf8.firstIndex(of: UInt8(ascii: "@")) {
            nameAndTag = remainder[..<at]
            digest = remainder[remainder.index(after: at)...]
        } else {
            nameAndTag = remainder
            digest = nil
        }
        let path: Substring
        let tag: Substring?
        if let colon = nameAndTag.utf8.firstIndex(of: UInt8(ascii: ":")) {
            path = nameAndTag[..<colon]
            tag = nameAndTag[nameAndTag.index(after: colon)...]
        } else {
            path = nameAndTag
            tag = nil
        }

        guard ReferenceGrammar.isRegistry(registry[...]) else {
            throw .invalidRegistry(reference: text, registry: registry)
        }
        if ReferenceGrammar.containsUppercase(path) {
            throw .uppercaseRepository(reference: text, repository: String(path))
        }
        guard ReferenceGrammar.isRepositoryPath(path) else {
            throw .invalidRepository(reference: text, repository: String(path))
        }
        if let tag, !ReferenceGrammar.isTag(tag) {
            throw .invalidTag(reference: text, tag: String(tag))
        }
        if let digest {
            switch DigestGrammar.check(digest) {
            case .valid: break
            case .malformed: throw .invalidDigest(reference: text, digest: String(digest))
            case .unsupported(let algorithm): throw .unsupportedDigestAlgorithm(reference: text, algorithm: algorithm)
            }
        }
        let pathLength = path.utf8.count
        guard pathLength <= ReferenceGrammar.maximumRepositoryLength else {
            throw .nameTooLong(reference: text, length: pathLength)
        }

        self.registry = registry
        self.repository = String(path)
        self.digest = digest.map(String.init)
        // TagNameOnly: "latest" only for a bare name; a digest alone stays untagged.
        self.tag = tag.map(String.init) ?? (digest == nil ? Self.defaultTag : nil)
        var canonical = registry + "/" + repository
        if let tag = self.tag { canonical += ":" + tag }
        if let digest = self.digest { canonical += "@" + digest }
        self.canonical = canonical
    }

    /// distribution's splitDockerDomain: the first component names a registry when it is `localhost`,
    /// has a `.` or `:`, or has an uppercase letter (never valid in a Docker Hub namespace).
    /// Docker Hub names without a namespace get `library/`.
    private static func splitRegistry(_ text: String) -> (registry: String, remainder: Substring) {
        guard let slash = text.utf8.firstIndex(of: UInt8(ascii: "/")) else {
            return (defaultRegistry, Substring(officialRepositoryPrefix + text))
        }
        let head = text[..<slash]
        let tail = text[text.index(after: slash)...]

        var registry: String
        var remainder: Substring
        if head == "localhost" || head.utf8.contains(UInt8(ascii: ".")) || head.utf8.contains(UInt8(ascii: ":"))
            || ReferenceGrammar.containsUppercase(head) {
            registry = String(head)
            remainder = tail
        } else {
            registry = defaultRegistry
            remainder = text[...]
        }
        if registry == legacyDefaultRegistry { registry = defaultRegistry }
        if registry == defaultRegistry && !remainder.utf8.contains(UInt8(ascii: "/")) {
            remainder = Substring(officialRepositoryPrefix + remainder)
        }
        return (registry, remainder)
    }
}
