/// An image tag read as a version, for `--suggest-upgrades`: `v1.2.3-alpine3.19` is the prefix `v`,
/// the numbers [1, 2, 3] and the suffix `-alpine3.19`. Tags of one *family* share the prefix, the
/// count of numbers and the suffix with its digits left out (`-alpine3.18` and `-alpine3.19` are one
/// family; `1.25` and `1.25.3` are not, nor `1.25.3` and `1.25.3-alpine`), so a suggestion never moves
/// an image to another base or another pinning habit. Order: semver-like, numbers then the
/// suffix's own numbers (`-r5` < `-r12`).
public struct TagVersion: Sendable, Hashable, Comparable {
    public var tag: String
    public var prefix: String
    public var numbers: [Int]
    public var suffix: String

    public init?(_ tag: String) {
        var rest = Substring(tag)
        let prefix = rest.hasPrefix("v") || rest.hasPrefix("V") ? String(rest.prefix(1)) : ""
        rest = rest.dropFirst(prefix.count)
        var numbers: [Int] = []
        while true {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, let number = Int(digits) else { break }
            numbers.append(number)
            rest = rest.dropFirst(digits.count)
            guard numbers.count < 4, rest.hasPrefix("."), rest.dropFirst().first?.isNumber == true else { break }
            rest = rest.dropFirst()
        }
        guard !numbers.isEmpty else { return nil }
        // `1.2.3alpine` is not a version with a suffix; `1.2.3-alpine`, `1.2.3_x` and `1.2.3+build` are.
        if let first = rest.first, !"-_+.".contains(first) { return nil }
        self.tag = tag
        self.prefix = prefix
        self.numbers = numbers
        suffix = String(rest)
    }

    /// Tags that may replace each other.
    public var family: String {
        "\(prefix)#\(numbers.count)#\(suffix.filter { !$0.isNumber })"
    }

    /// The suffix's digit runs as numbers.
    var suffixNumbers: [Int] {
        suffix.split { !$0.isNumber }.compactMap { Int($0.prefix(9)) }
    }

    public static func < (lhs: TagVersion, rhs: TagVersion) -> Bool {
        if lhs.numbers != rhs.numbers { return lhs.numbers.lexicographicallyPrecedes(rhs.numbers) }
        if lhs.suffixNumbers != rhs.suffixNumbers { return lhs.suffixNumbers.lexicographicallyPrecedes(rhs.suffixNumbers) }
        return lhs.tag < rhs.tag
    }

    /// Tags of `current`'s family that are newer than it, lowest first: the order in which to look
    /// for one that has the target platform.
    public static func newerCandidates(than current: String, among tags: [String]) -> [String] {
        guard let version = TagVersion(current) else { return [] }
        let family = version.family
        return tags.compactMap(TagVersion.init)
            .filter { $0.family == family && version < $0 && ($0.numbers != version.numbers || $0.suffixNumbers != version.suffixNumbers) }
            .sorted()
            .map(\.tag)
    }
}
