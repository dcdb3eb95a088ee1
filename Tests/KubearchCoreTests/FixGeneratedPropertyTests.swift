import Foundation
import Testing
@testable import KubearchCore

/// A fixed-seed generator (SplitMix64): the same cases on every run and machine.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// A tiny YAML tree and writer for generating manifests, independent of the editor's renderer.
private indirect enum GeneratedNode {
    case scalar(String)
    case list([String], managed: Bool)
    case mapping([(String, GeneratedNode)])
    case sequence([GeneratedNode])
}

private struct ManifestWriter {
    var indent: Int
    var sequenceOffset: Int
    var comments: Bool
    var random: SeededGenerator

    private func pad(_ column: Int) -> String { String(repeating: " ", count: column) }

    private mutating func trailingComment() -> String {
        comments && Bool.random(using: &random) ? "  # note \(Int.random(in: 0..<100, using: &random))" : ""
    }

    private mutating func commentLines(_ column: Int) -> [String] {
        guard comments, Int.random(in: 0..<4, using: &random) == 0 else { return [] }
        return Bool.random(using: &random) ? [pad(column) + "# about the next key"] : [""]
    }

    mutating func pair(_ key: String, _ value: GeneratedNode, column: Int) -> [String] {
        let head = pad(column) + key + ":"
        switch value {
        case .scalar(let text):
            return commentLines(column) + [head + " " + text + trailingComment()]
        case .list(let items, let managed):
            return [head + " [" + items.joined(separator: ", ") + "]" + (managed ? " # managed by kubearch" : trailingComment())]
        case .mapping(let pairs):
            return commentLines(column) + [head + trailingComment()] + pairs.flatMap { pair($0.0, $0.1, column: column + indent) }
        case .sequence(let items):
            return [head + trailingComment()] + items.flatMap { item($0, dash: column + sequenceOffset) }
        }
    }

    mutating func item(_ value: GeneratedNode, dash: Int) -> [String] {
        switch value {
        case .mapping(let pairs):
            var lines = pairs.flatMap { pair($0.0, $0.1, column: dash + 2) }
            // A comment line first would separate the dash from its mapping; drop those.
            while let first = lines.first, first.trimmingPrefix(while: { $0 == " " }).hasPrefix("#") || first.isEmpty { lines.removeFirst() }
            if let first = lines.first { lines[0] = pad(dash) + "- " + first.dropFirst(dash + 2) }
            return lines
        default:
            return [pad(dash) + "- " + Self.flow(value)]
        }
    }

    static func flow(_ value: GeneratedNode) -> String {
        switch value {
        case .scalar(let text): text
        case .list(let items, _): "[" + items.joined(separator: ", ") + "]"
        case .mapping(let pairs): "{" + pairs.map { $0.0 + ": " + flow($0.1) }.joined(separator: ", ") + "}"
        case .sequence(let items): "[" + items.map(flow).joined(separator: ", ") + "]"
        }
    }
}

@Suite("Fix on generated manifests")
struct FixGeneratedPropertyTests {
    static let cluster: Set<String> = ["amd64", "arm64"]
    static let required = "requiredDuringSchedulingIgnoredDuringExecution"
    static let preferred = "preferredDuringSchedulingIgnoredDuringExecution"

