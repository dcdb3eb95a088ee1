import Foundation
import KubearchCore
@testable import KubearchReporters
import Testing

@Suite("SARIF")
struct SARIFReporterTests {
    let reporter = SARIFReporter(toolVersion: "1.2.3")

    @Test(arguments: ["full", "clean", "empty"])
    func validatesAgainstOfficialSchema(name: String) throws {
        let report = try #require(SampleReports.named[name])
        let outcome = try SARIFSchemaValidator.validate(reporter.render(report))
        #expect(outcome.valid, "\(name): \(outcome.output)")
    }

    /// Proves the validator can fail, so a pass above means something.
    @Test func validatorRejectsInvalidSARIF() throws {
        let broken = reporter.render(SampleReports.full)
            .replacingOccurrences(of: "\"level\": \"note\"", with: "\"level\": \"fatal\"")
        let outcome = try SARIFSchemaValidator.validate(broken)
        #expect(!outcome.valid)
        #expect(outcome.output.contains("fatal"))
    }

    private func parse(_ report: CheckReport) throws -> [String: Any] {
        let data = Data(reporter.render(report).utf8)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func run(_ report: CheckReport) throws -> [String: Any] {
        let document = try parse(report)
        #expect(document["version"] as? String == "2.1.0")
        #expect(document["$schema"] as? String == SARIFReporter.schemaURI)
        let runs = try #require(document["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        return try #require(runs.first)
    }

    @Test func driverListsAllTenRules() throws {
        let driver = try #require((try run(SampleReports.empty)["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "kubearch")
        #expect(driver["version"] as? String == "1.2.3")
        #expect(driver["informationUri"] as? String == SARIFReporter.defaultInformationURI)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == RuleID.allCases.map(\.rawValue))
        for (rule, descriptor) in zip(RuleID.allCases, rules) {
            #expect(descriptor["name"] as? String == rule.name)
            #expect((descriptor["fullDescription"] as? [String: Any])?["text"] as? String == rule.summary)
            let short = (descriptor["shortDescription"] as? [String: Any])?["text"] as? String
            #expect(short?.isEmpty == false)
            let help = try #require(descriptor["help"] as? [String: Any])
            #expect((help["text"] as? String)?.isEmpty == false)
            #expect((help["markdown"] as? String)?.contains(rule.rawValue) == true)
            let level = (descriptor["defaultConfiguration"] as? [String: Any])?["level"] as? String
            #expect(level == rule.defaultSeverity.rawValue)
            let tags = (descriptor["properties"] as? [String: Any])?["tags"] as? [String]
            #expect(tags?.contains("kubernetes") == true)
        }
    }

    @Test func resultsPointAtRulesAndLocations() throws {
        let run = try run(SampleReports.full)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == SampleReports.full.findings.count)
        for (finding, result) in zip(SampleReports.full.findings, results) {
            #expect(result["ruleId"] as? String == finding.rule.rawValue)
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == finding.rule.rawValue)
            #expect(result["level"] as? String == finding.severity.rawValue)
            #expect((result["message"] as? [String: Any])?["text"] as? String == finding.message)
            let locations = try #require(result["locations"] as? [[String: Any]])
            let physical = try #require(locations.first?["physicalLocation"] as? [String: Any])
            let artifact = try #require(physical["artifactLocation"] as? [String: Any])
            #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
            let uri = try #require(artifact["uri"] as? String)
            #expect(uri.removingPercentEncoding == finding.file)
            #expect(!uri.contains(" "))
            let region = try #require(physical["region"] as? [String: Any])
            #expect(region["startLine"] as? Int == finding.line)
            #expect(region["startColumn"] as? Int == finding.column)
        }
    }

    @Test func fingerprintsAreStableAndDistinct() throws {
        func fingerprints() throws -> [String] {
            let results = try #require(try run(SampleReports.full)["results"] as? [[String: Any]])
            return try results.map {
                try #require(($0["partialFingerprints"] as? [String: Any])?[SARIFReporter.fingerprintKey] as? String)
            }
        }
        let first = try fingerprints()
        #expect(first == (try fingerprints()))
        #expect(Set(first).count == first.count)
    }

    @Test func fingerprintIgnoresLineButNotMessage() {
        let finding = SampleReports.findings[0]
        var moved = finding
        moved.line += 10
        moved.column += 2
        var reworded = finding
        reworded.message += "!"
        var otherObject = finding
        otherObject.object?.namespace = nil
        #expect(Fingerprint.hash(of: moved) == Fingerprint.hash(of: finding))
        #expect(Fingerprint.hash(of: reworded) != Fingerprint.hash(of: finding))
        #expect(Fingerprint.hash(of: otherObject) != Fingerprint.hash(of: finding))
    }

    @Test func identicalFindingsGetOccurrenceNumbers() throws {
        let finding = SampleReports.findings[4]
        var again = finding
        again.line += 3
        let report = CheckReport(findings: [finding, again], workloads: [], files: 1)
        let results = try #require(try run(report)["results"] as? [[String: Any]])
        let prints = results.compactMap { ($0["partialFingerprints"] as? [String: String])?[SARIFReporter.fingerprintKey] }
        #expect(prints.count == 2)
        #expect(prints.first?.hasSuffix(":1") == true)
        #expect(prints.last?.hasSuffix(":2") == true)
    }

    /// FNV-1a 64 reference values (from the algorithm's published test vectors).
    @Test(arguments: [("", "cbf29ce484222325"), ("a", "af63dc4c8601ec8c"), ("foobar", "85944171f73967e8")])
    func fnvMatchesReferenceVectors(input: String, expected: String) {
        var hasher = FNV1a64()
        hasher.add(bytes: input.utf8)
        #expect(hasher.hex == expected)
    }

    @Test(arguments: [
        ("deploy/web.yaml", "deploy/web.yaml"),
        ("base/node agent.yaml", "base/node%20agent.yaml"),
        ("a:b/c.yaml", "a%3Ab/c.yaml"),
        ("100%/x#1?.yaml", "100%25/x%231%3F.yaml"),
        ("déploiement/ä.yaml", "d%C3%A9ploiement/%C3%A4.yaml"),
        ("win\\path.yaml", "win%5Cpath.yaml"),
        ("keep/-._~!$&'()*+,;=@.yaml", "keep/-._~!$&'()*+,;=@.yaml"),
    ])
    func uriPercentEncoding(path: String, uri: String) {
        #expect(SARIFLocation.percentEncode(path) == uri)
    }

    @Test func absolutePathBecomesFileURIWithoutBase() {
        let location = SARIFLocation.artifactLocation(for: "/srv/k8s/my app.yaml")
        #expect(location == .object([("uri", .string("file:///srv/k8s/my%20app.yaml"))]))
    }
}
