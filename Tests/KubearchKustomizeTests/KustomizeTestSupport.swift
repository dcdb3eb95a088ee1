import Foundation
import KubearchCore
@testable import KubearchKustomize

/// Locations of test data, found from this file rather than from the machine.
enum TestPaths {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static let kustomizeFixtures = packageRoot.appendingPathComponent("fixtures/kustomize")
}

/// `kubectl kustomize`, the reference renderer (kustomize v5.5 inside kubectl 1.32).
enum KustomizeOracle {
    static let kubectl: String? = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The rendered objects, or nil with kustomize's error text when it fails.
    static func render(_ root: String, loadRestrictorNone: Bool = false) throws -> (objects: [ResourceNode]?, error: String) {
        guard let kubectl else { return (nil, "kubectl is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: kubectl)
        process.arguments = ["kustomize"] + (loadRestrictorNone ? ["--load-restrictor", "LoadRestrictionsNone"] : []) + [root]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return (nil, errorText) }
        let stream = YAMLParser.parse(Array(data))
        return (stream.documents.filter { !$0.root.isNull }.map { ResourceNode($0.root, file: "kubectl", source: Array(data)) }, errorText)
    }
}

/// The fields kubearch judges (SPEC §11: kind, namespace, name, pod spec path, images,
/// nodeSelector, affinity, tolerations, annotations it reads, replicas), as one canonical line per
/// object so that two renderings compare field by field.
enum JudgedFields {
    static func of(_ object: ResourceNode) -> String? {
        guard let kind = object["kind"]?.scalar else { return nil }
        let paths: [String: [String]] = [
            "Pod": ["spec"], "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"], "PodTemplate": ["template", "spec"],
        ]
        let podSpecPath = paths[kind] ?? ["spec", "template", "spec"]
        guard let podSpec = object.value(at: podSpecPath), podSpec.pairs != nil else { return nil }
        var fields: [String] = [
            "kind=\(kind)", "namespace=\(object.value(at: ["metadata", "namespace"])?.scalar ?? "-")",
            "name=\(object.value(at: ["metadata", "name"])?.scalar ?? "-")", "podSpec=\(podSpecPath.joined(separator: "."))",
            "replicas=\(object.value(at: ["spec", "replicas"]).map(canonical) ?? "-")",
        ]
        for list in ["initContainers", "containers"] {
            let images = (podSpec[list]?.items ?? []).map { "\($0["name"]?.scalar ?? "-")=\($0["image"]?.scalar ?? "-")" }
            fields.append("\(list)=[\(images.joined(separator: ","))]")
        }
        for key in ["nodeSelector", "affinity", "tolerations", "nodeName"] {
            fields.append("\(key)=\(podSpec[key].map(canonical) ?? "-")")
        }
        let annotations = (object.value(at: ["metadata", "annotations"])?.pairs ?? []).filter { $0.key.hasPrefix("kubearch.dev/") }
        fields.append("annotations=\(annotations.map { "\($0.key)=\($0.value.scalar ?? "")" }.sorted().joined(separator: ","))")
        return fields.joined(separator: " ")
    }

    /// Key-sorted, type-aware text of a value.
    static func canonical(_ node: ResourceNode) -> String {
        switch node.value {
        case .scalar(let text, let quoted):
            return ResourceNode.isStringLike(text, quoted: quoted) ? "\"\(text)\"" : (ResourceNode.isNullText(text) && !quoted ? "null" : text)
        case .sequence(let items):
            return "[" + items.map(canonical).joined(separator: ",") + "]"
        case .mapping(let pairs):
            return "{" + pairs.sorted { $0.key < $1.key }.map { "\($0.key):\(canonical($0.value))" }.joined(separator: ",") + "}"
        }
    }
}

/// Every kustomization folder under `folder`, and the roots kubearch finds among them.
func discoverTree(_ folder: URL) -> (tree: KustomizeTree, files: SourceFiles) {
    var kustomizations: [String] = []
    let enumerator = FileManager.default.enumerator(atPath: folder.path)
    while let relative = enumerator?.nextObject() as? String {
        if Kustomization.fileNames.contains((relative as NSString).lastPathComponent) {
            kustomizations.append(SourceFiles.normalize(folder.path + "/" + relative))
        }
    }
    let files = SourceFiles(currentDirectory: folder.path, repositoryRoot: folder.path)
    return (KustomizeTree.discover(kustomizationFiles: kustomizations, files: files), files)
}
