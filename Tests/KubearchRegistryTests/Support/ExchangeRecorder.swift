import Foundation
import KubearchRegistry

/// A transport in front of a real one that records, for every request, where it went, whether it
/// carried `Authorization`, and the status it got; and how many requests to the registry (not the
/// token service) were in flight at once.
struct ExchangeRecorder: HTTPTransport {
    struct Exchange: Sendable {
        var host: String
        var path: String
        var authorized: Bool
        var status: Int?
    }

    let base: any HTTPTransport
    /// Requests to this authority count as registry requests; all others as token requests.
    let registryAuthority: String
    let log = ExchangeLog()

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let host = request.url.port.map { "\(request.url.host ?? ""):\($0)" } ?? request.url.host ?? ""
        let isRegistry = host == registryAuthority
        let authorized = request.headers.contains { $0.name.caseInsensitiveCompare("Authorization") == .orderedSame }
        await log.begin(isRegistry: isRegistry)
        do {
            let response = try await base.send(request)
            await log.end(Exchange(host: host, path: request.url.path, authorized: authorized, status: response.status), isRegistry: isRegistry)
            return response
        } catch {
            await log.end(Exchange(host: host, path: request.url.path, authorized: authorized, status: nil), isRegistry: isRegistry)
            throw error
        }
    }
}

/// What `ExchangeRecorder` saw, in order of completion.
actor ExchangeLog {
    private(set) var exchanges: [ExchangeRecorder.Exchange] = []
    private var registryInFlight = 0
    private var allInFlight = 0
    private(set) var registryPeak = 0
    private(set) var peak = 0

    func begin(isRegistry: Bool) {
        allInFlight += 1
        peak = max(peak, allInFlight)
        if isRegistry {
            registryInFlight += 1
            registryPeak = max(registryPeak, registryInFlight)
        }
    }

    func end(_ exchange: ExchangeRecorder.Exchange, isRegistry: Bool) {
        exchanges.append(exchange)
        allInFlight -= 1
        if isRegistry { registryInFlight -= 1 }
    }
}
