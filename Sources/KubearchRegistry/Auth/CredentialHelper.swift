import Dispatch
import FoundationEssentials

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
        guard let outcome = HelperProcess.run(
            executable: executable, arguments: ["get"], environment: environment, input: Array(input.utf8), timeoutSeconds: timeoutSeconds)
        else {
            return .failure(.helperFailed(helper: executableName, reason: "cannot start it"))
        }
        if outcome.signalled {
            return .failure(.helperFailed(helper: executableName, reason: "killed or timed out"))
        }
        return .success((outcome.status, Data(outcome.output)))
    }
}
