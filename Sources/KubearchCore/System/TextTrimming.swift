extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (`trimmingCharacters(in: .whitespaces)`
    /// without Foundation's `CharacterSet`, see `ThreadLock`).
    public func trimmingSpaces() -> String {
        trimming { $0 == " " || $0 == "\t" }
    }

    /// The text without leading and trailing whitespace and line breaks.
    public func trimmingWhitespace() -> String {
        trimming { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" }
    }

    /// The text without leading and trailing scalars that `drop` says to drop. Scalars, not
    /// characters: `"\r\n"` is one `Character`, and neither `"\r"` nor `"\n"`.
    public func trimming(_ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }), let last = scalars.lastIndex(where: { !drop($0) }) else { return "" }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: scalars[first...last])
        return String(kept)
    }
}

extension StringProtocol {
    /// Equal when ASCII letters are compared without case (HTTP header names, media types).
    public func equalsIgnoringCase(_ other: some StringProtocol) -> Bool {
        lowercased() == other.lowercased()
    }

    /// `application/x-www-form-urlencoded` escaping: every byte but ASCII letters, digits and
    /// `-._~` as `%XX` (also `+`, `&` and `=`, which a query would leave alone).
    public func formURLEncoded() -> String {
        var result = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}
