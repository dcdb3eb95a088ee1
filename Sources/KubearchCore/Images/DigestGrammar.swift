/// Digest checks as distribution/reference applies them: first its own digest pattern, then
/// go-digest's validation, which knows sha256, sha384 and sha512 (lowercase hex of fixed length).
enum DigestGrammar {
    enum Verdict: Equatable {
        case valid
        case malformed
        case unsupported(algorithm: String)
    }

    /// Hex length of each algorithm go-digest can verify.
    static let encodedLengths: [String: Int] = ["sha256": 64, "sha384": 96, "sha512": 128]

    static func check(_ digest: Substring) -> Verdict {
        guard let colon = digest.firstIndex(of: ":") else { return .malformed }
        let algorithm = digest[..<colon]
        let encoded = digest[digest.index(after: colon)...]

        // Reference pattern: algorithm components, then at least 128 bits of hex in either case.
        guard isAlgorithm(algorithm), encoded.utf8.count >= 32,
              encoded.utf8.allSatisfy(ReferenceGrammar.isHexDigit)
        else { return .malformed }

        guard let length = encodedLengths[String(algorithm)] else {
            // go-digest calls a well-formed lowercase algorithm it cannot compute "unsupported";
            // an uppercase one fails its format check instead.
            return ReferenceGrammar.containsUppercase(algorithm) ? .malformed : .unsupported(algorithm: String(algorithm))
        }
        let lowercaseHex = encoded.utf8.allSatisfy(ReferenceGrammar.isLowerHexDigit)
        return lowercaseHex && encoded.utf8.count == length ? .valid : .malformed
    }

    /// `[A-Za-z][A-Za-z0-9]*` components joined by single `-`, `_`, `+` or `.`.
    private static func isAlgorithm(_ text: Substring) -> Bool {
        let separators: Set<UInt8> = [UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: ".")]
        let components = text.utf8.split(omittingEmptySubsequences: false, whereSeparator: separators.contains)
        return components.allSatisfy { component in
            guard let first = component.first, ReferenceGrammar.isLetter(first) else { return false }
            return component.allSatisfy(ReferenceGrammar.isAlphanumeric)
        }
    }
}
