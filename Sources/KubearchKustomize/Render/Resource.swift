import KubearchCore

/// The document a rendered object comes from: where `fix` edits it and where findings point.
public struct SourceDocument: Sendable, Hashable {
    /// Display path.
    public var file: String
    /// Absolute path.
    public var location: String
    public var documentIndex: Int
    /// Indexes through nested `kind: List` items.
    public var itemPath: [Int]
    /// The object's `kind:` key (or its start).
    public var kindPosition: SourcePosition
}

/// One object of a rendering: its tree as transformed so far, the document it came from, and every
/// name and namespace it has had (kustomize matches patches against any of them).
public struct Resource: Sendable {
    public var tree: ResourceNode
    public var document: SourceDocument
    public private(set) var identities: [(name: String?, namespace: String?)]
    /// The name and namespace the root's own `patches:` see (before its namespace and affixes): how
    /// a patch kubearch adds to the root names the object.
    public internal(set) var patchIdentity: (name: String?, namespace: String?)?

    init(tree: ResourceNode, document: SourceDocument) {
        self.tree = tree
        self.document = document
        identities = [(tree.value(at: ["metadata", "name"])?.scalar, tree.value(at: ["metadata", "namespace"])?.scalar)]
    }

    public var kind: String? { tree["kind"]?.scalar }
    public var apiVersion: String? { tree["apiVersion"]?.scalar }
    public var name: String? { tree.value(at: ["metadata", "name"])?.scalar }
    public var namespace: String? { tree.value(at: ["metadata", "namespace"])?.scalar }

    /// `group` of `apiVersion` (empty for the core group) and its `version`.
    public var groupVersion: (group: String, version: String) {
        let text = apiVersion ?? ""
        guard let slash = text.firstIndex(of: "/") else { return ("", text) }
        return (String(text[..<slash]), String(text[text.index(after: slash)...]))
    }

    /// Changes the name or namespace, remembering the old identity.
    mutating func rename(name: String? = nil, namespace: String? = nil, origin: Origin?) {
        if let name { tree.set(.string(name, origin: tree.value(at: ["metadata", "name"])?.origin ?? origin), at: ["metadata", "name"]) }
        if let namespace { tree.set(.string(namespace, origin: origin), at: ["metadata", "namespace"]) }
        identities.append((self.name, self.namespace))
    }

    /// Whether a patch naming `kind`/`name`/`namespace` is about this object under any identity it
    /// has had (an empty namespace and `default` are the same, as in kustomize).
    func isNamed(kind: String?, name: String?, namespace: String?) -> Bool {
        guard kind == nil || kind == self.kind else { return false }
        let namespaced = !ObjectTransformers.clusterScopedKinds.contains(self.kind ?? "")
        return identities.contains { identity in
            identity.name == name && (!namespaced || Self.effectiveNamespace(identity.namespace) == Self.effectiveNamespace(namespace))
        }
    }

    static func effectiveNamespace(_ namespace: String?) -> String {
        guard let namespace, !namespace.isEmpty else { return "default" }
        return namespace
    }
}

/// Reads the objects of a manifest file as resources (documents and `kind: List` items, in order).
enum ResourceLoader {
    static func load(file: String, location: String, bytes: [UInt8], position: SourcePosition, managed: Bool = false) throws(RenderProblem) -> [Resource] {
        let stream = YAMLParser.parse(bytes)
        if let error = stream.error {
            throw RenderProblem(.invalid, file: file, position: error.position, "invalid YAML: \(error.message)")
        }
        var resources: [Resource] = []
        for document in stream.documents {
            var pending: [(YAMLNode, [Int])] = [(document.root, [])]
            while let (node, itemPath) = pending.popLast() {
                let object = node.resolved
                guard object.isMapping else {
                    if object.isNull { continue }
                    throw RenderProblem(.invalid, file: file, position: object.start, "a resource must be a mapping")
                }
                if let kind = object["kind"]?.scalar, kind.hasSuffix("List"), let items = object["items"]?.sequence {
                    pending += items.enumerated().reversed().map { ($0.element, itemPath + [$0.offset]) }
                    continue
                }
                let source = SourceDocument(
                    file: file, location: location, documentIndex: document.index, itemPath: itemPath,
                    kindPosition: object.pair(forKey: "kind")?.key.start ?? object.start)
                resources.append(Resource(tree: ResourceNode(object, file: file, source: bytes, managedFile: managed), document: source))
            }
        }
        return resources
    }
}
