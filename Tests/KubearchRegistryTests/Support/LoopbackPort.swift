import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Loopback sockets for tests.
enum LoopbackPort {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released). Another
    /// process may take it before the caller binds it; callers that can, retry.
    static func free() throws -> Int {
        let socket = try ListeningSocket()
        return socket.port
    }

    /// Reads a port number a helper script wrote to `file` once it was listening.
    static func read(from file: URL, process: ChildProcess, seconds: Double = 20) async throws -> Int {
        var port: Int?
        _ = await TestEnvironment.wait(upTo: seconds) {
            if let text = try? String(contentsOf: file, encoding: .utf8),
               let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                port = value
                return true
            }
            return !process.isRunning
        }
        guard let port else {
            throw TestSupportError.serverDidNotStart("no port in \(file.path): \(process.logTail)")
        }
        return port
    }
}

/// A TCP socket bound to 127.0.0.1 on a kernel-chosen port and listening, closed on deinit.
final class ListeningSocket: Sendable {
    let descriptor: Int32
    let port: Int

    init(backlog: Int32 = 16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError.toolFailed("socket(): errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            close(fd)
            throw TestSupportError.toolFailed("bind/listen: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            close(fd)
            throw TestSupportError.toolFailed("getsockname: errno \(errno)")
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(descriptor)
    }
}

/// A server that accepts TCP connections (the kernel completes the handshake into the backlog)
/// but never answers: for timeout tests.
final class SilentServer: Sendable {
    private let socket: ListeningSocket

    init() throws {
        socket = try ListeningSocket()
    }

    var port: Int { socket.port }
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
}
