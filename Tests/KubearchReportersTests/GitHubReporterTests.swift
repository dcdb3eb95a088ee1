import KubearchCore
import KubearchReporters
import Testing

@Suite("GitHub workflow commands")
struct GitHubReporterTests {
    @Test(arguments: [
        ("plain", "plain", "plain"),
        ("50%", "50%25", "50%25"),
        ("a\nb", "a%0Ab", "a%0Ab"),
        ("a\rb", "a%0Db", "a%0Db"),
        ("crlf\r\n", "crlf%0D%0A", "crlf%0D%0A"),
        ("host:5000", "host:5000", "host%3A5000"),
        ("a,b", "a,b", "a%2Cb"),
        ("%0A", "%250A", "%250A"),
        ("x::y", "x::y", "x%3A%3Ay"),
        ("naïve ✓", "naïve ✓", "naïve ✓"),
    ])
    func escaping(input: String, data: String, property: String) {
        #expect(WorkflowCommand.escapeData(input) == data)
        #expect(WorkflowCommand.escapeProperty(input) == property)
    }

    @Test(arguments: [(Severity.error, "::error "), (.warning, "::warning "), (.note, "::notice ")])
    func commandPerSeverity(severity: Severity, prefix: String) {
        let finding = Finding(rule: .constraintOutOfDate, severity: severity, file: "a.yaml", line: 3, column: 4, message: "m")
        let output = GitHubReporter().render(CheckReport(findings: [finding], workloads: [], files: 1))
        #expect(output.hasPrefix(prefix + "file=a.yaml,line=3,col=4,title=KA007 constraint-out-of-date::m\n"))
    }

    @Test func hostileValuesCannotBreakTheCommand() {
        let finding = Finding(
            rule: .invalidManifest, file: "odd,name:x.yaml", line: 1, column: 1,
            message: "first line\n::error::injected"
        )
        let output = GitHubReporter().render(CheckReport(findings: [finding], workloads: [], files: 1))
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3) // the command, the summary, and the empty string after the final newline
        #expect(lines.first == "::error file=odd%2Cname%3Ax.yaml,line=1,col=1,title=KA008 invalid-manifest::first line%0A::error::injected")
        #expect(lines[1] == "1 error, 0 warnings, 0 notes in 0 workloads across 1 file")
    }
}
