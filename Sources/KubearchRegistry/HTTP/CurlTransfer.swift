import Foundation

/// What the libcurl callbacks of one transfer write into: the body (bounded), the final response's
/// header fields, and whether the transfer must stop.
///
/// `@unchecked Sendable`: the body and headers are only touched by the thread running
/// `curl_easy_perform` (callbacks run on it) and read after perform returns on that same thread;
/// the cancellation flag, which another task sets, is behind a lock.
final class CurlTransfer: @unchecked Sendable {
    let limit: Int
    private(set) var body = Data()
    private(set) var headers: [(name: String, value: String)] = []
    /// Set when the body went over `limit`; the write callback then aborts the transfer.
    private(set) var exceededLimit = false
    private let cancelled = CurlLockedValue(false)

    init(limit: Int) {
        self.limit = limit
    }

    var isCancelled: Bool { cancelled.withLock { $0 } }

    func cancel() {
        cancelled.withLock { $0 = true }
    }

    /// Appends received body bytes; returns false (abort) when the limit would be passed.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= limit else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Takes one raw header line as libcurl delivers it (status lines, fields, the blank line).
    /// A status line starts a new response (after a `100 Continue` or a proxy's CONNECT answer),
    /// so only the final response's fields are kept.
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        // Trim CR and LF as bytes: as a Swift Character, "\r\n" is one grapheme, equal to neither.
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0d || bytes[end - 1] == 0x0a { end -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers.removeAll()
            return
        }
        guard !line.isEmpty else { return }
        if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
            // Obsolete line folding: the line continues the previous field's value.
            headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        headers.append((name: name, value: value))
    }
}
