/// One container image reference found in a pod spec.
public struct ContainerImage: Sendable {
    /// The container's `name`, nil when it has none.
    public var container: String?
    /// The reference exactly as written.
    public var reference: String
    public var isInitContainer: Bool
    /// The `image:` value node: where findings about this image point.
    public var node: YAMLNode
    /// The reference parsed and normalised once, or why it is not a valid reference.
    public var parsedReference: Result<ImageReference, ImageReferenceError>

    public var position: SourcePosition { node.start }
}

/// An object with a pod template (or a Pod), found in one document of one file.
public struct Workload: Sendable {
    public var file: String
    public var documentIndex: Int
    /// Indexes through nested `kind: List` items; empty for a top-level object.
    public var itemPath: [Int]
    public var object: ObjectIdentity
    public var objectNode: YAMLNode
    /// Where the object's `kind:` key is (or where the object starts when it has none).
    public var kindPosition: SourcePosition
    /// Keys from the object to its pod spec, e.g. `["spec", "template", "spec"]`.
    public var podSpecPath: [String]
    public var podSpec: YAMLNode
    public var images: [ContainerImage]
    /// `metadata.annotations` with string values.
    public var annotations: [String: String]

    public var isDaemonSet: Bool { object.kind == "DaemonSet" }
    public var podSpecPathDescription: String { podSpecPath.joined(separator: ".") }
}
