import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real, open docker-registry (`/usr/bin/docker-registry`) on 127.0.0.1 for CLI tests, filled with
/// `curl` (test setup only; the CLI under test speaks to it with its own client).
///
/// The registry test target has a fuller harness, but SwiftPM cannot share sources between test
/// targets; this is the minimum the CLI tests need. The registry runs under the registry tests'
/// `Fixtures/lifeline.py`, which ends it (and deletes its folder) when `stop()` closes the lifeline
/// pipe or when the test process dies for any reason.
final class LoopbackRegistry: Sendable {
    let port: Int
    /// `127.0.0.1:<port>`, as written in image references.
    let host: String
    let directory: URL
    private let process: Process
    private let lifeline: Pipe

    static let executable = "/usr/bin/docker-registry"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }
    /// Debian's Python: a version-manager shim on PATH can take half a second to start.
    static let python: (executable: String, arguments: [String]) =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? ("/usr/bin/python3", []) : ("/usr/bin/env", ["python3"])

    /// Starts a registry on a free port (a few tries: another process may take the port first).
    static func start() throws -> LoopbackRegistry {
        var lastLog = ""
        for _ in 0..<3 {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubearch-cli-registry-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let port = try freePort()
            let config = """
                version: 0.1
                log: {level: error, accesslog: {disabled: true}}
                storage: {filesystem: {rootdirectory: "\(directory.path)/storage"}, delete: {enabled: true}}
                http: {addr: "127.0.0.1:\(port)", secret: kubearch-cli-test}

                """
            try config.write(to: directory.appendingPathComponent("config.yml"), atomically: true, encoding: .utf8)
            let registry = try LoopbackRegistry(port: port, directory: directory)
            if registry.waitUntilReady() { return registry }
            lastLog = (try? String(contentsOf: directory.appendingPathComponent("registry.log"), encoding: .utf8)) ?? ""
            registry.stop()
        }
        throw LoopbackRegistryError("docker-registry did not start: \(lastLog.suffix(1000))")
    }

    private init(port: Int, directory: URL) throws {
        self.port = port
        self.directory = directory
        host = "127.0.0.1:\(port)"
        let lifelineScript = BuiltBinary.packageRoot.appendingPathComponent("Tests/KubearchRegistryTests/Fixtures/lifeline.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python.executable)
        process.arguments = Self.python.arguments + [
            lifelineScript.path, "--cleanup", directory.path, "--",
            Self.executable, "serve", directory.appendingPathComponent("config.yml").path,
        ]
        lifeline = Pipe()
        process.standardInput = lifeline
        let log = directory.appendingPathComponent("registry.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        try? logHandle.close()
    }

    /// Ends the registry, waits for it, and makes sure its folder is gone.
    func stop() {
        try? lifeline.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    private func waitUntilReady() -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, process.isRunning {
            if let status = try? Self.curl(["-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2", "http://\(host)/v2/"]),
                status == "200"
            {
                return true
            }
            usleep(50_000)
        }
        return false
    }

    // MARK: - Pushing

    enum Format {
        case oci
        case docker

        var manifest: String {
            self == .oci ? "application/vnd.oci.image.manifest.v1+json" : "application/vnd.docker.distribution.manifest.v2+json"
        }
        var index: String {
            self == .oci ? "application/vnd.oci.image.index.v1+json" : "application/vnd.docker.distribution.manifest.list.v2+json"
        }
        var config: String {
            self == .oci ? "application/vnd.oci.image.config.v1+json" : "application/vnd.docker.container.image.v1+json"
        }
    }

    /// What was pushed: enough to reference it from an index and to check the CLI's answers.
    struct Pushed {
        var digest: String
        var mediaType: String
        var size: Int
        /// `os/arch[/variant]` for an image, nil for an index.
        var platform: String?
    }

    /// Pushes a single-platform image (its config names `platform`, e.g. `linux/arm64/v8`; no layers,
    /// which the registry accepts and the CLI never reads) under `tag`, or by digest when nil.
    @discardableResult
    func pushImage(_ repository: String, tag: String?, platform: String, format: Format = .oci) throws -> Pushed {
        let parts = platform.split(separator: "/").map(String.init)
        var config: [String: Any] = [
            "os": parts[0], "architecture": parts.count > 1 ? parts[1] : "", "rootfs": ["type": "layers", "diff_ids": [String]()],
            "config": ["Labels": ["unique": UUID().uuidString]],
        ]
        if parts.count > 2 { config["variant"] = parts[2] }
        let configFile = try temporaryFile(try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]))
        defer { try? FileManager.default.removeItem(at: configFile) }
        let manifestFile = directory.appendingPathComponent("upload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: manifestFile) }
        let output = try Self.shell(Self.pushImageScript, [
            host, repository, tag ?? "", configFile.path, manifestFile.path, format.manifest, format.config,
        ])
        let (digest, size) = try Self.digestAndSize(output)
        return Pushed(digest: digest, mediaType: format.manifest, size: size, platform: platform)
    }

    /// Pushes an index (OCI) or manifest list (Docker) over pushed images and tags it.
    @discardableResult
    func pushIndex(_ repository: String, tag: String, of images: [Pushed], format: Format = .oci) throws -> Pushed {
        let entries: [[String: Any]] = images.map { image in
            let parts = (image.platform ?? "").split(separator: "/").map(String.init)
            var platform: [String: String] = ["os": parts.first ?? "", "architecture": parts.count > 1 ? parts[1] : ""]
            if parts.count > 2 { platform["variant"] = parts[2] }
            return ["mediaType": image.mediaType, "digest": image.digest, "size": image.size, "platform": platform]
        }
        let index: [String: Any] = ["schemaVersion": 2, "mediaType": format.index, "manifests": entries]
        let file = try temporaryFile(try JSONSerialization.data(withJSONObject: index, options: [.sortedKeys]))
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try Self.shell(Self.putManifestFunction + "put_manifest \"$1\" \"$2\" \"$3\" \"$4\" \"$5\"\n", [
            host, repository, tag, file.path, format.index,
        ])
        let (digest, size) = try Self.digestAndSize(output)
        return Pushed(digest: digest, mediaType: format.index, size: size, platform: nil)
    }

    /// `put_manifest HOST REPO REFERENCE FILE MEDIATYPE` prints "<digest the registry computed> <size>".
    private static let putManifestFunction = #"""
        set -eu
        put_manifest() {
          headers=$(curl -sS --noproxy '*' --max-time 20 -D - -o /dev/null -X PUT -H "Content-Type: $5" \
            --data-binary "@$4" "http://$1/v2/$2/manifests/$3" | tr -d '\r')
          case "$headers" in "HTTP/1.1 201"*) ;; *) echo "manifest push failed: $headers" >&2; exit 1 ;; esac
          digest=$(printf '%s\n' "$headers" | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p')
          echo "$digest $(wc -c < "$4")"
        }

        """#

    /// Uploads the config blob (`POST /v2/<repo>/blobs/uploads/`, then `PUT <Location>&digest=…`),
    /// writes a manifest naming it and no layers, and puts it under the tag (or its own digest).
    /// Arguments: HOST REPO TAG CONFIG_FILE MANIFEST_FILE MANIFEST_TYPE CONFIG_TYPE.
    private static let pushImageScript = putManifestFunction + #"""
        host=$1 repo=$2 tag=$3 config=$4 manifest=$5
        digest="sha256:$(sha256sum "$config" | cut -d' ' -f1)"
        location=$(curl -sS --noproxy '*' --max-time 20 -D - -o /dev/null -X POST "http://$host/v2/$repo/blobs/uploads/" \
          | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
        [ -n "$location" ] || { echo "blob upload start gave no Location" >&2; exit 1; }
        case "$location" in *\?*) separator='&' ;; *) separator='?' ;; esac
        status=$(curl -sS --noproxy '*' --max-time 20 -o /dev/null -w '%{http_code}' -X PUT \
          -H 'Content-Type: application/octet-stream' --data-binary "@$config" "$location${separator}digest=$digest")
        [ "$status" = 201 ] || { echo "blob upload: HTTP $status" >&2; exit 1; }
        printf '{"config":{"digest":"%s","mediaType":"%s","size":%s},"layers":[],"mediaType":"%s","schemaVersion":2}' \
          "$digest" "$7" "$(wc -c < "$config")" "$6" > "$manifest"
        if [ -z "$tag" ]; then tag="sha256:$(sha256sum "$manifest" | cut -d' ' -f1)"; fi
        put_manifest "$host" "$repo" "$tag" "$manifest" "$6"

        """#

    private static func digestAndSize(_ output: String) throws -> (String, Int) {
        let fields = output.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, fields[0].hasPrefix("sha256:"), let size = Int(fields[1]) else {
            throw LoopbackRegistryError("push printed \(output)")
        }
        return (String(fields[0]), size)
    }

    private func temporaryFile(_ data: Data) throws -> URL {
        let file = directory.appendingPathComponent("upload-\(UUID().uuidString)")
        try data.write(to: file)
        return file
    }

    // MARK: - Tools

    /// `curl -sS` with the arguments; never through a proxy (loopback only).
    private static func curl(_ arguments: [String]) throws -> String {
        try run("/usr/bin/curl", ["-sS", "--noproxy", "*", "--max-time", "20"] + arguments)
    }

    /// A port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LoopbackRegistryError("socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw LoopbackRegistryError("bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs `script` with `sh -c` (one spawn for a whole push: each spawn from here is slow).
    private static func shell(_ script: String, _ arguments: [String]) throws -> String {
        try run("/bin/sh", ["-c", script, "sh"] + arguments)
    }

    @discardableResult
    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        // Outputs here are small (a line or two), far below a pipe's buffer: reading one after the other cannot block.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LoopbackRegistryError("\(executable) exited \(process.terminationStatus): \(errorText.suffix(500))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

struct LoopbackRegistryError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
