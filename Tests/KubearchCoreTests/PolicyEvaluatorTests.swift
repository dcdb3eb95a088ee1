import Testing
@testable import KubearchCore

private let multiArch = ["linux/amd64", "linux/arm64/v8", "linux/arm/v7"]

@Suite("Policy evaluator")
struct PolicyEvaluatorTests {
    // MARK: A and constraints

    @Test func twoRequiredTermsWhereOnlyOneHasAnArchExpressionAllowTheWholeCluster() throws {
        let yaml = deployment(podSpec: """
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - {key: kubernetes.io/arch, operator: In, values: [arm64]}
                  - matchExpressions:
                    - {key: topology.kubernetes.io/zone, operator: In, values: [eu-1a]}
            containers:
            - {name: app, image: "app:1"}
            """)
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/arm64"]]).first)
        #expect(evaluation.allowed == ["amd64", "arm64"])
        #expect(evaluation.supported == ["arm64"])
        let finding = try #require(evaluation.findings.first)
        #expect(evaluation.findings.map(\.rule) == [.constraintConflict])
        // Points at the second term, the one that lets pods onto amd64 nodes.
        #expect(finding.line == 14)
        #expect(finding.message.contains("term 2"))
        #expect(finding.fixable)
        #expect(evaluation.fixPlan == FixPlan(architectures: ["arm64"], fixes: [.constraintConflict]))
    }

    @Test func notInExcludesTheNamedArchitecture() throws {
        let yaml = deployment(podSpec: """
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - key: kubernetes.io/arch
                      operator: NotIn
                      values: [arm64]
            containers:
            - {name: app, image: "app:1"}
            """)
        let fine = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/amd64"]]).first)
        #expect(fine.allowed == ["amd64"])
        #expect(fine.findings.isEmpty)
        #expect(fine.fixPlan == nil)

        let conflicting = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/arm64"]]).first)
        #expect(conflicting.findings.map(\.rule) == [.constraintConflict])
        // A∩D is empty: narrowing would leave nothing, so fix cannot help.
        #expect(conflicting.findings.first?.fixable == false)
        #expect(conflicting.findings.first?.line == 13)
        #expect(conflicting.fixPlan == nil)
    }

    @Test func betaArchitectureLabelInNodeSelectorConstrains() throws {
        let yaml = deployment(podSpec: """
            nodeSelector:
              beta.kubernetes.io/arch: amd64
            containers:
            - {name: app, image: "app:1"}
            """)
        let fine = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/amd64"]]).first)
        #expect(fine.allowed == ["amd64"])
        #expect(fine.findings.isEmpty)

        let conflicting = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/arm64"]]).first)
        let finding = try #require(conflicting.findings.first)
        #expect(finding.rule == .constraintConflict)
        #expect((finding.line, finding.column) == (9, 34))
        // A nodeSelector is the user's; fix edits affinity only.
        #expect(!finding.fixable)
        #expect(finding.message.contains("beta.kubernetes.io/arch"))
    }

    // MARK: OS

    @Test func windowsPodCountsOnlyWindowsEntriesAgainstWindowsArchitectures() throws {
        let yaml = deployment(podSpec: """
            nodeSelector:
              kubernetes.io/os: windows
            containers:
            - {name: app, image: "app:1"}
            """)
        let images = ["app:1": ["windows/amd64", "linux/arm64", "linux/amd64"]]
        let evaluation = try #require(evaluatePolicy(yaml, images: images).first)
        #expect(evaluation.os == "windows")
        #expect(evaluation.cluster == ["amd64"])
        #expect(evaluation.supported == ["amd64"])
        #expect(evaluation.findings.isEmpty)

        // With arm64 windows nodes the linux/arm64 entry does not help.
        let settings = PolicySettings(windowsArchitectures: ["amd64", "arm64"])
        let wider = try #require(evaluatePolicy(yaml, images: images, settings: settings).first)
        #expect(wider.supported == ["amd64"])
        #expect(wider.findings.map(\.rule) == [.missingArchitectureConstraint])
        #expect(wider.findings.first?.message.contains("windows/arm64") == true)
    }

