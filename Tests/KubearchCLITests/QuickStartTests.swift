import Foundation
import Testing

/// The README's quick start: its section, fenced blocks and the commands in them.
private struct QuickStart {
    struct Block {
        var language: String
        var lines: [String]
    }

    var blocks: [Block] = []

    init() throws {
        let readme = String(decoding: try Data(contentsOf: BuiltBinary.packageRoot.appendingPathComponent("README.md")), as: UTF8.self)
        let section = try #require(readme.components(separatedBy: "\n## Quick start\n").dropFirst().first)
        let body = section.components(separatedBy: "\n## ").first ?? section
        var current: Block?
        for line in body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                if let block = current {
                    blocks.append(block)
                    current = nil
                } else {
                    current = Block(language: String(line.dropFirst(3)), lines: [])
                }
            } else {
                current?.lines.append(line)
            }
        }
    }

    var commandBlocks: [Block] { blocks.filter { $0.language == "sh" } }
}

@Suite("README quick start")
struct QuickStartTests {
    @Test func twoCommandBlocksAndCIRunsTheTestCommand() throws {
        let quickStart = try QuickStart()
        let commands = quickStart.commandBlocks
        try #require(commands.count == 2)
        #expect(commands[0].lines.first == "swift build -c release")
        #expect(commands[1].lines == ["swift test", "swift test --package-path webhook"])
        let ci = String(decoding: try Data(contentsOf: BuiltBinary.packageRoot.appendingPathComponent(".ci/run")), as: UTF8.self)
        for command in commands[1].lines {
            #expect(ci.split(separator: "\n").contains { $0 == command }, "\(command) is not in .ci/run")
        }
    }

    /// Runs the first block's kubearch commands as a shell would (one after the other, whatever
    /// their exit codes) and compares what they print with the README's output block.
    @Test func firstBlockPrintsWhatTheReadmeShows() async throws {
        let quickStart = try QuickStart()
        let block = try #require(quickStart.commandBlocks.first)
        let invocations = block.lines.dropFirst().map { $0.split(separator: " ").map(String.init) }
        try #require(invocations.count == 2)
        #expect(invocations.allSatisfy { $0.first == ".build/release/kubearch" })
        let check = try await BuiltBinary.run(Array(invocations[0].dropFirst()))
        let fix = try await BuiltBinary.run(Array(invocations[1].dropFirst()))
        #expect(invocations[0].dropFirst().first == "check")
        #expect(invocations[1].dropFirst().first == "fix")
        #expect(check.status == 1)
        #expect(check.standardError.isEmpty)
        #expect(fix.status == 0)

        // The findings the quick start promises, whatever the README's output block says.
        #expect(check.standardOutput.contains("examples/team-platform/node-agent.yaml:6:1: error: DaemonSet node-agent:"))
        #expect(check.standardOutput.contains("[KA002 daemonset-architecture-gap]"))
        for workload in ["team-shop/storefront.yaml:4:1: error: Deployment storefront", "team-data/nightly-report.yaml:4:1: error: CronJob nightly-report",
                         "team-data/warehouse.yaml:5:1: error: StatefulSet warehouse"] {
            #expect(check.standardOutput.contains("examples/\(workload)"))
        }
        #expect(!check.standardOutput.contains("toolbox"))
        // The kustomize base is judged as each overlay deploys it, never on its own.
        #expect(check.standardOutput.contains("examples/team-payments/base/deployment.yaml:2:1: error: Deployment payments: images run only on [arm64]"))
        #expect(check.standardOutput.contains("(kustomization examples/team-payments/overlays/prod) [KA004"))
        #expect(check.standardOutput.contains("(kustomization examples/team-payments/overlays/staging) [KA004"))
        #expect(!check.standardOutput.contains("payments-api"))
        #expect(check.standardOutput.hasSuffix("6 errors, 0 warnings, 0 notes in 7 workloads across 7 files (6 fixable)\n"))
        // The zone expression stays; the architecture is ANDed into its term.
        #expect(fix.standardOutput.contains("""
                             values: ["eu-west-1a"]
            +              - key: kubernetes.io/arch
            +                operator: In
            +                values: [amd64] # managed by kubearch
            """))
        #expect(fix.standardOutput.contains("+                values: [arm64] # managed by kubearch"))
        // The base stays as it is: each overlay gets the patch it needs.
        #expect(!fix.standardOutput.contains("+++ b/examples/team-payments/base/"))
        #expect(fix.standardOutput.contains("+++ b/examples/team-payments/overlays/staging/kubearch-patches.yaml"))
        #expect(fix.standardOutput.contains("+++ b/examples/team-payments/overlays/prod/kubearch-patch-deployment-payments.yaml"))
        #expect(fix.standardError == "kubearch: would fix 6 workloads in 8 files\n")

        // A terminal shows check's report, then fix's diff, then fix's summary on standard error.
        let output = try #require(quickStart.blocks.first { $0.language == "text" })
        #expect(output.lines.joined(separator: "\n") + "\n" == check.standardOutput + fix.standardOutput + fix.standardError)
    }

    /// Applied for real to a copy, the fix leaves no error (the DaemonSet, now kept to arm64 nodes,
    /// is a KA009 note), and a second fix changes nothing.
    @Test func fixingACopyOfTheExamplesLeavesItClean() async throws {
        let folder = try TemporaryFolder("kubearch-examples")
        defer { folder.remove() }
        let copy = folder.url.appendingPathComponent("examples")
        try FileManager.default.copyItem(at: BuiltBinary.packageRoot.appendingPathComponent("examples"), to: copy)
        let fixed = try await BuiltBinary.run(["fix", "--offline"], in: copy)
        #expect(fixed.status == 0, "\(fixed.standardError)")
        #expect(fixed.standardError.contains("kubearch: fixed 6 workloads in 8 files"))
        let check = try await BuiltBinary.run(["check", "--offline"], in: copy)
        #expect(check.status == 0, "\(check.standardOutput)")
        #expect(check.standardOutput == """
            team-platform/node-agent.yaml:6:1: note: DaemonSet node-agent runs only on arm64 nodes; amd64 nodes get none of its pods \
            (fine if another DaemonSet covers them) [KA009 daemonset-partial-coverage]
            0 errors, 0 warnings, 1 note in 7 workloads across 7 files

            """)
        let again = try await BuiltBinary.run(["fix", "--offline", "--dry-run"], in: copy)
        #expect(again.standardOutput.isEmpty)
    }
}
