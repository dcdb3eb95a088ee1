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

    /// Streams the results one by one; only the small `tool` part is built as values first.
    public func stream(to output: ReportOutput) -> any ReportStream {
        var json = JSONWriter(output: output)
        json.beginObject()
        json.member("$schema", Self.schemaURI)
        json.member("version", Self.sarifVersion)
        json.key("runs")
        json.beginArray()
        json.beginObject()
        json.key("tool")
        JSONValue.object([("driver", driver())]).write(to: &json)
        json.key("results")
        json.beginArray()
        return Stream(json: json)
    }

    struct Stream: ReportStream {
        var json: JSONWriter
        /// Identical findings (same rule, file, object and message) get `hash:1`, `hash:2`, … in
        /// report order, so each still has its own alert. The hash covers the file and findings
        /// come file by file, so only the current file's hashes are kept.
        var occurrences: [String: Int] = [:]
        var file: String?

        mutating func add(_ finding: Finding) {
            if finding.file != file {
                file = finding.file
                occurrences.removeAll(keepingCapacity: true)
            }
            let hash = Fingerprint.hash(of: finding)
            let occurrence = occurrences[hash, default: 0] + 1
            occurrences[hash] = occurrence
            SARIFReporter.writeResult(for: finding, fingerprint: "\(hash):\(occurrence)", to: &json)
        }

        mutating func finish(workloads: any Sequence<WorkloadReport>, summary: ReportSummary) -> ReportOutput {
            json.endArray()
            json.endObject()
            json.endArray()
            json.endObject()
            json.finishDocument()
            return json.output
        }
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

    static func writeResult(for finding: Finding, fingerprint: String, to json: inout JSONWriter) {
        json.beginObject()
        json.member("ruleId", finding.rule.rawValue)
        json.member("ruleIndex", RuleID.allCases.firstIndex(of: finding.rule) ?? 0)
        json.member("level", level(for: finding.severity))
        json.key("message")
        json.beginObject()
        json.member("text", finding.message + TextReporter.renderedBy(finding))
        json.endObject()
        json.key("locations")
        json.beginArray()
        json.beginObject()
        json.key("physicalLocation")
        json.beginObject()
        json.key("artifactLocation")
        SARIFLocation.artifactLocation(for: finding.file).write(to: &json)
        json.key("region")
        json.beginObject()
        // SARIF lines and columns are 1-based and must be at least 1.
        json.member("startLine", max(1, finding.line))
        json.member("startColumn", max(1, finding.column))
        json.endObject()
        json.endObject()
        json.endObject()
        json.endArray()
        json.key("partialFingerprints")
        json.beginObject()
        json.key(escaping: fingerprintKey)
        json.string(fingerprint)
        json.endObject()
        json.endObject()
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
