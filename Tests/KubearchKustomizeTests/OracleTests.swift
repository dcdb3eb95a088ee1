import Foundation
import Testing
import KubearchCore
@testable import KubearchKustomize

/// kubearch's rendering against `kubectl kustomize` on every root of every test tree: the fields
/// kubearch judges must be equal, object by object (SPEC §11).
@Suite("Kustomize: renderings equal kubectl kustomize's")
struct OracleTests {
    static var trees: [URL] {
        let base = TestPaths.kustomizeFixtures
        return ["edge", "real"].flatMap { group -> [URL] in
            let folder = base.appendingPathComponent(group)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.sorted().map { folder.appendingPathComponent($0) }.filter { !$0.lastPathComponent.hasSuffix(".md") }
        }
    }

    @Test(.enabled(if: KustomizeOracle.kubectl != nil, "kubectl is not installed"), arguments: trees)
    func everyRootMatches(tree folder: URL) throws {
        let (tree, files) = discoverTree(folder)
        #expect(!tree.roots.isEmpty)
        let renderer = KustomizeRenderer(files: files)
        var compared = (roots: 0, workloads: 0, refusedByBoth: 0, unsupported: 0)
        defer {
            // The figures the closing note quotes: `swift test --filter OracleTests | grep oracle:`.
            print("oracle: \(folder.lastPathComponent): \(tree.roots.count) roots, \(compared.roots) rendered by both with \(compared.workloads) workloads compared, \(compared.refusedByBoth) refused by both, \(compared.unsupported) unsupported by kubearch only")
        }
        for root in tree.roots {
            let ours = renderer.render(root: root)
            let (theirs, error) = try KustomizeOracle.render(root)
            switch (ours, theirs) {
            case (.success(let resources), let objects?):
                // Order is kustomize's output sorting, which means nothing to a judgement.
                let mine = resources.compactMap { JudgedFields.of($0.tree) }.sorted()
                let reference = objects.compactMap(JudgedFields.of).sorted()
                #expect(mine == reference, "root \(root)")
                compared.roots += 1
                compared.workloads += mine.count
            case (.failure(let problem), nil):
                // Both refuse the root; kubearch says where.
                #expect(problem.position.line >= 1, "root \(root)")
                compared.refusedByBoth += 1
            case (.failure(let problem), _?):
                // kubearch may refuse what it cannot render offline, never what it can.
                #expect(problem.kind == .unsupported, "root \(root): kubearch failed where kustomize rendered: \(problem)")
                compared.unsupported += 1
            case (.success, nil):
                Issue.record("root \(root): kustomize failed but kubearch rendered: \(error)")
            }
        }
    }
}