    @Test func windowsFromARequiredTerm() throws {
        let yaml = deployment(podSpec: """
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - {key: kubernetes.io/os, operator: In, values: [windows]}
            containers:
            - {name: app, image: "app:1"}
            """)
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/amd64"]]).first)
        #expect(evaluation.os == "windows")
        // Only a KA006 for the linux-only image: no KA001 on top of it.
        #expect(evaluation.findings.map(\.rule) == [.osMismatch])
        #expect(evaluation.findings.first?.line == 15)
    }

    @Test func osMismatchSilencesRulesThatCompareWithSupport() throws {
        let yaml = deployment(annotations: ["kubearch.dev/architecture": "arm64"], podSpec: """
            containers:
            - {name: app, image: "app:1"}
            - {name: win, image: "win:1"}
            """)
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/arm64"], "win:1": ["windows/amd64"]]).first)
        #expect(evaluation.findings.map(\.rule) == [.osMismatch])
        #expect(evaluation.supported == [])
        #expect(evaluation.desired == nil)
    }

    // MARK: S

    @Test func initContainersNarrowSupport() throws {
        let yaml = deployment(podSpec: """
            initContainers:
            - {name: migrate, image: "migrate:1"}
            containers:
            - {name: app, image: "app:1"}
            """)
        let evaluation = try #require(evaluatePolicy(yaml, images: ["migrate:1": ["linux/amd64"], "app:1": multiArch]).first)
        #expect(evaluation.supported == ["amd64"])
        let finding = try #require(evaluation.findings.first)
        #expect(finding.rule == .missingArchitectureConstraint)
        #expect(finding.message.contains("init container migrate"))
        #expect(finding.message.contains("kubernetes.io/arch In [amd64]"))
        #expect(evaluation.fixPlan == FixPlan(architectures: ["amd64"], fixes: [.missingArchitectureConstraint]))
    }

    @Test func variantsCollapseToNodeArchitectures() throws {
        let yaml = deployment(podSpec: "containers:\n- {name: app, image: \"app:1\"}")
        let settings = PolicySettings(clusterArchitectures: ["amd64", "arm64", "arm"])
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/arm/v7", "linux/arm64/v8"]], settings: settings).first)
        #expect(evaluation.supported == ["arm", "arm64"])
        #expect(evaluation.desired == ["arm", "arm64"])
        #expect(evaluation.fixPlan?.architectures == ["arm", "arm64"])
        #expect(evaluation.findings.first?.message.contains("has no linux/amd64 entry") == true)
    }

