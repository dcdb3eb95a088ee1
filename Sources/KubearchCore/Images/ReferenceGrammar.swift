/// The name and tag grammar of github.com/distribution/reference (regexp.go), as byte-level checks.
/// Only ASCII is ever valid, so working on UTF-8 bytes loses nothing.
enum ReferenceGrammar {
    /// distribution's RepositoryNameTotalLengthMax; it limits the path only, never the registry.
    static let maximumRepositoryLength = 255
    static let maximumTagLength = 128

    /// `host[:port]` where host is a DNS-style name (any case), an IPv4 address, or `[IPv6]`.
    static func isRegistry(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        let hostEnd: Int
        if bytes.first == UInt8(ascii: "[") {
            // `\[[a-fA-F0-9:]+\]`: a loose IPv6 shape, as distribution accepts it.
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > 1,
                  bytes[1..<close].allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") })
            else { return false }
            hostEnd = close + 1
        } else {
            hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.count
            guard isDomainName(bytes[0..<hostEnd]) else { return false }
        }
        let portPart = bytes[hostEnd...]
        guard let colon = portPart.first else { return true }
        let digits = portPart.dropFirst()
        return colon == UInt8(ascii: ":") && !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    /// Dot-separated labels of letters, digits and inner dashes (`[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?`).
    private static func isDomainName(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, let last = label.last,
                  isAlphanumeric(first), isAlphanumeric(last)
            else { return false }
            return label.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// One or more `/`-separated path components; empty components (`a//b`, trailing `/`) are invalid.
    static func isRepositoryPath(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .allSatisfy(isPathComponent)
    }

    /// `[a-z0-9]+` runs joined by one separator: `.`, `_`, `__`, or any number of `-`.
    private static func isPathComponent(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last,
              isLowerAlphanumeric(first), isLowerAlphanumeric(last)
        else { return false }
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if isLowerAlphanumeric(bytes[index]) {
                index += 1
                continue
            }
            // The component ends in an alphanumeric, so every separator run is closed by one.
            let start = index
            while index < bytes.endIndex, !isLowerAlphanumeric(bytes[index]) { index += 1 }
            guard isSeparator(bytes[start..<index]) else { return false }
        }
        return true
    }

    private static func isSeparator(_ run: ArraySlice<UInt8>) -> Bool {
        let dot = UInt8(ascii: "."), underscore = UInt8(ascii: "_"), dash = UInt8(ascii: "-")
        if run.elementsEqual([dot]) || run.elementsEqual([underscore]) || run.elementsEqual([underscore, underscore]) {
            return true
        }
        return run.allSatisfy { $0 == dash }
    }

    /// `[\w][\w.-]{0,127}` with ASCII `\w`.
    static func isTag(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, isWordCharacter(first), bytes.count <= maximumTagLength else { return false }
        return bytes.allSatisfy { isWordCharacter($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// `[a-f0-9]{64}`: what distribution takes for an image ID.
    static func isImageID(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy(isLowerHexDigit)
    }

    static func containsUppercase(_ text: Substring) -> Bool {
        text.utf8.contains(where: isUppercase)
    }

    // MARK: ASCII classes

    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    static func isUppercase(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }
    static func isLowercase(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }
    static func isLetter(_ byte: UInt8) -> Bool { isUppercase(byte) || isLowercase(byte) }
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) }
    static func isLowerAlphanumeric(_ byte: UInt8) -> Bool { isLowercase(byte) || isDigit(byte) }
    static func isWordCharacter(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == UInt8(ascii: "_") }
    static func isLowerHexDigit(_ byte: UInt8) -> Bool { isDigit(byte) || (0x61...0x66).contains(byte) }
    static func isHexDigit(_ byte: UInt8) -> Bool { isLowerHexDigit(byte) || (0x41...0x46).contains(byte) }
}
