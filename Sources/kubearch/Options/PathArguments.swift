import ArgumentParser

/// The PATH... arguments every scanning command takes.
struct PathArguments: ParsableArguments {
    @Argument(help: "Files or folders to scan (folders are walked recursively); '-' reads standard input.")
    var paths: [String] = ["."]
}
