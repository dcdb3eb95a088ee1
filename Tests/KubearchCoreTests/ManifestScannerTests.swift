import Foundation
import Testing
@testable import KubearchCore

private func scan(_ text: String) -> ScannedFile {
    ManifestScanner.scan(path: "test.yaml", bytes: Array(text.utf8))
}

@Suite("Manifest scanner")
struct ManifestScannerTests {
    @Test func nestedListsAndKinds() throws {
        let file = scan("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: List
              items:
              - kind: PodTemplate
                metadata: {name: tpl}
                template:
                  spec:
                    containers: [{name: a, image: "alpine:3"}]
            - kind: CronJob
              metadata: {name: cj, namespace: ops}
              spec:
                jobTemplate:
                  spec:
                    template:
                      spec:
                        initContainers:
                        - {name: i, image: busybox}
                        containers:
                        - {name: c, image: nginx}
            - apiVersion: argoproj.io/v1alpha1
              kind: Rollout
              metadata: {name: ro}
              spec:
                template:
                  spec:
                    containers:
                    - name: r
                      image: quay.io/x/y@sha256:0000000000000000000000000000000000000000000000000000000000000000
            - kind: ConfigMap
              metadata: {name: not-a-workload}
              data: {image: nope}
            """)
        #expect(file.findings.isEmpty)
        #expect(file.workloads.map(\.object.name) == ["tpl", "cj", "ro"])
        #expect(file.workloads.map(\.itemPath) == [[0, 0], [1], [2]])
        #expect(file.workloads[1].object.namespace == "ops")
        #expect(file.workloads[0].object.namespace == nil)
        #expect(file.workloads.map(\.podSpecPathDescription) == ["template.spec", "spec.jobTemplate.spec.template.spec", "spec.template.spec"])
        #expect(file.workloads[1].images.map(\.reference) == ["busybox", "nginx"])
        #expect(file.workloads[1].images.map(\.isInitContainer) == [true, false])
        #expect(file.workloads[2].kindPosition.line == 24)
    }

    @Test func knownKindWithoutContainersIsStillAWorkload() {
        let file = scan("kind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n")
        #expect(file.workloads.count == 1)
        #expect(file.workloads.first?.images.isEmpty == true)
        #expect(file.findings.isEmpty)
    }

    @Test func unknownKindWithoutContainersIsNot() {
        let file = scan("kind: Widget\nspec:\n  template:\n    spec: {}\n")
        #expect(file.workloads.isEmpty)
    }

    @Test(arguments: [
        ("containers: {name: a, image: b}", "must be a list, found a mapping", 7, 19),
        ("containers: [{name: a, image: 42}]", "must be a string, found the non-string value `42`", 7, 37),
        ("containers: [{name: a, image: [x, y]}]", "must be a string, found a list", 7, 37),
        ("containers: [just-a-string]", "must be a mapping, found `just-a-string`", 7, 20),
        ("initContainers: 7", "must be a list, found the non-string value `7`", 7, 23),
    ])
    func wrongTypesAreInvalidManifest(_ snippet: String, _ message: String, _ line: Int, _ column: Int) throws {
        let file = scan("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      \(snippet)\n")
        let finding = try #require(file.findings.first)
        #expect(finding.rule == .invalidManifest)
        #expect(finding.message.contains(message), "\(finding.message)")
        #expect(finding.line == line && finding.column == column)
        #expect(finding.object?.name == "d")
    }

    @Test func syntaxErrorIsLocatedAndEarlierDocumentsScanned() throws {
        let file = scan("kind: Pod\nmetadata: {name: ok}\nspec:\n  containers: [{image: nginx}]\n---\nkind: Pod\nspec: [unclosed\n")
        #expect(file.workloads.map(\.object.name) == ["ok"])
        let finding = try #require(file.findings.first)
        #expect(finding.rule == .invalidManifest)
        #expect(finding.line == 8)
        #expect(finding.message.hasPrefix("invalid YAML:"))
        #expect(!file.isTemplate)
    }

    @Test func templatesAreSkippedWithANote() throws {
        let file = scan("kind: Pod\nspec:\n  containers:\n  - image: {{ .Values.image }}\n")
        #expect(file.isTemplate)
        #expect(file.workloads.isEmpty)
        let finding = try #require(file.findings.first)
        #expect(finding.rule == .templateSkipped)
        #expect(finding.severity == .note)
        #expect(finding.line == 4 && finding.column == 12)
    }

    @Test func templateMarkersInValidYAMLAreScanned() {
        let file = scan("kind: Pod\nspec:\n  containers:\n  - image: \"{{ .Values.image }}\"\n")
        #expect(!file.isTemplate)
        #expect(file.workloads.first?.images.first?.reference == "{{ .Values.image }}")
    }

    @Test func emptyAndScalarDocumentsAreIgnored() {
        for text in ["", "---\n", "# only a comment\n", "just text\n", "- a\n- b\n", "\u{FEFF}"] {
            let file = scan(text)
            #expect(file.workloads.isEmpty && file.findings.isEmpty, "\(text.debugDescription)")
        }
    }

    @Test func annotationsAreRead() {
        let file = scan("kind: Pod\nmetadata:\n  annotations:\n    kubearch.dev/architecture: arm64\n    n: 1\nspec: {containers: []}\n")
        #expect(file.workloads.first?.annotations == ["kubearch.dev/architecture": "arm64", "n": "1"])
    }
}

@Suite("Manifest finder")
struct ManifestFinderTests {
    @Test func walksFoldersSkippingHiddenAndExcluded() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kubearch-finder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = ["a.yaml", "b.yml", "c.json", "d.txt", ".hidden.yaml", ".git/x.yaml", "sub/e.YAML",
                     "charts/f.yaml", "sub/.cache/g.yaml", "deep/er/h.yaml"]
        for file in files {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("kind: x\n".utf8).write(to: url)
        }
        // A folder named like a manifest, and a symbolic link loop.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("dir.yaml"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("sub/loop").path, withDestinationPath: root.path)
        let finder = ManifestFinder(exclude: [Glob("charts/**")], currentDirectory: root.path)
        let found = try finder.find(["."]).map(\.displayPath)
        #expect(found == ["a.yaml", "b.yml", "c.json", "deep/er/h.yaml", "sub/e.YAML"])
        // A file named explicitly is taken whatever its extension.
        #expect(try finder.find(["d.txt"]).map(\.displayPath) == ["d.txt"])
        #expect(throws: ManifestFinderError.notFound("missing.yaml")) { try finder.find(["missing.yaml"]) }
    }

    /// The walk on the scanning workers gives what the serial walk gives: same files, same order,
    /// each once (a folder and a file inside it both named), scanned.
    @Test func parallelWalkMatchesTheSerialWalk() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kubearch-walk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var expectedKinds: [String: String] = [:]
        for team in 0..<7 {
            for app in 0..<23 {
                let relative = "t\(team)/app\(app)/\(app % 3 == 0 ? "x.yml" : "deploy.yaml")"
                let url = root.appendingPathComponent(relative)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("kind: K\(team)x\(app)\n".utf8).write(to: url)
                expectedKinds[relative] = "K\(team)x\(app)"
            }
        }
        let finder = ManifestFinder(currentDirectory: root.path)
        for paths in [["."], ["t3", "."], ["t1/app4/deploy.yaml", "t1", "t0/app0/x.yml"]] {
            let serial = try finder.find(paths)
            let parallel = try ManifestSet.process(finding: paths, with: finder) { _, file in
                file.stream.documents.first?.root["kind"]?.scalar
            }
            #expect(parallel.sources == serial)
            #expect(parallel.results.count == serial.count)
            for (source, result) in zip(parallel.sources, parallel.results) {
                #expect(try result.get() == expectedKinds[source.displayPath])
            }
        }
        #expect(try finder.find(["."]).count == 7 * 23)
        // Locations open the files, whether shared with the display path (paths below the current
        // folder) or not (a folder named by an absolute path outside it).
        for source in try finder.find(["t2"]) + ManifestFinder(currentDirectory: "/").find([root.path + "/t4"]) {
            #expect(FileManager.default.fileExists(atPath: source.location))
            #expect(source.location.hasSuffix(source.displayPath))
        }
        let outside = try ManifestFinder(currentDirectory: root.appendingPathComponent("t5").path).find([root.path + "/t6"])
        #expect(outside.first?.location == root.path + "/t6/app0/x.yml")
        #expect(outside.first?.displayPath == root.path + "/t6/app0/x.yml")
    }

    @Test(arguments: [
        ("charts/**", "charts/a/b.yaml", true), ("charts/**", "charts", true), ("charts/**", "x/charts/a.yaml", false),
        ("*.json", "a/b/c.json", true), ("*.json", "c.yaml", false), ("**/kustomization.yaml", "a/kustomization.yaml", true),
        ("a/*/c.yaml", "a/b/c.yaml", true), ("a/*/c.yaml", "a/b/x/c.yaml", false), ("a/**/c.yaml", "a/c.yaml", true),
        ("file?.yaml", "file1.yaml", true), ("file?.yaml", "file10.yaml", false),
    ])
    func globs(_ pattern: String, _ path: String, _ expected: Bool) {
        #expect(Glob(pattern).matches(path) == expected)
    }
}
