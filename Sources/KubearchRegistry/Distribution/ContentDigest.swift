import FoundationEssentials

/// A content digest `algorithm:hex`, as registries name manifests and blobs.
///
/// Only `sha256` can be verified here (every registry uses it). The hashing is a small local
/// SHA-256 so this part builds on its own; the shared `SHA256` type in `Digest/` replaces it at merge.
public struct ContentDigest: Sendable, Hashable, CustomStringConvertible {
    public var algorithm: String
    public var hex: String

    /// Parses `sha256:<64 lowercase hex>` (other algorithms are accepted if well-formed).
    public init?(_ text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let algorithm = String(text[..<colon])
        let hex = String(text[text.index(after: colon)...])
        guard !algorithm.isEmpty, algorithm.allSatisfy({ $0.isLowercase || $0.isNumber || "+._-".contains($0) }),
            !hex.isEmpty, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase })
        else { return nil }
        if algorithm == "sha256", hex.count != 64 { return nil }
        self.algorithm = algorithm
        self.hex = hex
    }

    public static func sha256(of data: some DataProtocol) -> ContentDigest {
        ContentDigest(algorithm: "sha256", hex: digestHex(of: data))
    }

    private init(algorithm: String, hex: String) {
        self.algorithm = algorithm
        self.hex = hex
    }

    public var description: String { "\(algorithm):\(hex)" }

    /// Whether `data` has this digest; false for algorithms this client cannot compute.
    public func matches(_ data: some DataProtocol) -> Bool {
        algorithm == "sha256" && digestHex(of: data) == hex
    }
}

/// Lowercase hex SHA-256 of `data`, through the one SHA-256 implementation in `Digest/SHA256.swift`.
func digestHex(of data: some DataProtocol) -> String {
    SHA256.hexDigest(Data(data))
}
