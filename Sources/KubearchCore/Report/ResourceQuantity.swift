import Foundation

/// A Kubernetes resource quantity (`500m`, `1`, `2Gi`, `1e3`, `0.5`), as the API server reads it:
/// a decimal number, then a binary suffix (Ki … Ei), a decimal suffix (n, u, m, k, M, G, T, P, E)
/// or a decimal exponent (`e3`, `E-2`). Values are rounded up to whole millicores or bytes, as the
/// API server's `MilliValue()` and `Value()` do.
public struct ResourceQuantity: Sendable, Hashable {
    /// The value in base units (cores, bytes).
    public var value: Decimal

    public init(parsing text: String) throws(ResourceQuantityError) {
        let bytes = Array(text.utf8)
        var index = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            throw ResourceQuantityError(text: text, reason: "a request cannot be negative")
        }
        let numberStart = index
        var digits = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) || bytes[index] == UInt8(ascii: ".") {
            if bytes[index] != UInt8(ascii: ".") { digits += 1 }
            index += 1
        }
        let number = String(decoding: bytes[numberStart..<index], as: UTF8.self)
        guard digits > 0, number.filter({ $0 == "." }).count <= 1,
              let mantissa = Decimal(string: number, locale: Locale(identifier: "en_US_POSIX"))
        else { throw ResourceQuantityError(text: text, reason: "expected a number such as 500m, 1, 2Gi or 1e3") }
        let suffix = String(decoding: bytes[index...], as: UTF8.self)
        guard let multiplier = Self.multiplier(of: suffix) else {
            throw ResourceQuantityError(text: text, reason: "unknown suffix `\(suffix)` (use Ki, Mi, Gi, Ti, Pi, Ei, n, u, m, k, M, G, T, P, E or an exponent like e3)")
        }
        value = mantissa * multiplier
    }

    /// Whole millicores, rounded up (a CPU request).
    public var millis: Int { Self.roundedUp(value * 1000) }

    /// Whole units, rounded up (a memory request in bytes).
    public var units: Int { Self.roundedUp(value) }

    static func multiplier(of suffix: String) -> Decimal? {
        switch suffix {
        case "": return 1
        case "Ki": return pow(1024, 1)
        case "Mi": return pow(1024, 2)
        case "Gi": return pow(1024, 3)
        case "Ti": return pow(1024, 4)
        case "Pi": return pow(1024, 5)
        case "Ei": return pow(1024, 6)
        case "n": return Decimal(sign: .plus, exponent: -9, significand: 1)
        case "u": return Decimal(sign: .plus, exponent: -6, significand: 1)
        case "m": return Decimal(sign: .plus, exponent: -3, significand: 1)
        case "k": return Decimal(sign: .plus, exponent: 3, significand: 1)
        case "M": return Decimal(sign: .plus, exponent: 6, significand: 1)
        case "G": return Decimal(sign: .plus, exponent: 9, significand: 1)
        case "T": return Decimal(sign: .plus, exponent: 12, significand: 1)
        case "P": return Decimal(sign: .plus, exponent: 15, significand: 1)
        case "E": return Decimal(sign: .plus, exponent: 18, significand: 1)
        default:
            // A decimal exponent: e or E, an optional sign, digits (the API server allows up to ±9 digits; far
            // beyond any real request, so the exponent is bounded to what an Int count of bytes can hold).
            guard let first = suffix.first, first == "e" || first == "E" else { return nil }
            let exponentText = suffix.dropFirst()
            guard let exponent = Int(exponentText), exponentText.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") }),
                  (-18...18).contains(exponent)
            else { return nil }
            return Decimal(sign: .plus, exponent: exponent, significand: 1)
        }
    }

    static func roundedUp(_ value: Decimal) -> Int {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 0, .up)
        // Beyond Int: an absurd request; saturate rather than trap on input data.
        if rounded > Decimal(Int.max) { return Int.max }
        return NSDecimalNumber(decimal: rounded).intValue
    }
}

/// A quantity the API server would reject.
public struct ResourceQuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public var description: String { "invalid quantity `\(text)`: \(reason)" }
}
