/// A lockfile that cannot be used, located like a compiler error: `kubearch.lock:5:13: …`.
public struct LockfileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// Where in the file; nil when the file could not be read at all.
    public var position: SourcePosition?
    public var message: String

    public init(path: String, position: SourcePosition?, message: String) {
        self.path = path
        self.position = position
        self.message = message
    }

    public var description: String {
        if let position { return "\(path):\(position.line):\(position.column): \(message)" }
        return "\(path): \(message)"
    }
}
