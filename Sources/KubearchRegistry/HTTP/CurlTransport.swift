import CCurl
import FoundationEssentials

/// `HTTPTransport` over libcurl's easy interface.
///
/// - Never follows redirects: a 3xx comes back to the caller (wrap in `RedirectingTransport`).
/// - `TransportSecurity.caFile` is trusted in addition to the system's CAs: libcurl's CURLOPT_CAINFO
///   replaces the default bundle, so the system CA directory (CURLOPT_CAPATH, `/etc/ssl/certs` on
///   Debian) is set alongside it. `insecure` turns peer and host verification off.
/// - Proxies come from the environment, read once by `ProxyEnvironment` (both spellings of
///   `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`) and set on every transfer, so a pooled
///   handle never keeps another request's proxy.
/// - The body is capped while it is received (`HTTPTransportError.responseTooLarge`).
/// - Each transfer blocks a thread of its own (`CurlWorkerThreads`), not one of Swift concurrency's
///   few cooperative threads, so many concurrent requests cannot starve other tasks. Idle easy
///   handles are pooled so connections, TLS sessions and DNS answers are reused.
/// - Task cancellation aborts the transfer and throws `CancellationError`.
public struct CurlTransport: HTTPTransport {
    private let pool: CurlHandlePool
    private let threads = CurlWorkerThreads()
    private let proxies: ProxyEnvironment

