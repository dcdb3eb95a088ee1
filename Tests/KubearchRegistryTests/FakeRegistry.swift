import Foundation

@testable import KubearchRegistry

/// Records every request a fake transport receives.
actor RequestLog {
    private(set) var requests: [HTTPRequest] = []
    private var inFlight = 0
    private(set) var maxInFlight = 0

    func record(_ request: HTTPRequest) -> Int {
        requests.append(request)
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
        return requests.count
    }

    func finished() { inFlight -= 1 }

    func count(where predicate: (HTTPRequest) -> Bool) -> Int { requests.filter(predicate).count }
}

/// An in-process `HTTPTransport` answering with a closure (request, 1-based request number).
struct FakeTransport: HTTPTransport {
    let log = RequestLog()
    var delay: Double = 0
    let respond: @Sendable (HTTPRequest, Int) async throws -> HTTPResponse

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let number = await log.record(request)
        if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000)) }
        // Counted out before the caller gets the answer (and frees its slot for the next request):
        // ending in a task of its own let a busy machine count it after the next one began.
        do {
            let response = try await respond(request, number)
            await log.finished()
            return response
        } catch {
            await log.finished()
            throw error
        }
    }
}

/// Just enough of the distribution API over in-memory content, with optional bearer or basic auth.
struct FakeRegistry: Sendable {
    enum Auth: Sendable {
        case anonymous
        /// Token realm `https://auth.example/token`; `requiredBasic` is the `Authorization` the token
        /// service insists on (nil: anonymous tokens).
        case bearer(requiredBasic: String?)
        case basic(expected: String)
    }

    var manifests: [String: (body: Data, contentType: String)] = [:]
    var blobs: [String: Data] = [:]
    var auth: Auth = .anonymous
    /// Replaces the `Docker-Content-Digest` header for a path (to test verification).
    var digestHeaderOverride: [String: String] = [:]

    static let realm = "https://auth.example/token"

    /// Adds a manifest under `repository:tag` and `repository:digest`; returns its digest.
    @discardableResult
    mutating func put(repository: String, tag: String?, body: Data, contentType: String) -> String {
        let digest = ContentDigest.sha256(of: body).description
        manifests["\(repository):\(digest)"] = (body, contentType)
        if let tag { manifests["\(repository):\(tag)"] = (body, contentType) }
        return digest
    }

    @discardableResult
    mutating func putBlob(_ body: Data) -> String {
        let digest = ContentDigest.sha256(of: body).description
        blobs[digest] = body
        return digest
    }

    func transport(delay: Double = 0) -> FakeTransport {
        FakeTransport(delay: delay) { request, _ in self.answer(request) }
    }

    func answer(_ request: HTTPRequest) -> HTTPResponse {
        let url = request.url
        if url.absoluteString.hasPrefix(Self.realm) { return issueToken(request) }
        guard let range = url.path.range(of: "/v2/") else { return HTTPResponse(status: 404) }
        let rest = String(url.path[range.upperBound...])
        let scopeRepository: String
        let isManifest = rest.contains("/manifests/")
        let separator = isManifest ? "/manifests/" : "/blobs/"
        guard let split = rest.range(of: separator) else { return HTTPResponse(status: 404) }
        scopeRepository = String(rest[..<split.lowerBound])
        let reference = String(rest[split.upperBound...])

        if let denied = checkAuthorization(request, repository: scopeRepository) { return denied }

        if isManifest {
            guard let entry = manifests["\(scopeRepository):\(reference)"] else {
                return HTTPResponse(status: 404, body: Data(#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#.utf8))
            }
            let digest = digestHeaderOverride[url.path] ?? ContentDigest.sha256(of: entry.body).description
            return HTTPResponse(status: 200, headers: [("Content-Type", entry.contentType), ("Docker-Content-Digest", digest)], body: entry.body)
        }
        guard let blob = blobs[reference] else { return HTTPResponse(status: 404) }
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/octet-stream")], body: blob)
    }

    private func checkAuthorization(_ request: HTTPRequest, repository: String) -> HTTPResponse? {
        let given = request.headers.first { $0.name == "Authorization" }?.value
        switch auth {
        case .anonymous:
            return nil
        case .bearer:
            if given == "Bearer token-for-\(repository)" { return nil }
            let challenge = #"Bearer realm="\#(Self.realm)",service="fake.example",scope="repository:\#(repository):pull""#
            return HTTPResponse(status: 401, headers: [("WWW-Authenticate", challenge)])
        case .basic(let expected):
            if given == expected { return nil }
            return HTTPResponse(status: 401, headers: [("WWW-Authenticate", #"Basic realm="fake""#)])
        }
    }

    private func issueToken(_ request: HTTPRequest) -> HTTPResponse {
        guard case .bearer(let requiredBasic) = auth else { return HTTPResponse(status: 404) }
        if let requiredBasic, request.headers.first(where: { $0.name == "Authorization" })?.value != requiredBasic {
            return HTTPResponse(status: 401)
        }
        let items = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        guard items.first(where: { $0.name == "service" })?.value == "fake.example",
            let scope = items.first(where: { $0.name == "scope" })?.value,
            scope.hasPrefix("repository:"), scope.hasSuffix(":pull")
        else { return HTTPResponse(status: 400) }
        let repository = scope.dropFirst("repository:".count).dropLast(":pull".count)
        return HTTPResponse(status: 200, body: Data(#"{"token":"token-for-\#(repository)","expires_in":300}"#.utf8))
    }
}

/// Records the delays a retry policy asks for instead of sleeping.
actor SleepRecorder {
    private(set) var delays: [Double] = []
    func record(_ seconds: Double) { delays.append(seconds) }
}

extension RetryPolicy {
    static func recording(_ recorder: SleepRecorder, maxAttempts: Int = 4, now: Date = Date()) -> RetryPolicy {
        RetryPolicy(maxAttempts: maxAttempts, sleep: { await recorder.record($0) }, random: { 0.5 }, now: { now })
    }
}

/// Sample documents.
enum Samples {
    static let index = Data("""
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
         {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:\(String(repeating: "1", count: 64))","size":10,"platform":{"os":"linux","architecture":"amd64"}},
         {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:\(String(repeating: "2", count: 64))","size":10,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
         {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:\(String(repeating: "3", count: 64))","size":10,"platform":{"os":"unknown","architecture":"unknown"},
          "annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}
        """.utf8)

    static let armConfig = Data(#"{"architecture":"aarch64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)

    static func manifest(configDigest: String) -> Data {
        Data("""
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
             "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":80,"digest":"\(configDigest)"},"layers":[]}
            """.utf8)
    }
}
