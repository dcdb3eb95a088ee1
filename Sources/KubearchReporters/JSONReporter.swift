import KubearchCore

/// `--format json`: the stable machine-readable shape of SPEC §10.
///
/// Keys come in the fixed order SPEC §10 lists them (not alphabetical), every documented key is
/// always present, and an absent value is an explicit `null`:
///
/// ```text
/// {"version": 1, "findings": [Finding], "workloads": [Workload], "summary": Summary}
/// Finding  = {rule, name, severity, file, line, column, object: Object|null, message, fixable}
/// Object   = {apiVersion, kind, namespace, name}          (each a string or null; namespace is
///                                                          never guessed as "default")
/// Workload = {file, line, object: Object, podSpecPath, images: [Image],
///             supported: [String]|null, allowed: [String]}
/// Image    = {container: String|null, reference, canonical: String|null, platforms: [String]|null}
/// Summary  = {files, workloads, errors, warnings, notes, fixable}
/// ```
///
/// `renderImages` (for `kubearch images --format json`) prints `{"workloads": [...]}` with the same
/// workload shape minus `supported`, `allowed` and each image's `platforms`.
public struct JSONReporter: Reporter {
    /// The `version` field: bumped only when the shape changes incompatibly.
    public static let formatVersion = 1

    public init() {}

    public func render(_ report: CheckReport) -> String {
        JSONValue.object([
            ("version", .int(Self.formatVersion)),
            ("findings", .array(report.findings.map(Self.json(for:)))),
            ("workloads", .array(report.workloads.map { Self.json(for: $0, resolved: true) })),
            ("summary", Self.json(for: report.summary)),
        ]).rendered()
    }

    /// The `kubearch images --format json` document: workloads and their images, nothing resolved.
    public func renderImages(_ workloads: [WorkloadReport]) -> String {
        JSONValue.object([
            ("workloads", .array(workloads.map { Self.json(for: $0, resolved: false) })),
        ]).rendered()
    }

    static func json(for finding: Finding) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("rule", .string(finding.rule.rawValue)),
            ("name", .string(finding.rule.name)),
            ("severity", .string(finding.severity.rawValue)),
            ("file", .string(finding.file)),
            ("line", .int(finding.line)),
            ("column", .int(finding.column)),
            ("object", finding.object.map(json(for:)) ?? .null),
            ("message", .string(finding.message)),
            ("fixable", .bool(finding.fixable)),
        ]
        // Only rendered findings carry the key (SPEC §10: absent for plain files).
        if let root = finding.kustomization { members.append(("kustomization", .string(root))) }
        return .object(members)
    }

    static func json(for object: ObjectIdentity) -> JSONValue {
        .object([
            ("apiVersion", .string(object.apiVersion)),
            ("kind", .string(object.kind)),
            ("namespace", .string(object.namespace)),
            ("name", .string(object.name)),
        ])
    }

    /// `resolved` is false for `images`, which neither resolves platforms nor evaluates policy.
    static func json(for workload: WorkloadReport, resolved: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("file", .string(workload.file)),
            ("line", .int(workload.line)),
            ("object", json(for: workload.object)),
            ("podSpecPath", .string(workload.podSpecPath)),
            ("images", .array(workload.images.map { json(for: $0, resolved: resolved) })),
        ]
        if let root = workload.kustomization { members.append(("kustomization", .string(root))) }
        if resolved {
            members.append(("supported", .strings(workload.supported)))
            // `check` always computes A; should a caller not, the key still appears, as null.
            members.append(("allowed", .strings(workload.allowed)))
        }
        return .object(members)
    }

    static func json(for image: ImageReport, resolved: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("container", .string(image.container)),
            ("reference", .string(image.reference)),
            ("canonical", .string(image.canonical)),
        ]
        if resolved {
            members.append(("platforms", .strings(image.platforms)))
        }
        if let source = image.source {
            members.append(("source", .object([("file", .string(source.file)), ("line", .int(source.line))])))
        }
        return .object(members)
    }

    static func json(for summary: ReportSummary) -> JSONValue {
        .object([
            ("files", .int(summary.files)),
            ("workloads", .int(summary.workloads)),
            ("errors", .int(summary.errors)),
            ("warnings", .int(summary.warnings)),
            ("notes", .int(summary.notes)),
            ("fixable", .int(summary.fixable)),
        ])
    }
}
