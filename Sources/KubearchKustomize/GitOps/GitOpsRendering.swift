import KubearchCore

enum GitOpsRendering {
    /// Flux substitutes `${VAR}` after the build (`spec.postBuild`); where that reaches an image or a
    /// scheduling field, the rendering is not what the cluster gets, so the root is not judged.
    static func unsubstituted(_ resources: [Resource], overrides: GitOpsOverrides) -> RenderProblem? {
        guard let position = overrides.postBuild else { return nil }
        guard resources.contains(where: { KustomizeRenderer.judgedText(of: $0).contains("${") }) else { return nil }
        return RenderProblem(
            .unsupported, file: overrides.file, position: position,
            "`spec.postBuild` substitutes variables into images or scheduling fields; kubearch does not evaluate them")
    }
}
