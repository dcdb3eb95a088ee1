import FoundationEssentials

/// TLS and transport settings for one request, taken from the registry's configuration.
public struct TransportSecurity: Sendable, Hashable {
    /// Extra CA bundle (PEM) to trust for this host, in addition to the system's.
    public var caFile: String?
    /// Skip certificate verification (config `insecure: true`).
    public var insecure: Bool

    public init(caFile: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.insecure = insecure
    }
}

/// One HTTP request. Redirects are never followed by the transport itself: the caller decides
/// what to do with a 3xx (so `Authorization` never leaks to another host).
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    /// Header names are sent as given; order is kept.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    public var security: TransportSecurity
    /// Whole-request timeout in seconds.
    public var timeout: Double
    /// Bodies larger than this are refused with `HTTPTransportError.responseTooLarge`.
    public var maxResponseBytes: Int

    public init(
        method: String = "GET", url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil,
        security: TransportSecurity = TransportSecurity(), timeout: Double = 30, maxResponseBytes: Int = 8 << 20
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.security = security
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header fields in received order; names as received.
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.equalsIgnoringCase(name) }?.value
    }

    /// All values of a header, compared case-insensitively (e.g. several `WWW-Authenticate`).
    public func headers(named name: String) -> [String] {
        headers.filter { $0.name.equalsIgnoringCase(name) }.map(\.value)
    }
}

public enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    case timedOut(url: String)
    case connectionFailed(url: String, reason: String)
    case tlsFailed(url: String, reason: String)
    case responseTooLarge(url: String, limit: Int)
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .timedOut(let url): "request to \(url) timed out"
        case .connectionFailed(let url, let reason): "cannot connect to \(url): \(reason)"
        case .tlsFailed(let url, let reason): "TLS error talking to \(url): \(reason)"
        case .responseTooLarge(let url, let limit): "response from \(url) is larger than \(limit) bytes"
        case .invalidRequest(let reason): "invalid request: \(reason)"
        }
    }
}

/// The one thing the registry client needs from HTTP. `CurlTransport` is the real one;
/// tests may add an in-process fake, but registry behaviour is proven against a real registry.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
