import KubearchCore

/// What a GitOps controller sets on top of the folder its object names (SPEC §11), and how it
/// renders that folder. The controllers write these fields into the folder's kustomization before
/// they build it (Flux's kustomize generator and Argo CD's `kustomize edit` both edit it in place),
/// so kubearch merges them into the same kustomization: the object's patches follow the folder's
/// own, its images replace an entry of the same name, its namespace and affixes replace the folder's.
public struct GitOpsOverrides: Sendable {
    public enum Controller: Sendable, Hashable {
        case flux, argoCD
    }

    public var controller: Controller
    /// Display path of the object's file: where the overrides are written.
    public var file: String
    /// The object's path field (problems about the folder point here).
    public var pathPosition: SourcePosition
    public var images: [ImageOverride] = []
    /// Entries carry `file`, since they are not written in the kustomization they join.
    public var patches: [PatchEntry] = []
    public var namespace: Located<String>?
    public var namePrefix: Located<String>?
    public var nameSuffix: Located<String>?
    /// Folders relative to the named one, as the object lists them.
    public var components: [Located<String>] = []
    /// Argo CD `directory.recurse`: a plain folder's subfolders count too.
    public var recurse = false
    /// Another GitOps object or kustomization renders the named folder too, so `fix` must not change
    /// the folder's kustomization for this object alone.
    public var folderIsShared = false
    /// Flux `spec.postBuild`: variables substituted after the build, which kubearch does not evaluate.
    public var postBuild: SourcePosition?

    public init(controller: Controller, file: String, pathPosition: SourcePosition) {
        self.controller = controller
        self.file = file
        self.pathPosition = pathPosition
    }

    /// Whether the object changes anything on top of its folder (Argo CD applies such changes only
    /// to a kustomization, never to a plain folder).
    var changesRendering: Bool {
        !images.isEmpty || !patches.isEmpty || namespace != nil || namePrefix != nil || nameSuffix != nil || !components.isEmpty
    }

    /// The same overrides without image changes (to learn whether they decide a constraint).
    public var withoutImages: GitOpsOverrides {
        var copy = self
        copy.images = []
        return copy
    }

    /// Flux builds with kustomize's `LoadRestrictionsNone`; Argo CD with kustomize's default.
    var loadsOutsideFolders: Bool { controller == .flux }

    /// The folder's kustomization with the object's fields merged in, as the controller writes it.
    func merge(into kustomization: inout Kustomization) {
        if let namespace { kustomization.namespace = namespace }
        if let namePrefix { kustomization.namePrefix = namePrefix }
        if let nameSuffix { kustomization.nameSuffix = nameSuffix }
        for image in images {
            if let index = kustomization.images.firstIndex(where: { $0.name == image.name }) {
                kustomization.images[index] = image
            } else {
                kustomization.images.append(image)
            }
        }
        kustomization.patches += patches
        kustomization.components += components.map { Located(value: SourceFiles.resolve($0.value, in: kustomization.folder), position: $0.position) }
    }
}
