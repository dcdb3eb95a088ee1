/// A configuration file that cannot be used: unreadable, not YAML, or a key or value kubearch does not
/// accept. The description names the file, the line and column, and the key path, as compilers do:
/// `.kubearch.yaml:4:3: unknown key 'clustr' (expected one of: version, cluster, …)`.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path of the configuration file, as it was given.
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
