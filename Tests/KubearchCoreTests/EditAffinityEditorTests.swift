import Testing
@testable import KubearchCore

/// Edge cases of the editor, on small inline manifests.
@Suite("Affinity editor")
struct EditAffinityEditorTests {
    static let cluster: Set<String> = ["amd64", "arm64"]

    private func fix(_ text: String, _ architectures: [String], preferred: String? = nil) throws -> String? {
        let file = ManifestScanner.scan(path: "test.yaml", bytes: Array(text.utf8))
        let plan = FixPlan(architectures: architectures, preferredArchitecture: preferred, fixes: [.missingArchitectureConstraint])
        guard let fixed = try Fixer.fix(file: file, plans: file.workloads.map { ($0, plan) }) else { return nil }
        let again = ManifestScanner.scan(path: "test.yaml", bytes: fixed)
        #expect(try Fixer.fix(file: again, plans: again.workloads.map { ($0, plan) }) == nil, "not idempotent")
        return String(decoding: fixed, as: UTF8.self)
    }

    private func allowed(_ text: String) -> [[String]] {
        let bytes = Array(text.utf8)
        return ManifestScanner.scan(path: "test.yaml", bytes: bytes).workloads.map {
            NodeConstraints(podSpec: $0.podSpec, source: bytes).allowedArchitectures(within: Self.cluster).sorted()
        }
    }

    @Test func nullAffinityWithACommentKeepsTheComment() throws {
        let text = "kind: Pod\nspec:\n  containers: [{image: a}]\n  affinity: null # set by helm\n"
        let fixed = try #require(try fix(text, ["arm64"]))
        #expect(fixed.hasPrefix("kind: Pod\nspec:\n  containers: [{image: a}]\n  affinity: # set by helm\n    nodeAffinity:\n"))
        #expect(allowed(fixed) == [["arm64"]])
    }

    @Test func emptyKeyGetsBlockContent() throws {
        let text = "kind: Pod\nspec:\n  affinity:\n  containers:\n  - image: a\n"
        let fixed = try #require(try fix(text, ["amd64"]))
        #expect(fixed.hasPrefix("kind: Pod\nspec:\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"))
        #expect(fixed.hasSuffix("  containers:\n  - image: a\n"))
    }

    @Test func flowPodSpecInTheMiddleOfALineBreaksAfterTheMarker() throws {
        let text = "kind: List\nitems: [{kind: Pod, spec: {affinity: {}, containers: [{image: a}]}}, {kind: Pod, spec: {containers: [{image: b}]}}]\n"
        let fixed = try #require(try fix(text, ["arm64"]))
        #expect(allowed(fixed) == [["arm64"], ["arm64"]])
        #expect(fixed.components(separatedBy: ManagedMarker.comment).count == 3)
    }

    @Test func existingFlowTermsGainTheExpression() throws {
        let text = """
            kind: Pod
            spec:
              containers: [{image: a}]
              affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: Exists}]}, {matchFields: [{key: metadata.name, operator: In, values: [n1]}]}]}}}

            """
        let fixed = try #require(try fix(text, ["arm64"]))
        // The first term's marker must end its line, so the second term moves to the next one.
        #expect(fixed.contains("[{key: zone, operator: Exists}, {key: kubernetes.io/arch, operator: In, values: [arm64]}]}, # managed by kubearch\n    {matchFields:"))
        #expect(fixed.hasSuffix("matchExpressions: [{key: kubernetes.io/arch, operator: In, values: [arm64]}]}]}}} # managed by kubearch\n"))
        #expect(allowed(fixed) == [["arm64"]])
    }

    @Test func preferInFlowStyleMarksBothExpressions() throws {
        let text = "kind: Pod\nspec: {containers: [{image: a}]}\n"
        let fixed = try #require(try fix(text, ["amd64", "arm64"], preferred: "arm64"))
        let file = ManifestScanner.scan(path: "t", bytes: Array(fixed.utf8))
        let podSpec = try #require(file.workloads.first?.podSpec)
        #expect(NodeConstraints(podSpec: podSpec, source: file.bytes).managedExpressions.count == 1)
        let preference = try #require(podSpec.value(at: ["affinity", "nodeAffinity", AffinitySnippets.preferred])?.sequence?.first?["preference"])
        let expression = try #require(preference["matchExpressions"]?.sequence?.first)
        #expect(ManagedMarker.isManaged(expression, in: file.bytes))
    }

