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

    /// The normalised reference, nil when the reference is invalid.
    public var canonicalReference: String? {
        guard case .success(let reference) = parsedReference else { return nil }
        return reference.canonical
    }
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
    /// The path with dots, `spec.template.spec`. The scanner's paths are shared constants, so
    /// this is usually one comparison of storage (a JSON report asks once per row).
    public var podSpecPathDescription: String {
        for known in PodSpecPath.all where known.keys == podSpecPath { return known.description }
        return podSpecPath.joined(separator: ".")
    }
}

/// The paths from an object to its pod spec for the kinds the scanner knows, made once.
enum PodSpecPath {
    static let pod = (keys: ["spec"], description: "spec")
    static let template = (keys: ["spec", "template", "spec"], description: "spec.template.spec")
    static let cronJob = (keys: ["spec", "jobTemplate", "spec", "template", "spec"], description: "spec.jobTemplate.spec.template.spec")
    static let podTemplate = (keys: ["template", "spec"], description: "template.spec")
    static let all = [template, pod, cronJob, podTemplate]
}
