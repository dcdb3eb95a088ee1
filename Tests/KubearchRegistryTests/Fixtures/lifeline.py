#!/usr/bin/env python3
"""Run a command for a test process and end it when that test process goes away.

Usage: lifeline.py [--close-inherited] [--cleanup DIR] -- COMMAND [ARG...]

The test process keeps the write end of our stdin pipe open. When it closes the pipe (a clean stop)
or dies for any reason (the kernel closes its descriptors), reading stdin hits end-of-file and we
terminate the command, so no registry or helper server outlives `swift test`. With --cleanup the
folder is removed after we stopped the command (not when it ends by itself).
"""
import os
import shutil
import signal
import subprocess
import sys
import threading


def main():
    args = sys.argv[1:]
    cleanup = None
    if args and args[0] == "--close-inherited":
        # Spawned with posix_spawn by the tests' ChildProcess: every descriptor beyond 0-2 is one
        # that leaked from another thread of the test process between its snapshot and the spawn,
        # such as the socket Foundation's Process watches to learn that a *sibling* (git, kubearch)
        # exited. Holding it would make that sibling's waitUntilExit() wait for as long as we live.
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        args = args[1:]
    if len(args) >= 2 and args[0] == "--cleanup":
        cleanup = args[1]
        args = args[2:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        sys.exit("lifeline.py: no command")

    # Without --close-inherited, descriptors beyond 0-2 are left alone: when Foundation's Process
    # started us, it learns that we exited when a socket it passed us closes, so closing it early
    # would confuse it.
    # A blocked signal mask is inherited across exec; the command must be able to get SIGTERM.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    child = subprocess.Popen(args, stdin=subprocess.DEVNULL)
    stopping = threading.Lock()

    def stop(*_):
        if not stopping.acquire(blocking=False):
            return
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if cleanup:
            shutil.rmtree(cleanup, ignore_errors=True)
        os._exit(0)

    def watch_stdin():
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            pass
        stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=watch_stdin, daemon=True).start()
    code = child.wait()
    if not stopping.acquire(blocking=False):
        # stop() is under way (it ended the command) and exits once it has cleaned up.
        threading.Event().wait()
    # A command that ends by itself (e.g. its port was taken) leaves the folder for a retry.
    os._exit(code)


if __name__ == "__main__":
    main()
