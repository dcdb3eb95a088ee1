import Foundation

/// Locations of test data, found from this file rather than from the machine.
enum TestPaths {
    /// The package root (the folder holding Package.swift).
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static let fixtures = packageRoot.appendingPathComponent("fixtures")

    /// `../shared/corpus` beside the checkout, as developers and CI have it.
    static let sharedCorpus = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")

    static var hasSharedCorpus: Bool {
        FileManager.default.fileExists(atPath: sharedCorpus.appendingPathComponent("manifests").path)
    }

    static func fixture(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(relative)))
    }
}