    private static func expression(_ random: inout SeededGenerator) -> GeneratedNode {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: .mapping([("key", .scalar("topology.kubernetes.io/zone")), ("operator", .scalar("Exists"))])
        case 1: .mapping([("key", .scalar("kubernetes.io/arch")), ("operator", .scalar("In")), ("values", .list(["amd64"], managed: false))])
        case 2: .mapping([("key", .scalar("kubernetes.io/arch")), ("operator", .scalar("In")), ("values", .list(["amd64", "arm64"], managed: false))])
        case 3: .mapping([("key", .scalar("kubernetes.io/arch")), ("operator", .scalar("NotIn")), ("values", .list(["arm64"], managed: false))])
        case 4: .mapping([("key", .scalar("kubernetes.io/arch")), ("operator", .scalar("In")), ("values", .list(["amd64"], managed: true))])
        default: .mapping([("key", .scalar("disk")), ("operator", .scalar("In")), ("values", .list(["ssd"], managed: false))])
        }
    }

    private static func term(_ random: inout SeededGenerator) -> GeneratedNode {
        if Int.random(in: 0..<5, using: &random) == 0 {
            return .mapping([("matchFields", .sequence([.mapping([("key", .scalar("metadata.name")), ("operator", .scalar("NotIn")), ("values", .list(["n1"], managed: false))])]))])
        }
        let count = Int.random(in: 1...2, using: &random)
        return .mapping([("matchExpressions", .sequence((0..<count).map { _ in expression(&random) }))])
    }

    private static func affinity(_ random: inout SeededGenerator) -> GeneratedNode? {
        let podAffinity: (String, GeneratedNode) = ("podAntiAffinity", .mapping([(required, .sequence([.mapping([
            ("topologyKey", .scalar("kubernetes.io/hostname")),
            ("labelSelector", .mapping([("matchLabels", .mapping([("app", .scalar("gen"))]))])),
        ])]))]))
        let preferredTerms: (String, GeneratedNode) = (preferred, .sequence([.mapping([
            ("weight", .scalar("5")), ("preference", .mapping([("matchExpressions", .sequence([expression(&random)]))])),
        ])]))
        let requiredTerms: (String, GeneratedNode) = (required, .mapping([
            ("nodeSelectorTerms", .sequence((0..<Int.random(in: 1...3, using: &random)).map { _ in term(&random) })),
        ]))
        switch Int.random(in: 0..<7, using: &random) {
        case 0: return nil
        case 1: return .scalar("{}")
        case 2: return .mapping([podAffinity])
        case 3: return .mapping([("nodeAffinity", .mapping([preferredTerms]))])
        case 4: return .mapping([("nodeAffinity", .mapping([requiredTerms]))])
        case 5: return .mapping([podAffinity, ("nodeAffinity", .mapping([requiredTerms, preferredTerms]))])
        default: return .mapping([("nodeAffinity", .mapping([preferredTerms, requiredTerms]))])
        }
    }

    static func manifest(seed: UInt64) -> (text: [UInt8], plan: FixPlan) {
        var random = SeededGenerator(seed: seed)
        let indent = Bool.random(using: &random) ? 2 : 4
        var writer = ManifestWriter(
            indent: indent, sequenceOffset: Bool.random(using: &random) ? indent : 0,
            comments: Bool.random(using: &random), random: SeededGenerator(seed: seed &* 31))
        let crlf = Int.random(in: 0..<4, using: &random) == 0
        let bom = Int.random(in: 0..<8, using: &random) == 0
        let finalNewline = Int.random(in: 0..<6, using: &random) != 0
        let flowAffinity = Int.random(in: 0..<5, using: &random) == 0
        var podSpec: [(String, GeneratedNode)] = [
            ("containers", .sequence([.mapping([("name", .scalar("app")), ("image", .scalar("example/app:\(seed)"))])])),
        ]
        if let affinity = affinity(&random) {
            let value: GeneratedNode = flowAffinity ? .scalar(ManifestWriter.flow(affinity)) : affinity
            podSpec.insert(("affinity", value), at: Bool.random(using: &random) ? 0 : 1)
        }
        if Bool.random(using: &random) { podSpec.append(("restartPolicy", .scalar("Always"))) }
        let object: [(String, GeneratedNode)] = [
            ("apiVersion", .scalar("apps/v1")), ("kind", .scalar("Deployment")),
            ("metadata", .mapping([("name", .scalar("gen-\(seed)"))])),
            ("spec", .mapping([("template", .mapping([("spec", .mapping(podSpec))]))])),
        ]
        var lines = object.flatMap { writer.pair($0.0, $0.1, column: 0) }
        if writer.comments { lines.append("# trailing comment") }
        var text = lines.joined(separator: crlf ? "\r\n" : "\n") + (finalNewline ? (crlf ? "\r\n" : "\n") : "")
        if bom { text = "\u{FEFF}" + text }
        let choices: [[String]] = [["amd64"], ["arm64"], ["amd64", "arm64"]]
        let architectures = choices[Int.random(in: 0..<3, using: &random)]
        let preferredArchitecture = Int.random(in: 0..<4, using: &random) == 0 ? architectures.last : nil
        return (Array(text.utf8), FixPlan(architectures: architectures, preferredArchitecture: preferredArchitecture, fixes: []))
    }

    @Test(arguments: 0..<300)
    func generated(_ seed: Int) throws {
        let (bytes, plan) = Self.manifest(seed: UInt64(seed))
        if ProcessInfo.processInfo.environment["KUBEARCH_DUMP_SEED"] == String(seed) {
            print(String(decoding: bytes, as: UTF8.self), plan)
        }
        let file = ManifestScanner.scan(path: "gen.yaml", bytes: bytes)
        #expect(file.stream.error == nil, "\(String(decoding: bytes, as: UTF8.self))")
        let workload = try #require(file.workloads.first)
        let before = NodeConstraints(podSpec: workload.podSpec, source: bytes)
        let fixed = try Fixer.fix(file: file, plans: [(workload, plan)]) ?? bytes
        let after = ManifestScanner.scan(path: "gen.yaml", bytes: fixed)
        if ProcessInfo.processInfo.environment["KUBEARCH_DUMP_SEED"] == String(seed) { print(String(decoding: fixed, as: UTF8.self)) }
        let newWorkload = try #require(after.workloads.first)
        let constraints = NodeConstraints(podSpec: newWorkload.podSpec, source: fixed)

        // A = (the user's A) ∩ D, and nothing of the user's was dropped.
        var user = before
        user.requiredTerms = before.requiredTerms.map { term in
            var userTerm = term
            userTerm.expressions = term.expressions.filter { !$0.isManaged }
            return userTerm
        }
        let target = Set(plan.architectures)
        #expect(constraints.allowedArchitectures(within: Self.cluster) == user.allowedArchitectures(within: Self.cluster).intersection(target))
        #expect(constraints.requiredTerms.count == max(1, before.requiredTerms.count))
        #expect(constraints.managedExpressions.allSatisfy { Set($0.values) == target })
        #expect(after.stream.lineEnding == file.stream.lineEnding && after.stream.hasBOM == file.stream.hasBOM)

        // Idempotent.
        #expect(try Fixer.fix(file: after, plans: [(newWorkload, plan)]) == nil)

        // Lines only added, except a rewritten managed `values` line and an emptied `affinity: {}`.
        let diff = UnifiedDiff.render(old: bytes, new: fixed, path: "gen.yaml")
        let lines = diff.split(separator: "\n").map(String.init)
        let added = lines.filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }.map { $0.dropFirst() }
        for removed in lines.filter({ $0.hasPrefix("-") && !$0.hasPrefix("---") }).map({ $0.dropFirst() }) {
            // A one-line flow `affinity: {...}` is edited within its line.
            let allowed = removed.contains("# managed by kubearch") || removed.contains("affinity: {")
                || added.contains { $0.hasPrefix(removed) }
            #expect(allowed, "unexpected removal \(removed)\n\(diff)")
        }
    }
}
