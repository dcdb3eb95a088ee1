import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's `tinyproxy`, a real forwarding HTTP proxy, on a free 127.0.0.1 port with a generated
/// configuration, logging every request line (`Request (file descriptor N): GET http://… HTTP/1.1`)
/// to its own log. It runs under the registry tests' `Fixtures/lifeline.py`, like `LoopbackRegistry`,
/// so it never outlives the test process.
final class LoopbackTinyproxy: Sendable {
    static let executable = "/usr/bin/tinyproxy"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    let port: Int
    /// `http://127.0.0.1:<port>`, as written in `HTTP_PROXY`.
    let url: String
    let directory: URL
    private let process: Process
    private let lifeline: Pipe

    static func start() throws -> LoopbackTinyproxy {
        var lastLog = ""
        for _ in 0..<3 {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubearch-cli-tinyproxy-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let port = try LoopbackRegistry.freePort()
            let config = """
                Port \(port)
                Listen 127.0.0.1
                Timeout 30
                MaxClients 32
                Allow 127.0.0.1
                LogLevel Info
                LogFile "\(directory.path)/tinyproxy.log"

                """
            try config.write(to: directory.appendingPathComponent("tinyproxy.conf"), atomically: true, encoding: .utf8)
            let proxy = try LoopbackTinyproxy(port: port, directory: directory)
            if proxy.waitUntilListening() { return proxy }
            lastLog = proxy.log
            proxy.stop()
        }
        throw LoopbackRegistryError("tinyproxy did not start: \(lastLog.suffix(1000))")
    }

    private init(port: Int, directory: URL) throws {
        self.port = port
        self.directory = directory
        url = "http://127.0.0.1:\(port)"
        let lifelineScript = BuiltBinary.packageRoot.appendingPathComponent("Tests/KubearchRegistryTests/Fixtures/lifeline.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: LoopbackRegistry.python.executable)
        // `-d`: stay in the foreground, so the lifeline can end it.
        process.arguments = LoopbackRegistry.python.arguments + [
            lifelineScript.path, "--cleanup", directory.path, "--",
            Self.executable, "-d", "-c", directory.appendingPathComponent("tinyproxy.conf").path,
        ]
        lifeline = Pipe()
        process.standardInput = lifeline
        let output = directory.appendingPathComponent("stdout.log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try? handle.close()
    }

    /// The proxy's own log so far.
    var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("tinyproxy.log"), encoding: .utf8)) ?? ""
    }

    /// The targets of the requests the proxy forwarded, in order (`GET http://127.0.0.1:5000/v2/…`).
    var forwardedRequests: [String] {
        log.split(separator: "\n").compactMap { line in
            guard let marker = line.range(of: "Request (file descriptor "),
                  let colon = line[marker.upperBound...].range(of: "): ")
            else { return nil }
            let request = line[colon.upperBound...]
            return request.hasSuffix(" HTTP/1.1") ? String(request.dropLast(" HTTP/1.1".count)) : String(request)
        }
    }

    func stop() {
        try? lifeline.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    private func waitUntilListening() -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, process.isRunning {
            if Self.accepts(port: port) { return true }
            usleep(20_000)
        }
        return false
    }

    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
