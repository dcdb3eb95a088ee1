import KubearchCore
import KubearchReporters
import Testing

@Suite("Golden outputs")
struct GoldenTests {
    @Test(arguments: [
        ("text.txt", ReportFormat.text, false),
        ("text-colour.txt", ReportFormat.text, true),
        ("report.json", ReportFormat.json, false),
        ("report.sarif", ReportFormat.sarif, false),
        ("github.txt", ReportFormat.github, false),
    ])
    func fullReport(golden: String, format: ReportFormat, colour: Bool) throws {
        let reporter = format.makeReporter(colour: colour, toolVersion: "0.1.0")
        try Golden.check(reporter.render(SampleReports.full), against: golden)
    }

    @Test(arguments: [
        ("clean-text.txt", ReportFormat.text),
        ("clean-report.json", ReportFormat.json),
        ("clean-github.txt", ReportFormat.github),
    ])
    func cleanReport(golden: String, format: ReportFormat) throws {
        let reporter = format.makeReporter(colour: false, toolVersion: "0.1.0")
        try Golden.check(reporter.render(SampleReports.clean), against: golden)
    }

    @Test func imagesJSON() throws {
        try Golden.check(JSONReporter().renderImages(SampleReports.workloads), against: "images.json")
    }
}
