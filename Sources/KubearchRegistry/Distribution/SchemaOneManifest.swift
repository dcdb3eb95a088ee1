import KubearchCore
import FoundationEssentials

/// A Docker image manifest schema 1 (deprecated, optionally JWS-signed). One platform:
/// `linux/<architecture>`.
public struct SchemaOneManifest: Sendable, Hashable, Codable {
    public var schemaVersion: Int
    public var name: String?
    public var tag: String?
    public var architecture: String

    public init(schemaVersion: Int = 1, name: String? = nil, tag: String? = nil, architecture: String) {
        self.schemaVersion = schemaVersion
        self.name = name
        self.tag = tag
        self.architecture = architecture
    }

    /// Schema 1 predates multi-OS images: it was only ever produced for linux.
    public var platform: Platform { Platform(os: "linux", architecture: architecture) }

    /// The bytes a signed schema 1 manifest's digest is computed over: the JSON without its
    /// `signatures`, rebuilt from the JWS protected header's `formatLength` and `formatTail`.
    /// Nil when the document is not signed (its digest is then over the bytes as received).
    public static func canonicalPayload(of data: Data) -> Data? {
        struct Signed: Decodable {
            struct Signature: Decodable { var protected: String }
            var signatures: [Signature]?
        }
        struct ProtectedHeader: Decodable {
            var formatLength: Int
            var formatTail: String
        }
        guard let signed = try? JSONDecoder().decode(Signed.self, from: data),
            let protected = signed.signatures?.first?.protected,
            let headerBytes = Data(base64URLEncoded: protected),
            let header = try? JSONDecoder().decode(ProtectedHeader.self, from: headerBytes),
            header.formatLength >= 0, header.formatLength <= data.count,
            let tail = Data(base64URLEncoded: header.formatTail)
        else { return nil }
        return data.prefix(header.formatLength) + tail
    }
}

extension Data {
    /// Base64url without padding, as JWS writes it.
    init?(base64URLEncoded text: String) {
        var base64 = text.replacing("-", with: "+").replacing("_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
