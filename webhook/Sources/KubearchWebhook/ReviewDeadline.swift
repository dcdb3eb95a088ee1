/// How long a review may wait for the registry: `min(timeout − 1 s, cap)` where `timeout` is what the
/// API server put in the request (`POST /mutate?timeout=10s`, a Go duration) and `cap` is
/// `--registry-timeout` (default 2 s). The second kept back is for the answer's way home: a webhook
/// that misses the API server's deadline counts as failed, and with `failurePolicy: Ignore` the pod
/// would go in unpatched with no warning at all.
enum ReviewDeadline {
    static func deadline(query: String?, cap: Duration) -> Duration {
        guard let timeout = query.flatMap(timeoutParameter).flatMap(parseGoDuration) else { return cap }
        return max(.zero, min(timeout - .seconds(1), cap))
    }

    /// The `timeout` parameter of a query string such as `timeout=10s`.
    static func timeoutParameter(_ query: String) -> String? {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "timeout" { return String(parts[1]) }
        }
        return nil
    }

    /// A Go duration made of `<number><unit>` parts (`10s`, `1m30s`, `500ms`); nil when unreadable.
    static func parseGoDuration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        var rest = Substring(text)
        var seconds = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            // Longest unit first: `ms` before `m`.
            guard let unit = units.sorted(by: { $0.0.count > $1.0.count }).first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.0.count)
            seconds += value * unit.1
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
