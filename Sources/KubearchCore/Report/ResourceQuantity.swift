import FoundationEssentials

/// A Kubernetes resource quantity (`500m`, `1`, `2Gi`, `1e3`, `0.5`), as the API server reads it:
/// a decimal number, then a binary suffix (Ki … Ei), a decimal suffix (n, u, m, k, M, G, T, P, E)
/// or a decimal exponent (`e3`, `E-2`). Values are rounded up to whole millicores or bytes, as the
/// API server's `MilliValue()` and `Value()` do.
public struct ResourceQuantity: Sendable, Hashable {
    /// The value in base units (cores, bytes).
    public var value: Decimal

    private static let posix = Locale(identifier: "en_US_POSIX")

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
              let mantissa = Decimal(string: number, locale: Self.posix)
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

    /// `millis` or `units` of a quantity in the common shape (`500m`, `2`, `1.5Gi`, `128Mi`) computed
    /// with integers; nil for anything else (then `ResourceQuantity(parsing:)` decides, with
    /// `Decimal`). A report reads tens of thousands of quantities, and `Decimal` from a string
    /// costs about as much as scanning the file they came from.
    static func fastRoundedUp(_ text: String, millis: Bool) -> Int? {
        var mantissa = 0
        var fractionDigits = 0
        var seenPoint = false
        var digits = 0
        var suffixStart: String.UTF8View.Index?
        let utf8 = text.utf8
        for index in utf8.indices {
            let byte = utf8[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                guard digits < 15 else { return nil }
                mantissa = mantissa * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                if seenPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                suffixStart = index
                break
            }
        }
        guard digits > 0 else { return nil }
        var binary = 1
        var decimalExponent = millis ? 3 : 0
        switch suffixStart.map({ text.utf8[$0...] }).map({ String(decoding: $0, as: UTF8.self) }) ?? "" {
        case "": break
        case "m": decimalExponent -= 3
        case "k": decimalExponent += 3
        case "M": decimalExponent += 6
        case "G": decimalExponent += 9
        case "Ki": binary = 1 << 10
        case "Mi": binary = 1 << 20
        case "Gi": binary = 1 << 30
        case "Ti": binary = 1 << 40
        default: return nil
        }
        decimalExponent -= fractionDigits
        var numerator = mantissa.multipliedReportingOverflow(by: binary)
        guard !numerator.overflow else { return nil }
        var denominator = 1
        while decimalExponent > 0 {
            numerator = numerator.partialValue.multipliedReportingOverflow(by: 10)
            guard !numerator.overflow else { return nil }
            decimalExponent -= 1
        }
        while decimalExponent < 0 {
            denominator *= 10
            decimalExponent += 1
            guard denominator < 1_000_000_000_000_000 else { return nil }
        }
        let (quotient, remainder) = numerator.partialValue.quotientAndRemainder(dividingBy: denominator)
        return quotient + (remainder > 0 ? 1 : 0)
    }

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
        // Beyond Int: an absurd request; saturate rather than trap on input data.
        if value > Decimal(Int.max) { return Int.max }
        // The ceiling from the plain decimal text (FoundationEssentials has no `NSDecimalRound`):
        // truncation toward zero, plus one for a positive value with a fraction.
        let text = value.description
        let parts = text.split(separator: ".", maxSplits: 1)
        guard let whole = parts.first.flatMap({ Int($0) }) else { return Int.max }
        let hasFraction = parts.count == 2 && parts[1].contains { $0 != "0" }
        return hasFraction && value > 0 ? whole + 1 : whole
    }
}

/// A quantity the API server would reject.
public struct ResourceQuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public var description: String { "invalid quantity `\(text)`: \(reason)" }
}
