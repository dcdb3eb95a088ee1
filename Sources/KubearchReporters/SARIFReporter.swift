import KubearchCore

/// `--format sarif`: SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`).
///
/// One run whose `tool.driver` lists all ten rules (so `ruleIndex` is the rule's position in
/// `RuleID.allCases`), and one result per finding with its level, message, location relative to
/// `%SRCROOT%`, and a `partialFingerprints` entry that does not depend on the line.
public struct SARIFReporter: Reporter {
    /// The `id` of the OASIS schema (errata 01) this output is validated against.
    public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    public static let sarifVersion = "2.1.0"
    public static let defaultInformationURI = "https://kubearch.dev"
    /// The `partialFingerprints` key; versioned as the SARIF spec recommends, so a future change of
    /// the hash can use a new key instead of silently re-opening every alert.
    public static let fingerprintKey = "kubearchFindingHash/v1"

    /// The tool's version, shown by viewers and recorded with the analysis.
    public var toolVersion: String
    public var informationURI: String

    public init(toolVersion: String, informationURI: String = SARIFReporter.defaultInformationURI) {
        self.toolVersion = toolVersion
        self.informationURI = informationURI
    }

    public func render(_ report: CheckReport) -> String {
        JSONValue.object([
            ("$schema", .string(Self.schemaURI)),
            ("version", .string(Self.sarifVersion)),
            ("runs", .array([run(for: report)])),
        ]).rendered()
    }

    private func run(for report: CheckReport) -> JSONValue {
        .object([
            ("tool", .object([("driver", driver())])),
            ("results", .array(results(for: report.findings))),
        ])
    }

    private func driver() -> JSONValue {
        .object([
            ("name", .string("kubearch")),
            ("informationUri", .string(informationURI)),
            ("version", .string(toolVersion)),
            ("rules", .array(RuleID.allCases.map(Self.descriptor(for:)))),
        ])
    }

    static func descriptor(for rule: RuleID) -> JSONValue {
        let help = RuleHelp.help(for: rule)
        return .object([
            ("id", .string(rule.rawValue)),
            ("name", .string(rule.name)),
            ("shortDescription", .object([("text", .string(help.title))])),
            ("fullDescription", .object([("text", .string(rule.summary))])),
            ("help", .object([
                ("text", .string(help.text(for: rule))),
                ("markdown", .string(help.markdown(for: rule))),
            ])),
            ("defaultConfiguration", .object([("level", .string(level(for: rule.defaultSeverity)))])),
            ("properties", .object([("tags", .array(help.tags.map(JSONValue.string)))])),
        ])
    }

    private func results(for findings: [Finding]) -> [JSONValue] {
        // Identical findings (same rule, file, object and message) get `hash:1`, `hash:2`, … in report
        // order, so each still has its own alert.
        var occurrences: [String: Int] = [:]
        return findings.map { finding in
            let hash = Fingerprint.hash(of: finding)
            let occurrence = occurrences[hash, default: 0] + 1
            occurrences[hash] = occurrence
            return Self.result(for: finding, fingerprint: "\(hash):\(occurrence)")
        }
    }

    static func result(for finding: Finding, fingerprint: String) -> JSONValue {
        let ruleIndex = RuleID.allCases.firstIndex(of: finding.rule) ?? 0
        return .object([
            ("ruleId", .string(finding.rule.rawValue)),
            ("ruleIndex", .int(ruleIndex)),
            ("level", .string(level(for: finding.severity))),
            ("message", .object([("text", .string(finding.message + TextReporter.renderedBy(finding)))])),
            ("locations", .array([
                .object([
                    ("physicalLocation", .object([
                        ("artifactLocation", SARIFLocation.artifactLocation(for: finding.file)),
                        ("region", .object([
                            // SARIF lines and columns are 1-based and must be at least 1.
                            ("startLine", .int(max(1, finding.line))),
                            ("startColumn", .int(max(1, finding.column))),
                        ])),
                    ])),
                ]),
            ])),
            ("partialFingerprints", .object([(fingerprintKey, .string(fingerprint))])),
        ])
    }

    /// SARIF `level` names: the same words as kubearch's severities.
    static func level(for severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }
}
