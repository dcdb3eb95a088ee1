/// Lets the first request to each registry host go alone, and the host's other requests follow once
/// it has been answered.
///
/// Until a host has answered once, nobody knows whether it wants a token: requests sent together
/// would each collect a 401. Behind the gate, the first answer's challenge is remembered (see
/// `TokenCache`), so the requests that waited carry their authorization from the start; an open
/// registry costs nothing extra, since the first request is a real one, not a `/v2/` ping.
actor FirstContactGate {
    private enum State {
        /// The first request is in flight; these requests wait for its answer.
        case answering(waiting: [CheckedContinuation<Void, Never>])
        case open
    }

    private var hosts: [String: State] = [:]

    /// True when the caller is the first to `host`: it must call `open(_:)` once it has the answer
    /// (or has failed). Otherwise returns, false, once the host's first request has been answered.
    ///
    /// A waiting task is not cut short by cancellation; the first request's own timeout bounds the wait.
    func enter(_ host: String) async -> Bool {
        switch hosts[host] {
        case nil:
            hosts[host] = .answering(waiting: [])
            return true
        case .open?:
            return false
        case .answering?:
            await waitForAnswer(host)
            return false
        }
    }

    /// Waits, when the host's first request is in flight, for its answer; true if it waited.
    func waitIfAnswering(_ host: String) async -> Bool {
        guard case .answering? = hosts[host] else { return false }
        await waitForAnswer(host)
        return true
    }

    private func waitForAnswer(_ host: String) async {
        await withCheckedContinuation { continuation in
            // Runs on the actor before it suspends: no other call sees the host in between.
            if case .answering(let waiting)? = hosts[host] {
                hosts[host] = .answering(waiting: waiting + [continuation])
            } else {
                continuation.resume()
            }
        }
    }

    /// Lets the requests waiting for `host` go, and every later one straight through.
    func open(_ host: String) {
        guard case .answering(let waiting)? = hosts[host] else { return }
        hosts[host] = .open
        for continuation in waiting { continuation.resume() }
    }
}
