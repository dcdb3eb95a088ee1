import KubearchCore
import KubearchReporters
import Testing

@Suite("Text")
struct TextReporterTests {
    private static let escape = "\u{1B}"

    @Test func colourOffHasNoEscapes() {
        let output = TextReporter(colour: false).render(SampleReports.full)
        #expect(!output.contains(Self.escape))
        #expect(output.contains("deploy/web.yaml:7:3: error: Deployment web can be scheduled on arm64 nodes, but its images support only amd64 [KA004 missing-architecture-constraint]\n"))
    }

    @Test func colourOnHasEscapesAroundTheSameText() {
        let coloured = TextReporter(colour: true).render(SampleReports.full)
        #expect(coloured.contains(Self.escape + "[1;31merror:" + Self.escape + "[0m"))
        #expect(coloured.contains(Self.escape + "[1;33mwarning:"))
        #expect(coloured.contains(Self.escape + "[1;36mnote:"))
        // Removing the SGR sequences gives back the plain output.
        let stripped = coloured.replacing(/\u{1B}\[[0-9;]*m/, with: "")
        #expect(stripped == TextReporter(colour: false).render(SampleReports.full))
    }

    @Test func oneLinePerFindingThenSummary() {
        let lines = TextReporter(colour: false).render(SampleReports.full).split(separator: "\n")
        #expect(lines.count == SampleReports.findings.count + 1)
        #expect(lines.last == "4 errors, 1 warning, 2 notes in 6 workloads across 8 files (3 fixable)")
    }

    /// (errors, warnings, notes, fixable, workloads, files) → summary line.
    @Test(arguments: [
        (0, 0, 0, 0, 12, 5, "no problems in 12 workloads across 5 files"),
        (0, 0, 0, 0, 1, 1, "no problems in 1 workload across 1 file"),
        (0, 0, 0, 0, 0, 0, "no problems in 0 workloads across 0 files"),
        (1, 1, 1, 1, 1, 1, "1 error, 1 warning, 1 note in 1 workload across 1 file (1 fixable)"),
        (3, 1, 0, 2, 12, 5, "3 errors, 1 warning, 0 notes in 12 workloads across 5 files (2 fixable)"),
        (0, 2, 0, 0, 3, 2, "0 errors, 2 warnings, 0 notes in 3 workloads across 2 files"),
        (0, 0, 2, 0, 2, 1, "0 errors, 0 warnings, 2 notes in 2 workloads across 1 file"),
    ])
    func summaryPlurals(errors: Int, warnings: Int, notes: Int, fixable: Int, workloads: Int, files: Int, expected: String) {
        var findings: [Finding] = []
        func add(_ count: Int, _ severity: Severity) {
            for index in 0..<count {
                findings.append(Finding(
                    rule: .missingArchitectureConstraint, severity: severity, file: "f.yaml", line: findings.count + 1,
                    column: 1, message: "m\(index)", fixable: findings.count < fixable
                ))
            }
        }
        add(errors, .error)
        add(warnings, .warning)
        add(notes, .note)
        let workloadList = (0..<workloads).map { _ in SampleReports.workloads[2] }
        let report = CheckReport(findings: findings, workloads: workloadList, files: files)
        let output = TextReporter(colour: false).render(report)
        #expect(output.split(separator: "\n").last.map(String.init) == expected)
    }

    @Test func controlCharactersFromInputAreShownNotObeyed() {
        let finding = Finding(
            rule: .invalidManifest, file: "evil\u{1B}[2J.yaml", line: 1, column: 1,
            message: "bad\r\nvalue\u{07}\u{9B}"
        )
        let output = TextReporter(colour: false).render(CheckReport(findings: [finding], workloads: [], files: 1))
        #expect(!output.contains(Self.escape))
        #expect(!output.contains("\r"))
        #expect(output.hasPrefix("evil\\u{1B}[2J.yaml:1:1: error: bad\\r\\nvalue\\u{7}\\u{9B} [KA008 invalid-manifest]\n"))
    }
}

@Suite("Colour decision")
struct ColourDecisionTests {
    @Test(arguments: [
        (true, [String: String](), true),
        (false, [:], false),
        (true, ["NO_COLOR": "1"], false),
        (false, ["NO_COLOR": "1"], false),
        (true, ["NO_COLOR": ""], true),
        (true, ["TERM": "dumb"], false),
        (true, ["TERM": "xterm-256color"], true),
    ])
    func wantsColour(isTerminal: Bool, environment: [String: String], expected: Bool) {
        #expect(TextReporter.wantsColour(isTerminal: isTerminal, environment: environment) == expected)
    }
}

@Suite("Report format")
struct ReportFormatTests {
    @Test(arguments: ReportFormat.allCases)
    func factoryMakesTheMatchingReporter(format: ReportFormat) {
        let reporter = format.makeReporter(colour: true, toolVersion: "9.9.9")
        switch format {
        case .text: #expect((reporter as? TextReporter)?.colour == true)
        case .json: #expect(reporter is JSONReporter)
        case .sarif: #expect((reporter as? SARIFReporter)?.toolVersion == "9.9.9")
        case .github: #expect(reporter is GitHubReporter)
        }
    }

    @Test func rawValuesAreTheOptionSpellings() {
        #expect(ReportFormat.allCases.map(\.rawValue) == ["text", "json", "sarif", "github"])
        #expect(ReportFormat(rawValue: "sarif") == .sarif)
    }
}
