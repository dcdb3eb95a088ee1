import FoundationEssentials
import KubearchRegistry

/// `--verbose`: writes one line per HTTP request to standard error — method, URL, and the status or
/// the failure. Never headers or bodies (they carry credentials and tokens), and never a URL's
/// user-info part.
struct RequestLoggingTransport: HTTPTransport {
    let base: any HTTPTransport

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let line = "kubearch: \(request.method) \(Self.shown(request.url))"
        do {
            let response = try await base.send(request)
            Output.standardError("\(line) -> \(response.status)")
            return response
        } catch {
            Output.standardError("\(line) -> failed: \(error)")
            throw error
        }
    }

    static func shown(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return "(unprintable URL)" }
        components.user = nil
        components.password = nil
        return components.string ?? "(unprintable URL)"
    }
}
