/// Turns a report path (relative to the folder kubearch ran in, `/`-separated) into a SARIF
/// `artifactLocation`.
enum SARIFLocation {
    /// The base a relative `uri` is resolved against; GitHub code scanning maps it to the checkout.
    static let sourceRoot = "%SRCROOT%"

    /// `uri` and `uriBaseId` for a path. Absolute paths become `file://` URIs with no base.
    static func artifactLocation(for path: String) -> JSONValue {
        if path.hasPrefix("/") {
            return .object([("uri", .string("file://" + percentEncode(path)))])
        }
        return .object([
            ("uri", .string(percentEncode(path))),
            ("uriBaseId", .string(sourceRoot)),
        ])
    }

    /// Percent-encodes everything a URI path may not hold literally (RFC 3986 §3.3): spaces, `%`, `#`,
    /// `?`, non-ASCII (as UTF-8 bytes), backslashes. `:` is encoded too, because in a relative
    /// reference a colon in the first segment would read as a scheme.
    static func percentEncode(_ path: String) -> String {
        var output = ""
        for byte in path.utf8 {
            if isAllowed(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output.append("%")
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return output
    }

    private static let hexDigits: [Character] = Array("0123456789ABCDEF")
    // unreserved marks, the path separator, and sub-delims plus "@" (pchar minus ":").
    private static let allowedMarks = Set("-._~/!$&'()*+,;=@".utf8)

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            allowedMarks.contains(byte)
        }
    }
}
