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
        // Most paths need nothing encoded (a String built a scalar at a time cost 30,000
        // instructions a path, a tenth of a SARIF report's own cost).
        if path.utf8.allSatisfy(isAllowed) { return path }
        var output: [UInt8] = []
        output.reserveCapacity(path.utf8.count + 16)
        for byte in path.utf8 {
            if isAllowed(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Unreserved characters, the path separator, and sub-delims plus "@" (pchar minus ":").
    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "!"),
             UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"),
             UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "@"):
            true
        default:
            false
        }
    }
}
