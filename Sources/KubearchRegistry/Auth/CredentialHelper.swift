import Foundation

/// Runs `docker-credential-<name> get`, the docker credential helper protocol: the server URL on
/// stdin, `{"ServerURL", "Username", "Secret"}` on stdout.
struct CredentialHelper: Sendable {
    var name: String
    var environment: [String: String]
    var timeoutSeconds: Double = 30

    var executableName: String { "docker-credential-\(name)" }

    func get(serverURL: String) async throws(CredentialError) -> RegistryCredential? {
        guard let executable = locateExecutable() else { throw .helperNotFound(helper: executableName) }
        let outcome: Result<(status: Int32, output: Data), CredentialError> = await withCheckedContinuation { continuation in
            // Process and pipe reads block: keep them off the cooperative pool.
            DispatchQueue.global().async {
                continuation.resume(returning: run(executable: executable, input: serverURL))
            }
        }
        let (status, output) = try outcome.get()
        if status != 0 {
            // The protocol's "not found" answer is not an error: there just is no credential.
            if String(decoding: output, as: UTF8.self).lowercased().contains("credentials not found") { return nil }
            throw .helperFailed(helper: executableName, reason: "exit status \(status)")
        }
        struct Answer: Decodable {
            var Username: String?
            var Secret: String?
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: output) else {
            throw .helperFailed(helper: executableName, reason: "its output is not the expected JSON")
        }
        guard let secret = answer.Secret, !secret.isEmpty else { return nil }
        // Docker's convention: user name `<token>` means the secret is an identity token.
        if answer.Username == "<token>" { return .identityToken(secret) }
        return .basic(username: answer.Username ?? "", password: secret)
    }

    private func locateExecutable() -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(executableName)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private func run(executable: String, input: String) -> Result<(status: Int32, output: Data), CredentialError> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["get"]
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        // The server URL is far smaller than a pipe buffer: writing it before the helper starts
        // never blocks, and cannot raise SIGPIPE if the helper exits without reading it.
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        do {
            try process.run()
        } catch {
            return .failure(.helperFailed(helper: executableName, reason: "cannot start it"))
        }
        let timer = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: timer)
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        if process.terminationReason == .uncaughtSignal {
            return .failure(.helperFailed(helper: executableName, reason: "killed or timed out"))
        }
        return .success((process.terminationStatus, output))
    }
}
