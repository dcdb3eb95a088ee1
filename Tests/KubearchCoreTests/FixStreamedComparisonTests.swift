import Foundation
import Testing
@testable import KubearchCore

/// The streamed comparison that decides most fixes must agree with the whole-tree comparison where
/// it decides, decide the ordinary cases, and never accept a text the whole-tree comparison refuses.
@Suite("Fix verification while reading the new text")
struct FixStreamedComparisonTests {
    private static let plan = FixPlan(architectures: ["arm64"], fixes: [.missingArchitectureConstraint])

    /// Each real manifest whose workloads `fix` changes: the scanned file, its plans and the fixed text.
    private static func fixedCorpus() throws -> [(file: ScannedFile, plans: [(Workload, FixPlan)], fixed: [UInt8])] {
        var fixes: [(file: ScannedFile, plans: [(Workload, FixPlan)], fixed: [UInt8])] = []
        for url in FixCorpusPropertyTests.manifestFiles() {
            let file = ManifestScanner.scan(path: url.lastPathComponent, bytes: Array(try Data(contentsOf: url)))
            guard file.stream.error == nil, !file.isTemplate, !file.workloads.isEmpty else { continue }
            let plans = file.workloads.map { ($0, plan) }
            guard let fixed = try? Fixer.fix(file: file, plans: plans) else { continue }
            fixes.append((file, plans, fixed))
        }
        return fixes
    }

