import Dispatch
import Glibc
import KubearchCore

/// Runs a credential helper: `input` on its stdin, its stdout collected, stderr discarded, killed
/// after `timeoutSeconds`. posix_spawn rather than Foundation's `Process`, which lives in the part
/// of Foundation that links ICU into the static binary (see `ThreadLock`).
enum HelperProcess {
    struct Outcome {
        var status: Int32
        var output: [UInt8]
        /// Ended by a signal (killed, or timed out).
        var signalled: Bool
    }

    /// nil when the helper could not be started.
    static func run(executable: String, arguments: [String], environment: [String: String], input: [UInt8], timeoutSeconds: Double) -> Outcome? {
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0 else { return nil }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            return nil
        }
        // Not inherited by helpers other threads start meanwhile (dup2 gives the child its own).
        for descriptor in toChild + fromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        // The input (a server URL) is far smaller than a pipe buffer: written before the helper
        // starts, it never blocks, and cannot raise SIGPIPE if the helper exits without reading it.
        _ = input.withUnsafeBytes { write(toChild[1], $0.baseAddress, $0.count) }
        close(toChild[1])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], STDOUT_FILENO)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        // A process group of its own, so that a time-out also ends what the helper started (a
        // child holding its stdout open would otherwise keep the read below waiting).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var pid = pid_t()
        var spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        // ETXTBSY: some process still holds the helper open for writing, typically a child another
        // thread started while the file was being written (it inherited the descriptor until its own
        // exec). It passes; wait a little, for at most about two seconds.
        var attempts = 0
        while spawned == ETXTBSY, attempts < 20 {
            attempts += 1
            usleep(100_000)
            spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        }
        close(toChild[0])
        close(fromChild[1])
        guard spawned == 0 else {
            close(fromChild[0])
            return nil
        }

        // The timer kills only while the helper is not yet reaped, so its pid (and group) cannot
        // have been reused by another process: the exit is awaited without reaping, marked, then reaped.
        let state = ThreadLock()
        nonisolated(unsafe) var exited = false
        let timer = DispatchWorkItem {
            state.lock()
            if !exited { kill(-pid, SIGKILL) }
            state.unlock()
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: timer)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fromChild[0], $0.baseAddress, $0.count) }
            if count > 0 {
                output += chunk[..<count]
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(fromChild[0])
        var exit = siginfo_t()
        while waitid(P_PID, id_t(pid), &exit, WEXITED | WNOWAIT) < 0, errno == EINTR {}
        state.lock()
        exited = true
        state.unlock()
        timer.cancel()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // WIFSIGNALED / WEXITSTATUS, which Swift does not import (they are macros).
        let signal = status & 0x7F
        return Outcome(status: (status >> 8) & 0xFF, output: output, signalled: signal != 0 && signal != 0x7F)
    }
}
