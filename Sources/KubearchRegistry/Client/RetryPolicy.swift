import FoundationEssentials
import Glibc

/// When and how long to wait before asking again.
///
/// Retried: HTTP 408, 429 and 5xx, transport timeouts and connection failures. The wait is the
/// server's `Retry-After` (seconds or HTTP date) when given, else exponential backoff with jitter
/// (`baseDelay·2^(n-1)`, capped at `maxDelay`, then a random 50–100 % of it). A `Retry-After`
/// longer than `maxRetryAfter` ends the retries at once rather than stalling the run.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    public var maxRetryAfter: Double
    /// Waits this many seconds. Injectable so tests record delays instead of waiting.
    public var sleep: @Sendable (Double) async throws -> Void
    /// A number in `0..<1` for jitter.
    public var random: @Sendable () -> Double
    /// The current time, for `Retry-After` HTTP dates.
    public var now: @Sendable () -> Date

    public init(
        maxAttempts: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 8, maxRetryAfter: Double = 60,
        sleep: @escaping @Sendable (Double) async throws -> Void = RetryPolicy.taskSleep,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.sleep = sleep
        self.random = random
        self.now = now
    }

    public static let taskSleep: @Sendable (Double) async throws -> Void = { seconds in
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }

    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || (500...599).contains(status)
    }

    /// The wait after failed attempt number `attempt` (1-based) when the server gave no `Retry-After`.
    public func backoff(afterAttempt attempt: Int) -> Double {
        let exponential = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return exponential / 2 + exponential / 2 * min(max(random(), 0), 1)
    }

    /// Seconds to wait from a `Retry-After` value: delta-seconds or an HTTP date; nil if unreadable.
    public static func retryAfterSeconds(_ value: String, now: Date) -> Double? {
        let trimmed = value.trimmingSpaces()
        if let seconds = Int(trimmed) { return Double(max(0, seconds)) }
        guard let date = HTTPDate.parse(trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}

/// Byte limits for registry responses.
public struct ResponseLimits: Sendable, Hashable {
    public var manifestBytes: Int
    public var configBytes: Int
    public var tokenBytes: Int

    public init(manifestBytes: Int = 4 << 20, configBytes: Int = 8 << 20, tokenBytes: Int = 1 << 20) {
        self.manifestBytes = manifestBytes
        self.configBytes = configBytes
        self.tokenBytes = tokenBytes
    }
}
