import FoundationEssentials
import Glibc
import KubearchReporters

/// The only place the CLI writes to its standard streams. Output is written once, whole, or (a
/// report) in chunks as a reporter writes it.
enum Output {
    static func standardOutput(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    /// Whatever `produce` writes, on standard output as each chunk fills.
    static func standardOutput(streaming produce: (inout ReportOutput) -> Void) {
        var output = ReportOutput { write($0, to: STDOUT_FILENO) }
        produce(&output)
        output.finish()
    }

    /// An output that writes to standard output whenever a chunk is full (`finish()` writes the rest).
    static func standardOutputChunks() -> ReportOutput {
        ReportOutput { write($0, to: STDOUT_FILENO) }
    }

    static func standardError(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n", to: STDERR_FILENO)
    }

    static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0), to: descriptor) }
    }

    private static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) {
        var done = 0
        while done < bytes.count, let base = bytes.baseAddress {
            let written = Glibc.write(descriptor, base + done, bytes.count - done)
            if written < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe: nothing more to say
            }
            done += written
        }
    }
}
