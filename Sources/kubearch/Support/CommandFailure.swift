import ArgumentParser

/// Something that stops a command from doing its job: printed as `kubearch: message`, exit code 2.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}

extension CommandFailure {
    /// Runs `body`, turning a `CommandFailure` or any error into the message and exit code 2.
    static func reporting<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            Output.standardError("kubearch: \(error)")
            throw ExitCode(2)
        }
    }
}
