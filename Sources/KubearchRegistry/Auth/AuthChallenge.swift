/// One challenge of a `WWW-Authenticate` header.
public enum AuthChallenge: Sendable, Hashable {
    case basic(realm: String?)
    case bearer(realm: String, service: String?, scope: String?)
    /// A scheme this client does not speak, or a Bearer challenge without a realm.
    case unsupported(scheme: String)

    /// Parses every challenge in the given header values (RFC 9110 §11.6.1: several challenges may
    /// share one header, separated by commas; parameter values may be quoted and contain commas).
    public static func parse(_ headerValues: [String]) -> [AuthChallenge] {
        headerValues.flatMap { parse($0) }
    }

    public static func parse(_ headerValue: String) -> [AuthChallenge] {
        var scanner = ChallengeScanner(Array(headerValue.unicodeScalars))
        var challenges: [AuthChallenge] = []
        while let scheme = scanner.nextScheme() {
            let parameters = scanner.parameters()
            challenges.append(make(scheme: scheme, parameters: parameters))
        }
        return challenges
    }

    private static func make(scheme: String, parameters: [String: String]) -> AuthChallenge {
        switch scheme.lowercased() {
        case "basic":
            return .basic(realm: parameters["realm"])
        case "bearer":
            guard let realm = parameters["realm"], !realm.isEmpty else { return .unsupported(scheme: scheme) }
            return .bearer(realm: realm, service: parameters["service"], scope: parameters["scope"])
        default:
            return .unsupported(scheme: scheme)
        }
    }
}

/// A cursor over a `WWW-Authenticate` value.
private struct ChallengeScanner {
    private let characters: [Unicode.Scalar]
    private var position = 0

    init(_ characters: [Unicode.Scalar]) { self.characters = characters }

    private var current: Unicode.Scalar? { position < characters.count ? characters[position] : nil }

    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        // RFC 9110 tchar.
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        case "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~": return true
        default: return false
        }
    }

    private mutating func skip(while predicate: (Unicode.Scalar) -> Bool) {
        while let scalar = current, predicate(scalar) { position += 1 }
    }

    private mutating func skipSpaces() { skip { $0 == " " || $0 == "\t" } }

    private mutating func token() -> String {
        let start = position
        skip(while: Self.isTokenCharacter)
        return String(String.UnicodeScalarView(characters[start..<position]))
    }

    mutating func nextScheme() -> String? {
        skip { $0 == " " || $0 == "\t" || $0 == "," }
        let scheme = token()
        if scheme.isEmpty {
            return nil
        }
        return scheme
    }

    /// Reads `name=value` pairs until the next scheme (a token not followed by `=`) or the end.
    mutating func parameters() -> [String: String] {
        var parameters: [String: String] = [:]
        while true {
            let checkpoint = position
            skip { $0 == " " || $0 == "\t" || $0 == "," }
            guard current != nil else { return parameters }
            let name = token()
            if name.isEmpty {
                position += 1  // a stray character: step over it so parsing always advances
                continue
            }
            skipSpaces()
            guard current == "=" else {
                position = checkpoint  // the next challenge's scheme
                return parameters
            }
            position += 1
            skipSpaces()
            let value = current == "\"" ? quotedString() : bareValue()
            parameters[name.lowercased()] = value
        }
    }

    /// An unquoted value. RFC 9110 allows only a token, but some servers send an unquoted URL:
    /// read up to the next comma or space.
    private mutating func bareValue() -> String {
        let start = position
        skip { $0 != "," && $0 != " " && $0 != "\t" }
        return String(String.UnicodeScalarView(characters[start..<position]))
    }

    private mutating func quotedString() -> String {
        position += 1  // opening quote
        var value = String.UnicodeScalarView()
        while let scalar = current {
            position += 1
            if scalar == "\"" { break }
            if scalar == "\\", let escaped = current {
                position += 1
                value.append(escaped)
            } else {
                value.append(scalar)
            }
        }
        return String(value)
    }
}
