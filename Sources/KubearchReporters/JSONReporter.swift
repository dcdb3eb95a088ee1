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

    /// Streams the document: no tree of values is built, and with a draining output no more than a
    /// chunk of it is held at a time.
    public func stream(to output: ReportOutput) -> any ReportStream {
        Stream(output: output)
    }

    /// Opens the document and the findings array at once; the workloads and the summary follow
    /// the last finding.
    struct Stream: ReportStream {
        var json: JSONWriter

        init(output: ReportOutput) {
            json = JSONWriter(output: output)
            json.beginObject()
            json.member("version", JSONReporter.formatVersion)
            json.key("findings")
            json.beginArray()
        }

        mutating func add(_ finding: Finding) {
            JSONReporter.write(finding, to: &json)
        }

        mutating func finish(workloads: any Sequence<WorkloadReport>, summary: ReportSummary) -> ReportOutput {
            json.endArray()
            json.key("workloads")
            json.beginArray()
            if let parts = workloads as? WorkloadRowParts {
                if let ahead = parts.renderedAhead, ahead.count > 0 {
                    var count = ahead.count
                    ahead.forEachPiece { piece in
                        json.elements(rendered: piece, count: count)
                        count = 0
                    }
                }
                JSONReporter.write(parts, to: &json)
            } else {
                for workload in workloads { JSONReporter.write(workload, resolved: true, to: &json) }
            }
            json.endArray()
            json.key("summary")
            JSONReporter.write(summary, to: &json)
            json.endObject()
            json.finishDocument()
            return json.output
        }
    }

    /// The `kubearch images --format json` document: workloads and their images, nothing resolved.
    public func renderImages(_ workloads: [WorkloadReport]) -> String {
        var json = JSONWriter(output: ReportOutput())
        json.beginObject()
        json.key("workloads")
        json.beginArray()
        for workload in workloads { Self.write(workload, resolved: false, to: &json) }
        json.endArray()
        json.endObject()
        json.finishDocument()
        return json.output.text
    }

    /// Rows rendered part by part on every core, written in order: at the end of a 20,000-file run
    /// they were a serial tail of about 90 ms. A few parts are held at a time.
    static func write(_ rows: WorkloadRowParts, to json: inout JSONWriter) {
        let depth = json.depth
        var rowsBefore = [json.elementsInOpenContainer]
        for part in rows.parts { rowsBefore.append(rowsBefore[rowsBefore.count - 1] + part.count) }
        let (parts, before) = (rows.parts, rowsBefore)
        ParallelInOrder.map(Array(parts.indices), window: 2, batch: 1, { index in
            var writer = JSONWriter(output: ReportOutput(reservingCapacity: parts[index].count * 1_100), continuingAtDepth: depth, afterElements: before[index] > 0)
            for workload in parts[index].rows { write(workload, resolved: true, to: &writer) }
            return writer.output.bytes
        }) { index, rendered in
            json.elements(rendered: rendered, count: parts[index].count)
        }
    }

    /// Rows rendered ahead, as elements of the report's `workloads` array that follow others: each
    /// behind its comma, line break and indentation. Workers render the rows of the files they
    /// judge, so a report's end only copies bytes (see `RenderedJSONRows`).
    public static func renderRows(_ rows: [WorkloadReport], into bytes: inout [UInt8]) {
        guard !rows.isEmpty else { return }
        var writer = JSONWriter(output: ReportOutput(reservingCapacity: rows.count * 1_100), continuingAtDepth: 2, afterElements: true)
        for row in rows { write(row, resolved: true, to: &writer) }
        writer.output.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    static func write(_ finding: Finding, to json: inout JSONWriter) {
        json.beginObject()
        json.member("rule", finding.rule.rawValue)
        json.member("name", finding.rule.name)
        json.member("severity", finding.severity.rawValue)
        json.member("file", finding.file)
        json.member("line", finding.line)
        json.member("column", finding.column)
        json.key("object")
        if let object = finding.object { write(object, to: &json) } else { json.null() }
        json.member("message", finding.message)
        json.key("fixable")
        json.bool(finding.fixable)
        // Only rendered findings carry the key (SPEC §10: absent for plain files).
        if let root = finding.kustomization { json.member("kustomization", root) }
        json.endObject()
    }

    static func write(_ object: ObjectIdentity, to json: inout JSONWriter) {
        json.beginObject()
        json.member("apiVersion", object.apiVersion)
        json.member("kind", object.kind)
        json.member("namespace", object.namespace)
        json.member("name", object.name)
        json.endObject()
    }

    /// `resolved` is false for `images`, which neither resolves platforms nor evaluates policy.
    static func write(_ workload: WorkloadReport, resolved: Bool, to json: inout JSONWriter) {
        json.beginObject()
        json.member("file", workload.file)
        json.member("line", workload.line)
        json.key("object")
        write(workload.object, to: &json)
        json.member("podSpecPath", workload.podSpecPath)
        json.key("images")
        json.beginArray()
        for image in workload.images { write(image, resolved: resolved, to: &json) }
        json.endArray()
        if let root = workload.kustomization { json.member("kustomization", root) }
        if resolved {
            json.key("supported")
            json.strings(workload.supported)
            // `check` always computes A; should a caller not, the key still appears, as null.
            json.key("allowed")
            json.strings(workload.allowed)
        }
        json.endObject()
    }

    static func write(_ image: ImageReport, resolved: Bool, to json: inout JSONWriter) {
        json.beginObject()
        json.member("container", image.container)
        json.member("reference", image.reference)
        json.member("canonical", image.canonical)
        if resolved {
            json.key("platforms")
            json.strings(image.platforms)
        }
        if let source = image.source {
            json.key("source")
            json.beginObject()
            json.member("file", source.file)
            json.member("line", source.line)
            json.endObject()
        }
        json.endObject()
    }

    static func write(_ summary: ReportSummary, to json: inout JSONWriter) {
        json.beginObject()
        json.member("files", summary.files)
        json.member("workloads", summary.workloads)
        json.member("errors", summary.errors)
        json.member("warnings", summary.warnings)
        json.member("notes", summary.notes)
        json.member("fixable", summary.fixable)
        json.endObject()
    }
}
