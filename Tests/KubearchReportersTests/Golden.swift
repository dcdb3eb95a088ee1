import Foundation
import Testing

/// Byte-for-byte comparison with files in `fixtures/golden/reporters/`.
/// `KUBEARCH_UPDATE_GOLDEN=1 swift test --filter KubearchReportersTests` rewrites them instead;
/// review the diff before committing.
enum Golden {
    static var packageRoot: URL {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return folder
            }
            folder = folder.deletingLastPathComponent()
        }
        return folder
    }

    static func url(_ name: String) -> URL {
        packageRoot.appendingPathComponent("fixtures/golden/reporters").appendingPathComponent(name)
    }

    static var updating: Bool {
        ProcessInfo.processInfo.environment["KUBEARCH_UPDATE_GOLDEN"] == "1"
    }

    static func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = url(name)
        let actualBytes = Data(actual.utf8)
        if updating {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actualBytes.write(to: file)
            return
        }
        let expected = try Data(contentsOf: file)
        #expect(
            actualBytes == expected,
            "output differs from \(name); rerun with KUBEARCH_UPDATE_GOLDEN=1 and review the diff",
            sourceLocation: sourceLocation
        )
    }
}
