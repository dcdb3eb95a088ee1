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

    /// Findings and rows of a rendered kustomize root carry the root (SPEC §10).
    @Test(arguments: [
        ("rendered-text.txt", ReportFormat.text),
        ("rendered-report.json", ReportFormat.json),
        ("rendered-report.sarif", ReportFormat.sarif),
        ("rendered-github.txt", ReportFormat.github),
    ])
    func renderedReport(golden: String, format: ReportFormat) throws {
        let reporter = format.makeReporter(colour: false, toolVersion: "0.1.0")
        try Golden.check(reporter.render(SampleReports.rendered), against: golden)
    }

    @Test func imagesJSON() throws {
        try Golden.check(JSONReporter().renderImages(SampleReports.workloads), against: "images.json")
    }
}