    @Test func preferredOnlyPlanLeavesRequiredAlone() throws {
        let text = "kind: Pod\nspec:\n  containers:\n  - image: a\n"
        let fixed = try #require(try fix(text, [], preferred: "amd64"))
        #expect(!fixed.contains("required"))
        #expect(fixed.contains("- weight: 100\n"))
    }

    @Test func aTermAlreadyWithinDIsLeftAlone() throws {
        let text = """
            kind: Pod
            spec:
              containers:
              - image: a
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                    - matchExpressions:
                      - {key: kubernetes.io/arch, operator: In, values: [arm64]}
                    - matchExpressions:
                      - {key: kubernetes.io/arch, operator: NotIn, values: [arm64]}

            """
        let fixed = try #require(try fix(text, ["arm64"]))
        // Only the second term needs narrowing (to nothing: A ∩ D is empty there).
        #expect(fixed.components(separatedBy: ManagedMarker.comment).count == 2)
        #expect(allowed(fixed) == [["arm64"]])
    }

    @Test func ka007ReadsTheValuesStyleBack() throws {
        let text = """
            kind: Pod
            spec:
              containers:
              - image: a
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                    - matchExpressions:
                      - key: kubernetes.io/arch
                        operator: In
                        values:
                        - "amd64"
                        - "arm64" # managed by kubearch

            """
        let fixed = try #require(try fix(text, ["arm64"]))
        #expect(fixed.hasSuffix("            values:\n            - \"arm64\" # managed by kubearch\n"))
        #expect(try fix(text.replacingOccurrences(of: "- \"amd64\"\n            ", with: ""), ["arm64"]) == nil)
    }

    @Test func aPodSpecSharedThroughAnAnchorIsRefused() {
        let text = """
            kind: List
            items:
            - kind: Deployment
              spec:
                template:
                  spec: &shared
                    containers:
                    - image: a
            - kind: Deployment
              spec:
                template:
                  spec: *shared

            """
        let file = ManifestScanner.scan(path: "t", bytes: Array(text.utf8))
        let plan = FixPlan(architectures: ["arm64"], fixes: [])
        #expect(file.workloads.count == 2)
        for workload in file.workloads {
            #expect(throws: FixError.self) { try AffinityEditor.edits(for: workload, plan: plan, in: file) }
        }
    }

