/// What the lockfile records for one image: the digest its reference resolved to and the platforms
/// that digest offers.
public struct LockEntry: Sendable, Hashable {
    /// `sha256:<64 hex>` (or `sha512:<128 hex>`): the manifest or index the reference resolved to.
    public var digest: String
    /// Sorted and without repeats; a lockfile records `os/arch[/variant]` only, so `osVersion` is dropped.
    public private(set) var platforms: [Platform]

    public init(digest: String, platforms: [Platform]) {
        self.digest = digest
        self.platforms = Self.normalized(platforms)
    }

    /// For platforms already sorted, bare and without repeats (as a lockfile index keeps them), so
    /// looking an entry up does not normalise them again.
    init(digest: String, normalizedPlatforms: [Platform]) {
        self.digest = digest
        self.platforms = normalizedPlatforms
    }

    public mutating func setPlatforms(_ platforms: [Platform]) {
        self.platforms = Self.normalized(platforms)
    }

    private static func normalized(_ platforms: [Platform]) -> [Platform] {
        var byName: [String: Platform] = [:]
        for platform in platforms {
            let bare = Platform(os: platform.os, architecture: platform.architecture, variant: platform.variant)
            byName[bare.description] = bare
        }
        return byName.keys.sorted(by: Lockfile.bytewiseLess).compactMap { byName[$0] }
    }

    /// A digest as the distribution spec writes them, for the algorithms registries use.
    public static func isValidDigest(_ digest: String) -> Bool {
        let parts = digest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let length: Int
        switch parts[0] {
        case "sha256": length = 64
        case "sha512": length = 128
        default: return false
        }
        let hex = parts[1].utf8
        return hex.count == length
            && hex.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}
