import Foundation

/// Locates `fixtures/` by walking up from this file to the package root.
enum RegistryFixtures {
    static let packageRoot: URL = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            folder.deleteLastPathComponent()
        }
        return folder
    }()

    static var ociFolder: URL { packageRoot.appendingPathComponent("fixtures/oci") }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: ociFolder.appendingPathComponent(relativePath))
    }

    /// Every file under `fixtures/oci`, as paths relative to it.
    static func allOCIFiles() -> [String] {
        let root = ociFolder.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        return walker.compactMap { $0 as? String }
            .filter { !$0.hasPrefix(".") && $0.hasSuffix(".json") }
            .sorted()
    }
}
