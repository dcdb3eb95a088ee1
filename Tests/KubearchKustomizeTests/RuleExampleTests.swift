import Foundation
import Testing
import KubearchCore
@testable import KubearchKustomize

/// KA011's examples are kustomizations: each is rendered as a root beside a plain Deployment.
@Suite("Kustomize: KA011 rule examples")
struct KustomizationRuleExampleTests {
    static let examples = KustomizationUnsupportedRule.examples.filter(\.isKustomization)

    @Test(arguments: examples.indices)
    func example(_ index: Int) throws {
        let example = Self.examples[index]
        let folder = try TemporaryTree([
            "kustomization.yaml": example.yaml,
            "deployment.yaml": """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    spec:
                      containers: [{name: web, image: nginx:1.25}]
                """,
        ])
        let files = SourceFiles(currentDirectory: folder.path, repositoryRoot: folder.path)
        let result = KustomizeRenderer(files: files).render(root: folder.path)
        if example.triggers {
            guard case .failure(let problem) = result else {
                Issue.record("expected KA011, rendered")
                return
            }
            #expect(problem.kind == .unsupported)
            #expect(problem.position.line == example.line)
            #expect(problem.finding(root: ".").rule == .kustomizationUnsupported)
        } else {
            guard case .success(let resources) = result else {
                Issue.record("expected a rendering, got \(result)")
                return
            }
            #expect(resources.count == 1)
        }
    }
}

/// A folder of files made for one test and removed after it.
final class TemporaryTree {
    let url: URL
    var path: String { url.path }

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("kubearch-kustomize-\(UUID().uuidString)")
        for (relative, text) in files {
            let file = url.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
        }
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