    @Test func singleArchitectureImageIsNotAssumedToBeAmd64() throws {
        let yaml = deployment(podSpec: "containers:\n- {name: app, image: \"quay.io/x:1\"}")
        let evaluation = try #require(evaluatePolicy(yaml, images: ["quay.io/x:1": ["linux/arm64"]]).first)
        #expect(evaluation.supported == ["arm64"])
        #expect(evaluation.findings.first?.message
            == "Deployment web: images run only on [arm64] (image quay.io/x:1 (container app) has no linux/amd64 entry) but nothing keeps pods off amd64 nodes; add nodeAffinity kubernetes.io/arch In [arm64]")
    }

    // MARK: Precedence

    @Test func unresolvedImageReportsOnlyKA005PerImage() throws {
        let yaml = deployment(podSpec: """
            containers:
            - {name: a, image: "a:1"}
            - {name: b, image: "b:1"}
            - {name: c, image: "c:1"}
            """)
        let evaluation = try #require(evaluatePolicy(yaml, images: ["c:1": ["linux/amd64"]]).first)
        #expect(evaluation.findings.map(\.rule) == [.unresolvedImage, .unresolvedImage])
        #expect(evaluation.findings.map(\.line) == [9, 10])
        #expect(evaluation.supported == nil)
        #expect(evaluation.desired == nil)
        #expect(evaluation.fixPlan == nil)
        #expect(evaluation.resolutions.count == 3)
    }

    @Test func podWithNodeNameIsSkipped() throws {
        let yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: pinned}
            spec:
              nodeName: worker-1
              nodeSelector: {kubernetes.io/arch: s390x}
              containers: [{name: app, image: "app:1"}, {name: b, image: "missing:1"}]
            """
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/amd64"]]).first)
        #expect(evaluation.isSkipped)
        #expect(evaluation.findings.isEmpty)
        #expect(evaluation.fixPlan == nil)

        let resolved = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/amd64"], "missing:1": ["linux/amd64"]]).first)
        #expect(resolved.isSkipped && resolved.findings.isEmpty)
        #expect(resolved.supported == ["amd64"])
    }

    // MARK: DaemonSets

    @Test func perArchitectureDaemonSetGetsANoteOnly() throws {
        // Like flannel's old kube-flannel-ds-arm64: one DaemonSet per architecture.
        let yaml = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: kube-flannel-ds-arm64
              namespace: kube-system
            spec:
              template:
                spec:
                  hostNetwork: true
                  nodeSelector:
                    beta.kubernetes.io/os: linux
                    beta.kubernetes.io/arch: arm64
                  initContainers:
                  - name: install-cni
                    image: quay.io/coreos/flannel:v0.11.0-arm64
                  containers:
                  - name: kube-flannel
                    image: quay.io/coreos/flannel:v0.11.0-arm64
            """
        let evaluation = try #require(evaluatePolicy(yaml, images: ["quay.io/coreos/flannel:v0.11.0-arm64": ["linux/arm64"]]).first)
        #expect(evaluation.allowed == ["arm64"])
        #expect(evaluation.findings.map(\.rule) == [.daemonSetPartialCoverage])
        #expect(evaluation.findings.allSatisfy { $0.severity == .note && !$0.fixable })
        #expect(evaluation.fixPlan == nil)
    }

    @Test func unconstrainedSingleArchitectureDaemonSetIsAGap() throws {
        let yaml = deployment(kind: "DaemonSet", podSpec: "containers:\n- {name: agent, image: \"agent:1\"}")
        let evaluation = try #require(evaluatePolicy(yaml, images: ["agent:1": ["linux/amd64"]]).first)
        #expect(evaluation.findings.map(\.rule) == [.daemonSetArchitectureGap])
        #expect(evaluation.findings.first?.message.contains("arm64 nodes crash") == true)
        #expect(evaluation.fixPlan == FixPlan(architectures: ["amd64"], fixes: [.daemonSetArchitectureGap]))
    }

    // MARK: Annotations

    @Test func architectureAnnotationOverridesTheStrategy() throws {
        let yaml = deployment(annotations: ["kubearch.dev/architecture": "arm64"], podSpec: "containers:\n- {name: app, image: \"app:1\"}")
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": multiArch], settings: PolicySettings(strategy: .pin)).first)
        #expect(evaluation.desired == ["arm64"])
        #expect(evaluation.findings.map(\.rule) == [.missingArchitectureConstraint])
        #expect(evaluation.findings.first?.message.contains("annotation kubearch.dev/architecture asks for [arm64]") == true)
        #expect(evaluation.fixPlan?.architectures == ["arm64"])
    }

    @Test func architectureAnnotationTakesACommaList() throws {
        let yaml = deployment(annotations: ["kubearch.dev/architecture": "arm64, amd64"], podSpec: "containers:\n- {name: app, image: \"app:1\"}")
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": multiArch], settings: PolicySettings(strategy: .pin)).first)
        #expect(evaluation.desired == ["amd64", "arm64"])
        #expect(evaluation.findings.isEmpty)
    }

    @Test func conflictingAnnotationLeavesNothingToFix() throws {
        let yaml = deployment(annotations: ["kubearch.dev/architecture": "arm64"], podSpec: "containers:\n- {name: app, image: \"app:1\"}")
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/amd64"]]).first)
        #expect(evaluation.desired == nil)
        #expect(evaluation.findings.map(\.rule) == [.constraintConflict])
        #expect(evaluation.findings.first?.line == 6)
        #expect(evaluation.fixPlan == nil)
    }

    @Test(arguments: ["KA004", "ka004,KA002", "all", "missing-architecture-constraint", " KA001 , KA004 "])
    func ignoreAnnotationSilences(_ value: String) throws {
        let yaml = deployment(annotations: ["kubearch.dev/ignore": value], podSpec: "containers:\n- {name: app, image: \"app:1\"}")
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/arm64"]]).first)
        #expect(evaluation.findings.isEmpty)
        // A silenced finding is not fixed either.
        #expect(evaluation.fixPlan == nil)
    }

    @Test func ignoreAnnotationLeavesOtherRules() throws {
        let yaml = deployment(annotations: ["kubearch.dev/ignore": "KA002"], podSpec: "containers:\n- {name: app, image: \"app:1\"}")
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/arm64"]]).first)
        #expect(evaluation.findings.map(\.rule) == [.missingArchitectureConstraint])
    }

    // MARK: Severity

    @Test func severityOverrideChangesAndOffDrops() throws {
        let yaml = deployment(podSpec: "containers:\n- {name: app, image: \"app:1\"}")
        let images = ["app:1": ["linux/arm64"]]
        let warning = try #require(evaluatePolicy(yaml, images: images, settings: PolicySettings(severityOverrides: [.missingArchitectureConstraint: .warning])).first)
        #expect(warning.findings.map(\.severity) == [.warning])
        #expect(warning.fixPlan != nil)

        let off = try #require(evaluatePolicy(yaml, images: images, settings: PolicySettings(severityOverrides: [.missingArchitectureConstraint: nil])).first)
        #expect(off.findings.isEmpty)
        #expect(off.fixPlan == nil)
    }

    @Test func scannerFindingsTakeSeveritiesAndObjectIgnores() {
        let yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: a
              annotations: {kubearch.dev/ignore: KA008}
            spec:
              containers: [{name: x, image: 42}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b}
            spec:
              containers: [{name: x, image: true}]
            ---
            kind: [broken
            """
        let file = ManifestScanner.scan(path: "p.yaml", bytes: Array(yaml.utf8))
        #expect(file.findings.count == 3)
        let evaluator = WorkloadEvaluator(settings: PolicySettings(severityOverrides: [.invalidManifest: .warning]))
        let findings = evaluator.scannerFindings(of: file)
        // The syntax error is on the unterminated last line (15), not on a line after it.
        #expect(findings.map(\.line) == [13, 15])
        #expect(findings.allSatisfy { $0.severity == .warning })

        let off = WorkloadEvaluator(settings: PolicySettings(severityOverrides: [.invalidManifest: nil]))
        #expect(off.scannerFindings(of: file).isEmpty)
    }

    // MARK: Strategies

    @Test func pinConstrainsToThePreferredArchitecture() throws {
        let yaml = deployment(podSpec: "containers:\n- {name: app, image: \"app:1\"}")
        let settings = PolicySettings(strategy: .pin, preferredArchitecture: "arm64")
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": multiArch], settings: settings).first)
        #expect(evaluation.desired == ["arm64"])
        #expect(evaluation.fixPlan == FixPlan(architectures: ["arm64"], fixes: [.missingArchitectureConstraint]))
        #expect(evaluation.findings.first?.message.contains("strategy pin wants [arm64]") == true)

        // The preferred architecture is not supported: D = S.
        let other = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/amd64"]], settings: settings).first)
        #expect(other.desired == ["amd64"])
        #expect(other.fixPlan?.architectures == ["amd64"])
    }

    @Test func pinLeavesAConstraintWithinSupportAlone() throws {
        let yaml = deployment(podSpec: """
            nodeSelector: {kubernetes.io/arch: amd64}
            containers:
            - {name: app, image: "app:1"}
            """)
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": multiArch], settings: PolicySettings(strategy: .pin, preferredArchitecture: "arm64")).first)
        #expect(evaluation.allowed == ["amd64"])
        #expect(evaluation.desired == ["arm64"])
        #expect(evaluation.findings.isEmpty)
    }

    @Test func preferPlansAPreferredTermOnlyWhenThereIsAChoice() throws {
        let yaml = deployment(podSpec: "containers:\n- {name: app, image: \"app:1\"}")
        let settings = PolicySettings(clusterArchitectures: ["amd64", "arm64", "s390x"], strategy: .prefer)
        let choice = try #require(evaluatePolicy(yaml, images: ["app:1": multiArch], settings: settings).first)
        #expect(choice.fixPlan == FixPlan(architectures: ["amd64", "arm64"], preferredArchitecture: "amd64", fixes: [.missingArchitectureConstraint]))

        let single = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/arm64"]], settings: settings).first)
        #expect(single.fixPlan == FixPlan(architectures: ["arm64"], fixes: [.missingArchitectureConstraint]))

        // Everything supported: nothing to report, but `prefer` still plans the preferred term alone
        // (an empty required set); under `required` there is no plan at all.
        let everywhere = try #require(evaluatePolicy(yaml, images: ["app:1": multiArch], settings: PolicySettings(strategy: .prefer)).first)
        #expect(everywhere.findings.isEmpty)
        #expect(everywhere.fixPlan == FixPlan(architectures: [], preferredArchitecture: "amd64", fixes: []))
        let required = try #require(evaluatePolicy(yaml, images: ["app:1": multiArch]).first)
        #expect(required.fixPlan == nil)
    }

    // MARK: Managed constraints

    @Test func staleManagedExpressionIsKA007Only() throws {
        let yaml = deployment(podSpec: """
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - key: topology.kubernetes.io/zone
                      operator: In
                      values: [eu-1a]
                    - key: kubernetes.io/arch
                      operator: In
                      values: [amd64] # managed by kubearch
            containers:
            - {name: app, image: "app:1"}
            """)
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/amd64", "linux/arm64"]]).first)
        // As written the pod allows amd64 only; fix will rewrite kubearch's own expression.
        #expect(evaluation.allowed == ["amd64"])
        #expect(evaluation.desired == ["amd64", "arm64"])
        let finding = try #require(evaluation.findings.first)
        #expect(evaluation.findings.map(\.rule) == [.constraintOutOfDate])
        #expect((finding.line, finding.severity, finding.fixable) == (16, .warning, true))
        #expect(evaluation.fixPlan == FixPlan(architectures: ["amd64", "arm64"], fixes: [.constraintOutOfDate]))

        let current = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/amd64"]]).first)
        #expect(current.findings.isEmpty)
    }

    @Test func staleManagedExpressionBesideAConflictingUserConstraint() throws {
        let yaml = deployment(podSpec: """
            nodeSelector: {kubernetes.io/arch: amd64}
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                  - matchExpressions:
                    - {key: kubernetes.io/arch, operator: In, values: [amd64]} # managed by kubearch
            containers:
            - {name: app, image: "app:1"}
            """)
        let evaluation = try #require(evaluatePolicy(yaml, images: ["app:1": ["linux/arm64"]]).first)
        // The user's nodeSelector is what conflicts; kubearch's own expression is merely stale.
        #expect(evaluation.findings.map(\.rule) == [.constraintConflict, .constraintOutOfDate])
        #expect(evaluation.findings.map(\.line) == [8, 14])
        #expect(evaluation.findings.map(\.fixable) == [false, true])
        #expect(evaluation.fixPlan?.fixes == [.constraintOutOfDate])
    }
}
