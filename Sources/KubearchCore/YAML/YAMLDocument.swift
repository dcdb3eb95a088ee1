/// One document of a YAML stream.
public struct YAMLDocument: Sendable {
    /// 0-based position of the document in its stream.
    public var index: Int
    public var root: YAMLNode
    /// From the document's first byte (its `---` when explicit) to its end (after `...` when explicit).
    public var range: SourceRange
    public var hasExplicitStart: Bool
    public var hasExplicitEnd: Bool
}

/// A syntax error, located where libyaml found it.
public struct YAMLSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var position: SourcePosition

    public init(message: String, position: SourcePosition) {
        self.message = message
        self.position = position
    }

    public var description: String { "\(position): \(message)" }
}

/// The line break a file uses, detected from its first one.
public enum LineEnding: Sendable, Hashable {
    case lf, crlf

    public var text: String { self == .lf ? "\n" : "\r\n" }
}

/// Every document of a file, plus the syntax error that stopped parsing, if any. Documents before the
/// error are kept, so one broken document does not hide the ones before it.
public struct YAMLStream: Sendable {
    public var documents: [YAMLDocument]
    public var error: YAMLSyntaxError?
    public var hasBOM: Bool
    public var lineEnding: LineEnding
    /// Keys written twice in one mapping, in source order. YAML forbids them and Kubernetes' strict
    /// decoder rejects the object; the model keeps the first value.
    public var duplicateKeys: [YAMLDuplicateKey] = []
}

/// A mapping key that repeats an earlier key of the same mapping.
public struct YAMLDuplicateKey: Sendable, Hashable {
    public var key: String
    /// The repeated key.
    public var position: SourcePosition
    /// The first occurrence.
    public var firstPosition: SourcePosition
}
