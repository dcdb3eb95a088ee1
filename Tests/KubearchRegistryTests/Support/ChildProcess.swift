import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A long-running helper process (registry, token issuer, recording server) started through
/// `Fixtures/lifeline.py`.
///
/// Why the wrapper: the child must not outlive the test process, even when that process crashes or
/// is killed. The wrapper's stdin is a pipe whose write end only this process holds; the kernel
/// closes it when we exit for any reason, the wrapper reads end-of-file and terminates the child.
/// (`PR_SET_PDEATHSIG` would fire when the *thread* that spawned the child exits, and Swift
/// concurrency's threads come and go.) The wrapper also removes `cleanupDirectory` afterwards.
///
/// Spawned with `posix_spawn` rather than Foundation's `Process`: the pipe is close-on-exec and the
/// child gets no descriptor beyond 0-2 (`addclosefrom_np`), so no other helper inherits a lifeline
/// and keeps it open, and we reap the child ourselves.
///
/// `@unchecked Sendable`: the pid and descriptors are immutable; the mutable exit state is behind `lock`.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    let logFile: URL
    private let lifelineWriteEnd: Int32
    private let lock = NSLock()
    private var exited = false
    private var lifelineClosed = false

    /// Starts `executable arguments...` (an absolute path, or a name looked up in PATH) under the
    /// lifeline wrapper, its stdout and stderr going to `logFile`.
    init(_ executable: String, _ arguments: [String], logFile: URL, cleanupDirectory: URL? = nil) throws {
        TestEnvironment.prepareLoopback()
        self.logFile = logFile
        var wrapperArguments = [TestEnvironment.fixture("lifeline.py"), "--close-inherited"]
        if let cleanupDirectory { wrapperArguments += ["--cleanup", cleanupDirectory.path] }
        wrapperArguments += ["--", executable] + arguments
        let python = TestEnvironment.python
        let argv = python.hasPrefix("/") ? [python] + wrapperArguments : ["/usr/bin/env", python] + wrapperArguments

        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw TestSupportError.toolFailed("pipe: errno \(errno)") }
        // Close-on-exec, so tools that Foundation starts meanwhile do not inherit either end.
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        let log = open(logFile.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard log >= 0 else {
            close(ends[0])
            close(ends[1])
            throw TestSupportError.toolFailed("open \(logFile.path): errno \(errno)")
        }
        defer {
            close(ends[0])
            close(log)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        posix_spawn_file_actions_adddup2(&actions, log, 1)
        posix_spawn_file_actions_adddup2(&actions, log, 2)
        // Nothing else open here may reach the child (`closefrom` is not visible to Swift's Glibc).
        for descriptor in Self.openDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        // The spawning thread may be a dispatch worker that blocks most signals, and a child
        // inherits that mask (it would then ignore SIGTERM): start from an empty mask and default
        // dispositions.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaultSignals, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var childPid: pid_t = 0
        let spawned = posix_spawn(&childPid, argv[0], &actions, &attributes, cArguments, environ)
        guard spawned == 0 else {
            close(ends[1])
            throw TestSupportError.toolFailed("posix_spawn \(argv[0]): error \(spawned)")
        }
        pid = childPid
        lifelineWriteEnd = ends[1]
    }

    private static func openDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }
    }

    /// False once the wrapper has exited (it is reaped here).
    var isRunning: Bool {
        lock.withLock {
            guard !exited else { return false }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno == ECHILD) { exited = true }
            return !exited
        }
    }

    /// The last part of the log, for error messages.
    var logTail: String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    /// Ends the child (closing the lifeline) and waits up to a few seconds for it to be gone.
    func stop() {
        let firstCall = lock.withLock { () -> Bool in
            defer { lifelineClosed = true }
            if !lifelineClosed { close(lifelineWriteEnd) }
            return !lifelineClosed
        }
        guard firstCall else { return }
        let deadline = Date().addingTimeInterval(6)
        while isRunning, Date() < deadline { usleep(10_000) }
        if isRunning {
            kill(pid, SIGKILL)
            lock.withLock {
                var status: Int32 = 0
                _ = waitpid(pid, &status, 0)
                exited = true
            }
        }
    }

    deinit {
        stop()
    }
}
