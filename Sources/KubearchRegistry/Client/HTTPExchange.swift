import FoundationEssentials

/// Why a request failed after the retry policy was applied.
enum ExchangeFailure: Error, Sendable {
    case transport(HTTPTransportError, attempts: Int)
    case exhausted(attempts: Int, lastFailure: String)
    /// A redirect that must not be followed (a loop, https to http, a bad `Location`): never retried.
    case redirect(RedirectError)
    case cancelled

    /// The host could not be reached (refused, unresolvable, timed out) or kept failing after retries.
    var meansUnreachable: Bool {
        switch self {
        case .transport(.connectionFailed, _), .transport(.timedOut, _), .exhausted: true
        case .transport, .redirect, .cancelled: false
        }
    }

    func registryError(image: String) -> RegistryError {
        switch self {
        case .transport(.responseTooLarge(_, let limit), _):
            .responseTooLarge(image: image, limit: limit)
        case .transport(let error, let attempts):
            Self.transportError(error, image: image, reason: attempts > 1 ? "\(error) (after \(attempts) attempts)" : error.description)
        case .exhausted(let attempts, let lastFailure):
            .tooManyRetries(image: image, attempts: attempts, lastFailure: lastFailure)
        case .redirect(let error):
            .transport(image: image, reason: error.description)
        case .cancelled:
            .transport(image: image, reason: "cancelled")
        }
    }

    private static func transportError(_ error: HTTPTransportError, image: String, reason: String) -> RegistryError {
        if case .connectionFailed = error { return .unreachable(image: image, reason: reason) }
        return .transport(image: image, reason: reason)
    }
}

/// Sends one request through the transport, retrying per the policy and counting every attempt.
/// Every request, token requests included, carries `userAgent` unless it names its own.
struct HTTPExchange: Sendable {
    var transport: any HTTPTransport
    var retry: RetryPolicy
    var counter: RequestCounter
    var userAgent: String

    func send(_ request: HTTPRequest) async throws(ExchangeFailure) -> HTTPResponse {
        var request = request
        if !request.headers.contains(where: { $0.name.equalsIgnoringCase("User-Agent") }) {
            request.headers.append(("User-Agent", userAgent))
        }
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { throw .cancelled }
            let delay: Double
            do {
                await counter.increment()
                let response = try await transport.send(request)
                guard RetryPolicy.isRetryable(status: response.status) else {
                    if response.body.count > request.maxResponseBytes {
                        throw ExchangeFailure.transport(
                            .responseTooLarge(url: request.url.absoluteString, limit: request.maxResponseBytes), attempts: attempt)
                    }
                    return response
                }
                let failure = "HTTP \(response.status) from \(request.url.host ?? "the registry")"
                var wait = retry.backoff(afterAttempt: attempt)
                if let header = response.header("Retry-After"),
                    let requested = RetryPolicy.retryAfterSeconds(header, now: retry.now())
                {
                    if requested > retry.maxRetryAfter {
                        throw ExchangeFailure.exhausted(
                            attempts: attempt, lastFailure: "\(failure) asking to retry after \(Int(requested)) s")
                    }
                    wait = requested
                }
                if attempt >= retry.maxAttempts { throw ExchangeFailure.exhausted(attempts: attempt, lastFailure: failure) }
                delay = wait
            } catch let failure as ExchangeFailure {
                throw failure
            } catch let error as HTTPTransportError {
                switch error {
                case .timedOut, .connectionFailed:
                    if attempt >= retry.maxAttempts { throw .transport(error, attempts: attempt) }
                    delay = retry.backoff(afterAttempt: attempt)
                default:
                    throw .transport(error, attempts: attempt)
                }
            } catch let error as RedirectError {
                throw .redirect(error)
            } catch is CancellationError {
                throw .cancelled
            } catch {
                throw .transport(.connectionFailed(url: request.url.absoluteString, reason: "\(type(of: error))"), attempts: attempt)
            }
            do {
                try await retry.sleep(delay)
            } catch {
                throw .cancelled
            }
        }
    }
}
