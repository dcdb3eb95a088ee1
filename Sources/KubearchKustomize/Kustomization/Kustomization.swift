import KubearchCore

/// A value of a kustomization field and where it was written.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var position: SourcePosition
}

/// One entry of `images:` (kustomize's `Image`).
public struct ImageOverride: Sendable {
    public var name: String
    public var newName: String?
    public var newTag: String?
    public var digest: String?
    /// The entry's position: the `source` of every image it changes.
    public var origin: Origin
}

/// Which objects a patch applies to (kustomize's `Selector`); `name` and `namespace` are regular
/// expressions matched against the whole value, as kustomize matches them.
public struct PatchTarget: Sendable {
    public var group: String?
    public var version: String?
    public var kind: String?
    public var name: String?
    public var namespace: String?
    public var labelSelector: String?
    public var annotationSelector: String?
}

/// A patch as listed in a kustomization: a file or inline text, and an optional target.
public struct PatchEntry: Sendable {
    public enum Source: Sendable {
        /// A path relative to the kustomization's folder.
        case file(String)
        /// The patch written in the kustomization itself; positions inside it are relative to the
        /// block scalar, so what it sets takes the entry's position as its origin.
        case inline(String)
    }

    public var source: Source
    public var target: PatchTarget?
    public var position: SourcePosition
    /// Where the entry was written when not in the kustomization itself (a GitOps object's
    /// `spec.patches`), as a display path.
    public var file: String?

    /// A file `fix` writes and owns (`kubearch-patches.yaml`, `kubearch-patch-*.yaml`), or an inline
    /// patch `fix` wrote into a GitOps object (its text starts with the managed marker).
    public var isManaged: Bool {
        switch source {
        case .file(let path): ManagedPatches.isManagedFile(path)
        case .inline(let text): text.hasPrefix(ManagedPatches.inlineMarker)
        }
    }
}

/// A kustomization or component file, read into the fields kubearch renders (SPEC §11).
public struct Kustomization: Sendable {
    public static let fileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    /// Display path of the file.
    public var file: String
    /// Absolute path of its folder.
    public var folder: String
    public var bytes: [UInt8]
    public var root: YAMLNode
    public var isComponent: Bool
    public var resources: [Located<String>] = []
    public var components: [Located<String>] = []
    public var namespace: Located<String>?
    public var namePrefix: Located<String>?
    public var nameSuffix: Located<String>?
    public var images: [ImageOverride] = []
    /// `patchesStrategicMerge`, then `patches`, then `patchesJson6902`: three lists because kustomize
    /// applies them at different steps.
    public var strategicMergePatches: [PatchEntry] = []
    public var patches: [PatchEntry] = []
    public var json6902Patches: [PatchEntry] = []
    public var replicas: [(name: String, count: ResourceNode, origin: Origin)] = []
    public var commonAnnotations: [(key: String, value: ResourceNode)] = []
    /// Files read only as inputs of generators, configurations and the like: never scanned as manifests.
    public var otherFiles: [Located<String>] = []
    /// `replacements` and `vars`: supported only while they reach nothing kubearch judges.
    public var substitutions: [Located<String>] = []
    /// Fields kubearch does not render; the first makes the root unsupported.
    public var unsupported: [RenderProblem] = []
}
