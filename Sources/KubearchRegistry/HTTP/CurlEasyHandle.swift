import CCurl
import FoundationEssentials
import KubearchCore

/// One libcurl easy handle plus its error buffer.
///
/// `@unchecked Sendable` because it wraps a C handle: a handle is used by exactly one transfer at a
/// time (it is taken out of `CurlHandlePool` for the transfer and put back afterwards, both under the
/// pool's lock), which is the thread-safety rule libcurl documents for easy handles.
final class CurlEasyHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    /// libcurl writes a readable message here on failure (CURLOPT_ERRORBUFFER).
    let errorBuffer: UnsafeMutablePointer<CChar>

    init?() {
        guard kubearch_curl_global_init_once() == CURLE_OK, let handle = curl_easy_init() else { return nil }
        raw = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// Clears all options before the next transfer. Live connections, the DNS cache and TLS session
    /// IDs survive a reset, which is why handles are pooled.
    func reset() {
        curl_easy_reset(raw)
        errorBuffer[0] = 0
    }

    var errorMessage: String {
        String(cString: errorBuffer)
    }
}

/// A small pool of idle easy handles so consecutive requests reuse connections (keep-alive, TLS
/// sessions, DNS). Bounded so a burst of concurrent requests does not keep many sockets open forever.
final class CurlHandlePool: Sendable {
    private let idle = CurlLockedValue<[CurlEasyHandle]>([])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    func take() -> CurlEasyHandle? {
        idle.withLock { $0.popLast() } ?? CurlEasyHandle()
    }

    func giveBack(_ handle: CurlEasyHandle) {
        // Clear the options now: they point at this transfer's header list and callback state,
        // which are freed once the transfer returns.
        handle.reset()
        // A handle beyond capacity is simply not kept; its deinit (which closes its sockets) then
        // runs when this function returns, outside the lock.
        idle.withLock { handles in
            if handles.count < capacity { handles.append(handle) }
        }
    }
}

/// A value behind an `NSLock`. `@unchecked Sendable` because every access goes through the lock.
final class CurlLockedValue<Value>: @unchecked Sendable {
    private let lock = ThreadLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
