/// The patch files `fix` writes beside a root's kustomization (SPEC §11): everything in them counts
/// as kubearch's own constraint.
public enum ManagedPatches {
    /// Strategic-merge patches, one document per workload without required node selector terms.
    public static let strategicMergeFileName = "kubearch-patches.yaml"

    /// JSON 6902 patches for one workload with terms: `kubearch-patch-KIND-NAME.yaml`.
    public static func jsonPatchFileName(kind: String, name: String) -> String {
        "kubearch-patch-\(kind.lowercased())-\(name).yaml"
    }

    /// The first line of an inline patch `fix` writes into a GitOps object's own patches.
    public static let inlineMarker = "# managed by kubearch fix"

    public static func isManagedFile(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name == strategicMergeFileName || (name.hasPrefix("kubearch-patch-") && name.hasSuffix(".yaml"))
    }
}
