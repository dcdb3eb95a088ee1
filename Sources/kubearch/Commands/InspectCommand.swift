import ArgumentParser
import FoundationEssentials
import KubearchCore
import KubearchReporters

struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print the digest and platforms of images, from their registry (or the lockfile with --offline).")

    @Argument(help: "Image references, e.g. nginx:1.27 or quay.io/prometheus/node-exporter:v1.8.0.")
    var images: [String]
    @OptionGroup var options: CommonOptions
    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    func validate() throws {
        guard format == .text || format == .json else {
            throw ValidationError("'inspect' prints text or json, not \(format.rawValue)")
        }
    }

    struct Row {
        var reference: String
        var canonical: String?
        var digest: String?
        var platforms: [Platform]?
        var error: String?
    }

    func run() async throws {
        let rows = try await CommandFailure.reporting { () async throws -> [Row] in
            let session = try Session.load(options)
            var rows: [Row] = []
            var wanted: Set<ImageReference> = []
            for text in images {
                switch Result(catching: { () throws(ImageReferenceError) in try ImageReference(parsing: text) }) {
                case .failure(let error):
                    rows.append(Row(reference: text, error: error.description))
                case .success(let reference):
                    rows.append(Row(reference: text, canonical: reference.canonical))
                    if !session.offline { wanted.insert(reference) }
                }
            }
            let answers = wanted.isEmpty ? [:] : await ImageCatalog.ask(wanted, configuration: session.configuration, progress: false, verbose: session.verbose)
            for index in rows.indices {
                guard let canonical = rows[index].canonical, let reference = try? ImageReference(parsing: rows[index].reference) else { continue }
                if session.offline {
                    if let entry = session.lockfile.lookup(canonical) {
                        rows[index].digest = entry.digest
                        rows[index].platforms = entry.platforms
                    } else {
                        rows[index].error = "\(canonical) is not in the lockfile"
                    }
                } else {
                    switch answers[reference] {
                    case .success(let image)?:
                        rows[index].digest = image.digest
                        rows[index].platforms = image.platforms
                    case .failure(let error)?:
                        rows[index].error = error.description
                    case nil:
                        rows[index].error = "\(canonical) was not resolved"
                    }
                }
            }
            return rows
        }
        Output.standardOutput(format == .json ? Self.json(rows) : Self.text(rows))
        if rows.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }

    static func text(_ rows: [Row]) -> String {
        var output = ""
        for row in rows {
            if let error = row.error {
                output += "\(row.canonical ?? row.reference): error: \(error)\n"
                continue
            }
            output += "\(row.canonical ?? row.reference)\n  digest: \(row.digest ?? "-")\n"
            for platform in row.platforms ?? [] {
                output += "  \(platform)\(platform.osVersion.map { " (os.version \($0))" } ?? "")\n"
            }
        }
        return output
    }

    static func json(_ rows: [Row]) -> String {
        let images: [JSONValue] = rows.map { row in
            .object([
                ("reference", .string(row.reference)),
                ("canonical", row.canonical.map(JSONValue.string) ?? .null),
                ("digest", row.digest.map(JSONValue.string) ?? .null),
                ("platforms", row.platforms.map { .array($0.map { .string($0.description) }) } ?? .null),
                ("error", row.error.map(JSONValue.string) ?? .null),
            ])
        }
        return JSONValue.object([("version", .int(1)), ("images", .array(images))]).rendered()
    }
}