    /// - Parameters:
    ///   - maxIdleConnections: how many idle easy handles (each with its connection cache) are kept
    ///     for reuse.
    ///   - proxies: the proxy settings (by default, this process's environment).
    public init(maxIdleConnections: Int = 8, proxies: ProxyEnvironment = ProxyEnvironment()) {
        pool = CurlHandlePool(capacity: maxIdleConnections)
        self.proxies = proxies
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Self.validate(request)
        let transfer = CurlTransfer(limit: max(0, request.maxResponseBytes))
        let pool = self.pool
        let proxy = Proxy(url: proxies.proxy(for: request.url) ?? "", exceptions: proxies.noProxy ?? "")
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, Error>) in
                threads.run {
                    continuation.resume(with: Result { try Self.perform(request, proxy: proxy, transfer: transfer, pool: pool) })
                }
            }
        } onCancel: {
            transfer.cancel()
        }
    }

    // MARK: - Validation

    private static func validate(_ request: HTTPRequest) throws {
        guard let scheme = request.url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw HTTPTransportError.invalidRequest("unsupported URL \(request.url.absoluteString)")
        }
        guard request.timeout > 0 else {
            throw HTTPTransportError.invalidRequest("timeout must be positive, not \(request.timeout)")
        }
        guard !request.method.isEmpty, request.method.allSatisfy({ $0.isLetter }) else {
            throw HTTPTransportError.invalidRequest("bad method \(request.method)")
        }
        for header in request.headers {
            // A CR or LF would let a value inject its own header lines.
            let badName = header.name.isEmpty || header.name.contains { $0 == ":" || $0.isWhitespace || $0.isNewline }
            if badName || hasLineBreak(header.value) {
                throw HTTPTransportError.invalidRequest("bad header \(header.name)")
            }
        }
    }

    /// Whether `value` holds any line break `Character.isNewline` knows. Scanned as bytes first: a
    /// bearer token is kilobytes long, rides on every request, and is ASCII.
    static func hasLineBreak(_ value: String) -> Bool {
        var isASCII = true
        for byte in value.utf8 {
            if byte >= 0x0a && byte <= 0x0d { return true }  // LF, VT, FF, CR
            if byte >= 0x80 { isASCII = false }
        }
        return !isASCII && value.contains(where: \.isNewline)
    }

    // MARK: - The blocking transfer

    /// A transfer's proxy settings; "" means none (and no exceptions), which also stops libcurl
    /// reading the environment itself.
    private struct Proxy: Sendable {
        var url: String
        var exceptions: String
    }

    private static func perform(_ request: HTTPRequest, proxy: Proxy, transfer: CurlTransfer, pool: CurlHandlePool) throws
        -> HTTPResponse
    {
        let url = request.url.absoluteString
        guard let handle = pool.take() else {
            throw HTTPTransportError.connectionFailed(url: url, reason: "libcurl could not be initialised")
        }
        defer { pool.giveBack(handle) }
        if transfer.isCancelled { throw CancellationError() }

        let curl = handle.raw
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }

        let context = Unmanaged.passUnretained(transfer).toOpaque()
        var code = configureBasics(curl, handle: handle, request: request, url: url)
        if code == CURLE_OK { code = kubearch_curl_setopt_string(curl, CURLOPT_PROXY, proxy.url) }
        if code == CURLE_OK { code = kubearch_curl_setopt_string(curl, CURLOPT_NOPROXY, proxy.exceptions) }
        if code == CURLE_OK { code = configureCallbacks(curl, context: context) }
        if code == CURLE_OK { code = configureSecurity(curl, request.security) }
        if code == CURLE_OK { code = configureMethodAndBody(curl, request) }
        if code == CURLE_OK {
            for line in headerLines(for: request) {
                guard let appended = curl_slist_append(headerList, line) else {
                    throw HTTPTransportError.invalidRequest("cannot build header list")
                }
                headerList = appended
            }
            code = kubearch_curl_setopt_slist(curl, CURLOPT_HTTPHEADER, headerList)
        }
        guard code == CURLE_OK else {
            throw HTTPTransportError.invalidRequest("libcurl refused an option: \(describe(code, handle))")
        }

        let result = withExtendedLifetime(transfer) { curl_easy_perform(curl) }
        if result != CURLE_OK {
            throw mapError(result, handle: handle, transfer: transfer, request: request)
        }
        var status = 0
        _ = kubearch_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: transfer.headers, body: transfer.body)
    }

    private static func configureBasics(
        _ curl: UnsafeMutableRawPointer, handle: CurlEasyHandle, request: HTTPRequest, url: String
    ) -> CURLcode {
        let timeoutMilliseconds = max(1, Int(min(request.timeout, 86_400) * 1000))
        // A dead host should fail fast even when the whole request may take long (a big blob).
        let connectMilliseconds = min(timeoutMilliseconds, 15_000)
        let steps: [() -> CURLcode] = [
            { kubearch_curl_setopt_string(curl, CURLOPT_URL, url) },
            { kubearch_curl_setopt_string(curl, CURLOPT_PROTOCOLS_STR, "http,https") },
            // Signals cannot be used to time out DNS lookups in a multi-threaded process.
            { kubearch_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1) },
            { kubearch_curl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 0) },
            { kubearch_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, timeoutMilliseconds) },
            { kubearch_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, connectMilliseconds) },
            { kubearch_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, handle.errorBuffer) },
            // A proxy's CONNECT answer is not part of the registry's response.
            { kubearch_curl_setopt_long(curl, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1) },
        ]
        for step in steps {
            let code = step()
            if code != CURLE_OK { return code }
        }
        return CURLE_OK
    }

    private static func configureCallbacks(_ curl: UnsafeMutableRawPointer, context: UnsafeMutableRawPointer)
        -> CURLcode
    {
        let steps: [() -> CURLcode] = [
            { kubearch_curl_setopt_write_function(curl, curlWriteBody) },
            { kubearch_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, context) },
            { kubearch_curl_setopt_header_function(curl, curlWriteHeader) },
            { kubearch_curl_setopt_pointer(curl, CURLOPT_HEADERDATA, context) },
            { kubearch_curl_setopt_xferinfo_function(curl, curlProgress) },
            { kubearch_curl_setopt_pointer(curl, CURLOPT_XFERINFODATA, context) },
            { kubearch_curl_setopt_long(curl, CURLOPT_NOPROGRESS, 0) },
        ]
        for step in steps {
            let code = step()
            if code != CURLE_OK { return code }
        }
        return CURLE_OK
    }

    private static func configureSecurity(_ curl: UnsafeMutableRawPointer, _ security: TransportSecurity) -> CURLcode {
        if security.insecure {
            let code = kubearch_curl_setopt_long(curl, CURLOPT_SSL_VERIFYPEER, 0)
            if code != CURLE_OK { return code }
            return kubearch_curl_setopt_long(curl, CURLOPT_SSL_VERIFYHOST, 0)
        }
        guard let caFile = security.caFile else { return CURLE_OK }
        let code = kubearch_curl_setopt_string(curl, CURLOPT_CAINFO, caFile)
        if code != CURLE_OK { return code }
        // CAINFO replaced the default bundle; keep trusting the system's CAs through their directory.
        guard let systemDirectory = systemCADirectory else { return CURLE_OK }
        return kubearch_curl_setopt_string(curl, CURLOPT_CAPATH, systemDirectory)
    }

    private static let systemCADirectory: String? = {
        if let built = kubearch_curl_default_capath() { return String(cString: built) }
        var isDirectory = false
        if FileManager.default.fileExists(atPath: "/etc/ssl/certs", isDirectory: &isDirectory), isDirectory {
            return "/etc/ssl/certs"
        }
        return nil
    }()

    private static func configureMethodAndBody(_ curl: UnsafeMutableRawPointer, _ request: HTTPRequest) -> CURLcode {
        let method = request.method.uppercased()
        if method == "HEAD" {
            return kubearch_curl_setopt_long(curl, CURLOPT_NOBODY, 1)
        }
        // Cut a response off as soon as its Content-Length says it is too big. Not for HEAD, whose
        // Content-Length describes a body that is never sent.
        var code = kubearch_curl_setopt_off(curl, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(max(0, request.maxResponseBytes)))
        if code != CURLE_OK { return code }
        let sendsBody = request.body != nil || ["POST", "PUT", "PATCH"].contains(method)
        if !sendsBody {
            if method == "GET" { return kubearch_curl_setopt_long(curl, CURLOPT_HTTPGET, 1) }
            return kubearch_curl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, method)
        }
        let body = request.body ?? Data()
        code = kubearch_curl_setopt_off(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
        if code != CURLE_OK { return code }
        // COPYPOSTFIELDS copies the bytes, so nothing has to outlive this call. An empty body still
        // needs a valid pointer (a NULL one would mean "no body").
        code = body.isEmpty
            ? withUnsafeTemporaryAllocation(of: CChar.self, capacity: 1) { buffer in
                buffer.initialize(repeating: 0)
                return kubearch_curl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, buffer.baseAddress)
            }
            : body.withUnsafeBytes { bytes in
                kubearch_curl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
        if code != CURLE_OK || method == "POST" { return code }
        return kubearch_curl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, method)
    }

    /// The request's own header lines, plus blank overrides that stop libcurl adding ones the caller
    /// did not ask for (`Expect: 100-continue` costs a round trip; a form `Content-Type` is wrong).
    private static func headerLines(for request: HTTPRequest) -> [String] {
        func has(_ name: String) -> Bool {
            request.headers.contains { $0.name.equalsIgnoringCase(name) }
        }
        var lines = request.headers.map { header in
            // "Name;" is libcurl's way to send a header with an empty value ("Name:" would remove it).
            header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
        }
        if !has("Expect") { lines.append("Expect:") }
        if request.body != nil || ["POST", "PUT", "PATCH"].contains(request.method.uppercased()), !has("Content-Type") {
            lines.append("Content-Type:")
        }
        return lines
    }

    // MARK: - Errors

    private static let tlsErrors: Set<UInt32> = [
        CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
        CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
        CURLE_USE_SSL_FAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
        CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT,
    ].reduce(into: []) { $0.insert($1.rawValue) }

    private static func mapError(_ code: CURLcode, handle: CurlEasyHandle, transfer: CurlTransfer, request: HTTPRequest)
        -> Error
    {
        let url = request.url.absoluteString
        if transfer.exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            return HTTPTransportError.responseTooLarge(url: url, limit: request.maxResponseBytes)
        }
        if code == CURLE_ABORTED_BY_CALLBACK, transfer.isCancelled {
            return CancellationError()
        }
        let reason = describe(code, handle)
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return HTTPTransportError.timedOut(url: url)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return HTTPTransportError.invalidRequest("\(url): \(reason)")
        default:
            if tlsErrors.contains(code.rawValue) {
                return HTTPTransportError.tlsFailed(url: url, reason: reason)
            }
            return HTTPTransportError.connectionFailed(url: url, reason: reason)
        }
    }

    /// libcurl's specific message for the last failure, else its generic text for the code.
    private static func describe(_ code: CURLcode, _ handle: CurlEasyHandle) -> String {
        let specific = handle.errorMessage.trimmingWhitespace()
        if !specific.isEmpty { return specific }
        guard let generic = curl_easy_strerror(code) else { return "libcurl error \(code.rawValue)" }
        return String(cString: generic)
    }
}

// MARK: - libcurl callbacks (C function pointers: no captures, the transfer comes in `userdata`)

private func curlWriteBody(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    guard length > 0, let data else { return length }
    // Returning less than `length` makes libcurl abort with CURLE_WRITE_ERROR.
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

private func curlWriteHeader(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    guard length > 0, let data else { return length }
    transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

private func curlProgress(
    _ userdata: UnsafeMutableRawPointer?, _ downloadTotal: curl_off_t, _ downloaded: curl_off_t,
    _ uploadTotal: curl_off_t, _ uploaded: curl_off_t
) -> Int32 {
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    // Non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK.
    return transfer.isCancelled ? 1 : 0
}
