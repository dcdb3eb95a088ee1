import FoundationEssentials

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
    /// so only the final response's fields are kept. Worked on as bytes: it runs for every header
    /// line of every response, and Foundation's `trimmingCharacters` was a visible share of `lock`'s CPU.
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        // Trim CR and LF as bytes: as a Swift Character, "\r\n" is one grapheme, equal to neither.
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0d || bytes[end - 1] == 0x0a { end -= 1 }
        let line = bytes[0..<end]
        if line.starts(with: "HTTP/".utf8) {
            headers.removeAll()
            return
        }
        guard let first = line.first else { return }
        if Self.isSpace(first), !headers.isEmpty {
            // Obsolete line folding: the line continues the previous field's value.
            headers[headers.count - 1].value += " " + Self.trimmedText(line)
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = Self.trimmedText(line[..<colon])
        let value = Self.trimmedText(line[(colon + 1)...])
        headers.append((name: name, value: value))
    }

    /// HTTP's optional whitespace around field names and values: space and tab.
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private static func trimmedText(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes.base[start..<end]), as: UTF8.self)
    }
}
