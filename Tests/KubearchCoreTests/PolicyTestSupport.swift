@testable import KubearchCore

/// Scans `yaml` and evaluates its workloads; `images` maps each reference as written to its platforms
/// (a reference missing from the map is unresolved).
func evaluatePolicy(_ yaml: String, images: [String: [String]], settings: PolicySettings = PolicySettings()) -> [WorkloadEvaluation] {
    let file = ManifestScanner.scan(path: "policy.yaml", bytes: Array(yaml.utf8))
    return WorkloadEvaluator(settings: settings).evaluate(file) { image in
        guard let platforms = images[image.reference] else { return .unresolved(reason: "unknown to the test") }
        return .resolved(digest: nil, platforms: platforms.compactMap(Platform.init(parsing:)))
    }
}

/// A Deployment `web` whose pod spec is `podSpec` (indented by six spaces), with optional annotations.
func deployment(kind: String = "Deployment", annotations: [String: String] = [:], podSpec: String) -> String {
    var text = "apiVersion: apps/v1\nkind: \(kind)\nmetadata:\n  name: web\n"
    if !annotations.isEmpty {
        text += "  annotations:\n" + annotations.sorted { $0.key < $1.key }.map { "    \($0.key): \"\($0.value)\"\n" }.joined()
    }
    text += "spec:\n  template:\n    spec:\n"
    text += podSpec.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
    return text
}
