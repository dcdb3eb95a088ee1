import ArgumentParser
import KubearchCore

struct ImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "List workloads and their images. No resolution, no network.")

    @OptionGroup var input: PathArguments

    func run() throws {
        let sources = try ManifestFinder().find(input.paths)
        let set = ManifestSet.scan(sources)
        for workload in set.workloads {
            let object = workload.object
            print("\(workload.file):\(workload.kindPosition.line): \(object.kind ?? "?") \(object.namespace.map { $0 + "/" } ?? "")\(object.name ?? "?") (\(workload.podSpecPathDescription))")
            for image in workload.images {
                print("  \(image.container ?? "-"): \(image.reference)\(image.isInitContainer ? " (init)" : "")")
            }
        }
        for finding in set.findings {
            print("\(finding.file):\(finding.line):\(finding.column): \(finding.severity): \(finding.message) [\(finding.rule.rawValue)]")
        }
    }
}