    @Test func affinityFromAMergeKeyIsRefused() {
        let text = """
            base: &base
              affinity:
                podAffinity: {}
            ---
            kind: Pod
            spec:
              <<: {affinity: {nodeAffinity: {}}}
              containers:
              - image: a

            """
        let file = ManifestScanner.scan(path: "t", bytes: Array(text.utf8))
        guard let workload = file.workloads.first else {
            Issue.record("no workload")
            return
        }
        #expect(throws: FixError.sharedNode(path: "spec.affinity")) {
            try AffinityEditor.edits(for: workload, plan: FixPlan(architectures: ["arm64"], fixes: []), in: file)
        }
    }

    @Test func aScalarAffinityIsRefused() {
        let file = ManifestScanner.scan(path: "t", bytes: Array("kind: Pod\nspec:\n  affinity: yes\n  containers: []\n".utf8))
        guard let workload = file.workloads.first else {
            Issue.record("no workload")
            return
        }
        #expect(throws: FixError.self) { try AffinityEditor.edits(for: workload, plan: FixPlan(architectures: ["arm64"], fixes: []), in: file) }
    }

    @Test func unparsableFilesAreRefused() {
        let file = ManifestScanner.scan(path: "t", bytes: Array("kind: Pod\nspec:\n  containers:\n  - image: a\n---\n: : [\n".utf8))
        guard let workload = file.workloads.first else {
            Issue.record("no workload")
            return
        }
        #expect(throws: FixError.self) { try Fixer.fix(file: file, plans: [(workload, FixPlan(architectures: ["arm64"], fixes: []))]) }
    }

    @Test func valuesThatYAMLWouldReadAsNumbersAreQuoted() throws {
        let fixed = try #require(try fix("kind: Pod\nspec:\n  containers:\n  - image: a\n", ["386", "amd64"]))
        #expect(fixed.contains("values: [\"386\", amd64] # managed by kubearch"))
    }

    @Test func theVerifierRejectsAnEditThatTouchesSomethingElse() throws {
        let text = "kind: Pod\nspec:\n  containers:\n  - image: a\n"
        let file = ManifestScanner.scan(path: "t", bytes: Array(text.utf8))
        let workload = try #require(file.workloads.first)
        let plan = FixPlan(architectures: ["arm64"], fixes: [])
        let edits = try AffinityEditor.edits(for: workload, plan: plan, in: file)
        let good = try TextEdit.apply(edits, to: file.bytes)
        try FixVerifier.verify(original: file, fixed: good, plans: [(workload, plan)])
        // The same edit plus a changed image; the managed expression without its marker; a wider D.
        let tampered = [
            String(decoding: good, as: UTF8.self).replacingOccurrences(of: "image: a", with: "image: b"),
            String(decoding: good, as: UTF8.self).replacingOccurrences(of: " # managed by kubearch", with: ""),
            String(decoding: good, as: UTF8.self).replacingOccurrences(of: "[arm64]", with: "[amd64, arm64]"),
            String(decoding: good, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n"),
        ]
        for text in tampered {
            #expect(throws: FixError.self) { try FixVerifier.verify(original: file, fixed: Array(text.utf8), plans: [(workload, plan)]) }
        }
    }

    @Test func theVerifierRejectsASecondAffinityKeyAndAMovedPodSpec() throws {
        let text = "kind: List\nitems:\n- kind: Pod\n  spec:\n    affinity:\n      podAntiAffinity: {}\n    containers:\n    - image: a\n"
        let file = ManifestScanner.scan(path: "t", bytes: Array(text.utf8))
        let workload = try #require(file.workloads.first)
        #expect(workload.itemPath == [0])
        let plan = FixPlan(architectures: ["arm64"], fixes: [])
        let good = try TextEdit.apply(try AffinityEditor.edits(for: workload, plan: plan, in: file), to: file.bytes)
        try FixVerifier.verify(original: file, fixed: good, plans: [(workload, plan)])
        let expression = "nodeAffinity:\n        requiredDuringSchedulingIgnoredDuringExecution:\n          nodeSelectorTerms:\n"
            + "          - matchExpressions:\n            - key: kubernetes.io/arch\n              operator: In\n"
            + "              values: [arm64] # managed by kubearch\n"
        // The intended nodeAffinity, but under a second `affinity` key that Kubernetes rejects.
        let secondAffinity = text + "    affinity:\n      " + expression
        #expect(throws: FixError.verificationFailed("the new text has a duplicate key")) {
            try FixVerifier.verify(original: file, fixed: Array(secondAffinity.utf8), plans: [(workload, plan)])
        }
        // The intended edit, with the pod moved out of its List item.
        let moved = String(decoding: good, as: UTF8.self).replacingOccurrences(of: "kind: List\nitems:\n- ", with: "kind: List\nother:\n- ")
        #expect(throws: FixError.self) { try FixVerifier.verify(original: file, fixed: Array(moved.utf8), plans: [(workload, plan)]) }
    }

    /// Pretty-printed JSON nested by four: the inserted objects nest by four too.
    @Test func prettyJSONNestsInsertedObjectsByItsOwnStep() throws {
        let text = """
            {
                "kind": "Pod",
                "metadata": {
                    "name": "p"
                },
                "spec": {
                    "containers": [
                        {
                            "image": "a"
                        }
                    ]
                }
            }

            """
        let file = ManifestScanner.scan(path: "t", bytes: Array(text.utf8))
        let workload = try #require(file.workloads.first)
        let fixed = try #require(try Fixer.fix(file: file, plans: [(workload, FixPlan(architectures: ["arm64"], fixes: []))]))
        let old = Set(text.split(separator: "\n"))
        let added = String(decoding: fixed, as: UTF8.self).split(separator: "\n").filter { !old.contains($0) }
        #expect(added.count > 3)
        #expect(added.allSatisfy { $0.prefix { $0 == " " }.count % 4 == 0 }, "\(added.joined(separator: "\n"))")
    }
}