    /// `text` scanned, every workload planned for arm64, and the fixed text.
    private static func fixed(_ text: String) throws -> (file: ScannedFile, plans: [(Workload, FixPlan)], fixed: [UInt8]) {
        let file = ManifestScanner.scan(path: "t", bytes: Array(text.utf8))
        let plans = file.workloads.map { ($0, plan) }
        return (file, plans, try #require(try Fixer.fix(file: file, plans: plans)))
    }

    /// What only the whole-tree comparison decides: anchors, aliases, merge keys, duplicate keys.
    private static func isOrdinary(_ file: ScannedFile) -> Bool {
        guard let tree = file.stream.documents.first?.root.tree else { return false }
        return file.stream.duplicateKeys.isEmpty && tree.aliasNames.isEmpty && tree.decorations.allSatisfy { $0.anchor == nil }
            && !String(decoding: file.bytes, as: UTF8.self).contains("<<")
    }

    private static func expectSamePodSpecs(
        _ streamed: [StreamedFixComparison.NewPodSpec], _ trees: [(old: Workload, newPodSpec: YAMLNode, plan: FixPlan, isJSON: Bool)],
        _ label: String
    ) {
        #expect(streamed.count == trees.count, "\(label)")
        for (new, tree) in zip(streamed, trees) {
            #expect(new.isJSONDocument == tree.isJSON, "\(label)")
            for key in ["affinity", "nodeSelector"] {
                #expect(new.node[key].map(PlainNode.init) == tree.newPodSpec[key].map(PlainNode.init), "\(label): \(key)")
                #expect(new.node[key]?.range == tree.newPodSpec[key]?.range, "\(label): \(key) position")
            }
        }
    }

    @Test func decidesEveryOrdinaryRealFixAndAgreesWithTheWholeTree() throws {
        let fixes = try Self.fixedCorpus()
        // The fixtures alone give 15; the shared corpus, when it is there, many more.
        #expect(fixes.count >= 10)
        var decided = 0
        for (file, plans, fixed) in fixes {
            let trees = try FixVerifier.compareTrees(original: file, fixed: fixed, plans: plans)
            let streamed = StreamedFixComparison.newPodSpecs(original: file, fixed: fixed, plans: plans)
            if Self.isOrdinary(file) { #expect(streamed != nil, "\(file.path) was left to the whole tree") }
            guard let streamed else { continue }
            decided += 1
            Self.expectSamePodSpecs(streamed, trees, file.path)
        }
        #expect(decided >= 10)
    }

    /// Damaged copies of real fixed texts (a byte changed or dropped, a line repeated or moved): the
    /// streamed comparison may accept one only if the whole-tree comparison does, with the same pod specs.
    @Test func neverAcceptsWhatTheWholeTreeRefuses() throws {
        var generator = SeededGenerator(seed: 17)
        var accepted = 0
        var refused = 0
        for (file, plans, fixed) in try Self.fixedCorpus().prefix(30) {
            for _ in 0..<60 {
                let damaged = Self.damage(fixed, with: &generator)
                // `verify` checks the BOM and line endings besides the streamed comparison.
                guard damaged != fixed, let streamed = StreamedFixComparison.newPodSpecs(original: file, fixed: damaged, plans: plans),
                      (try? FixVerifier.checkLayout(original: file, fixed: damaged)) != nil
                else {
                    refused += 1
                    continue
                }
                accepted += 1
                let trees = try FixVerifier.compareTrees(original: file, fixed: damaged, plans: plans)
                Self.expectSamePodSpecs(streamed, trees, "\(file.path) damaged:\n\(String(decoding: damaged, as: UTF8.self))")
            }
        }
        // Both outcomes occur: damage inside the added affinity or to spacing can leave the trees equal.
        #expect(accepted > 0 && refused > accepted)
    }

    @Test func leavesAnchorsAndOtherDocumentsToTheWholeTree() throws {
        let (file, plans, fixed) = try Self.fixed("kind: Pod\nmetadata: {name: p, labels: &l {a: b}}\nspec:\n  containers:\n  - image: a\n")
        #expect(StreamedFixComparison.newPodSpecs(original: file, fixed: fixed, plans: plans) == nil)

        // A comment changed in a document without a planned workload: only bytes tell, and the whole tree says why.
        let text = "kind: ConfigMap # one\ndata: {}\n---\nkind: Pod\nspec:\n  containers:\n  - image: a\n"
        let twoDocuments = ManifestScanner.scan(path: "t", bytes: Array(text.utf8))
        let pod = try #require(twoDocuments.workloads.first)
        let good = try #require(try Fixer.fix(file: twoDocuments, plans: [(pod, Self.plan)]))
        #expect(StreamedFixComparison.newPodSpecs(original: twoDocuments, fixed: good, plans: [(pod, Self.plan)]) != nil)
        let recommented = Array(String(decoding: good, as: UTF8.self).replacingOccurrences(of: "# one", with: "# two").utf8)
        #expect(StreamedFixComparison.newPodSpecs(original: twoDocuments, fixed: recommented, plans: [(pod, Self.plan)]) == nil)
        #expect(throws: FixError.verificationFailed("document 1 changed but has no planned workload")) {
            try FixVerifier.verify(original: twoDocuments, fixed: recommented, plans: [(pod, Self.plan)])
        }
    }

    @Test func anAffinityKeptForItsOtherFieldsAndAJSONDocument() throws {
        let kept = "kind: Pod\nspec:\n  affinity:\n    podAntiAffinity: {}\n  nodeSelector: {disk: ssd}\n  containers:\n  - image: a\n"
        let json = #"{"kind": "Pod", "spec": {"containers": [{"image": "a"}]}}"# + "\n"
        for text in [kept, json] {
            let (file, plans, fixed) = try Self.fixed(text)
            let streamed = try #require(StreamedFixComparison.newPodSpecs(original: file, fixed: fixed, plans: plans))
            Self.expectSamePodSpecs(streamed, try FixVerifier.compareTrees(original: file, fixed: fixed, plans: plans), text)
            #expect(streamed.first?.isJSONDocument == (text == json))
            // The other affinity field must stay: dropping it is refused by both.
            if text == kept {
                let dropped = Array(String(decoding: fixed, as: UTF8.self).replacingOccurrences(of: "    podAntiAffinity: {}\n", with: "").utf8)
                #expect(StreamedFixComparison.newPodSpecs(original: file, fixed: dropped, plans: plans) == nil)
                #expect(throws: FixError.self) { try FixVerifier.compareTrees(original: file, fixed: dropped, plans: plans) }
            }
        }
    }

    /// Equal text, other meaning: quoting, a tag, a key's quoting. Kubernetes reads these differently.
    @Test func aQuotingOrTagChangeOutsideTheAffinityIsRefused() throws {
        let (file, plans, fixedBytes) = try Self.fixed("kind: Pod\nspec:\n  priority: 1\n  containers:\n  - image: a\n")
        let fixed = String(decoding: fixedBytes, as: UTF8.self)
        #expect(StreamedFixComparison.newPodSpecs(original: file, fixed: Array(fixed.utf8), plans: plans) != nil)
        for (from, to) in [("priority: 1", "priority: '1'"), ("priority: 1", "priority: !!str 1"), ("priority:", "\"priority\":"),
                           ("image: a", "image: \"a\""), ("kind: Pod", "kind: !!str Pod")] {
            let changed = Array(fixed.replacingOccurrences(of: from, with: to).utf8)
            #expect(StreamedFixComparison.newPodSpecs(original: file, fixed: changed, plans: plans) == nil, "\(to)")
            #expect(throws: FixError.self, "\(to)") { try FixVerifier.compareTrees(original: file, fixed: changed, plans: plans) }
        }
        // A tag taken away.
        let (tagged, taggedPlans, taggedBytes) = try Self.fixed("kind: Pod\nspec:\n  priority: !!int 1\n  containers:\n  - image: a\n")
        let taggedFixed = String(decoding: taggedBytes, as: UTF8.self)
        let untagged = Array(taggedFixed.replacingOccurrences(of: "!!int ", with: "").utf8)
        #expect(StreamedFixComparison.newPodSpecs(original: tagged, fixed: Array(taggedFixed.utf8), plans: taggedPlans) != nil)
        #expect(StreamedFixComparison.newPodSpecs(original: tagged, fixed: untagged, plans: taggedPlans) == nil)
    }

    /// One planned pod spec whose lines hold every change: only those lines are read again, from
    /// the first changed pair. What they cannot tell on their own (a line indented less than the
    /// pod spec, a document marker, an unclosed quote at their end, a change before or after them)
    /// makes the region reading decline.
    @Test func thePodSpecLinesAloneDecideWhenTheRestIsUnchanged() throws {
        let text = """
            # a deployment and its service
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: "example.org/web:1"  # pinned
                  restartPolicy: Always
              replicas: 2
            ---
            kind: Service
            metadata: {name: web}

            """
        let (file, plans, fixedBytes) = try Self.fixed(text)
        let podSpec = try #require(plans.first?.0.podSpec)
        let alone = try #require(fixedBytes.withUnsafeBufferPointer { StreamedFixComparison.alone(podSpec, tree: podSpec.tree, old: file.bytes, new: $0) })
        Self.expectSamePodSpecs([alone], try FixVerifier.compareTrees(original: file, fixed: fixedBytes, plans: plans), "alone")

        let fixed = String(decoding: fixedBytes, as: UTF8.self)
        let damaged = [
            // Less indented than the pod spec: the template's, in the whole text.
            fixed.replacingOccurrences(of: "      restartPolicy: Always\n", with: "      restartPolicy: Always\n    paused: true\n"),
            fixed.replacingOccurrences(of: "      containers:\n", with: "      containers:\n---\n"),
            fixed.replacingOccurrences(of: "      restartPolicy: Always\n", with: "      restartPolicy: \"Always\n"),
            // The added affinity alone is read again (the pairs before it stay): it must be where they are.
            fixed.replacingOccurrences(of: "\n      affinity:", with: "\n affinity:"),
            fixed.replacingOccurrences(of: "\n      affinity:", with: "\n---\n      affinity:"),
            fixed.replacingOccurrences(of: "\n      affinity:", with: "\n---      affinity:"),
            fixed.replacingOccurrences(of: "labels: {app: web}\nspec:", with: "labels: {app: webs}\nspec:"),
            fixed.replacingOccurrences(of: "metadata: {name: web}", with: "metadata: {name: webs}"),
        ]
        for text in damaged {
            let bytes = Array(text.utf8)
            #expect(text != fixed)
            #expect(bytes.withUnsafeBufferPointer { StreamedFixComparison.alone(podSpec, tree: podSpec.tree, old: file.bytes, new: $0) } == nil, "\(text)")
            #expect(throws: FixError.self, "\(text)") { try FixVerifier.compareTrees(original: file, fixed: bytes, plans: plans) }
        }
        // A pod spec in flow style is read with the whole text.
        let (flow, flowPlans, flowFixed) = try Self.fixed("kind: Pod\nmetadata: {name: p}\nspec: {containers: [{image: a}]}\n")
        let flowPodSpec = try #require(flowPlans.first?.0.podSpec)
        #expect(flowFixed.withUnsafeBufferPointer { StreamedFixComparison.alone(flowPodSpec, tree: flowPodSpec.tree, old: flow.bytes, new: $0) } == nil)
        #expect(StreamedFixComparison.newPodSpecs(original: flow, fixed: flowFixed, plans: flowPlans) != nil)
    }

    /// A merge key could bring a `nodeSelector` the built pod spec would not hold: left to the whole tree.
    @Test func aMergeKeyIsLeftToTheWholeTree() throws {
        let (file, plans, fixed) = try Self.fixed("kind: Pod\nspec:\n  <<: {nodeSelector: {disk: ssd}}\n  containers:\n  - image: a\n")
        #expect(StreamedFixComparison.newPodSpecs(original: file, fixed: fixed, plans: plans) == nil)
        _ = try FixVerifier.compareTrees(original: file, fixed: fixed, plans: plans)
    }

    /// One random change of the kinds an editor bug could make.
    private static func damage(_ bytes: [UInt8], with generator: inout SeededGenerator) -> [UInt8] {
        var bytes = bytes
        guard bytes.count > 2 else { return bytes }
        let position = Int(generator.next() % UInt64(bytes.count))
        let replacements = Array(" a:-\n\r\"'#[]{},&*!|>".utf8)
        switch generator.next() % 4 {
        case 0:
            bytes[position] = replacements[Int(generator.next() % UInt64(replacements.count))]
        case 1:
            bytes.remove(at: position)
        default:
            var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
            let line = position % lines.count
            if generator.next() % 2 == 0 {
                lines.insert(lines[line], at: line)
            } else if line + 1 < lines.count {
                lines.swapAt(line, line + 1)
            }
            bytes = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
        }
        return bytes
    }
}
