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
        guard actualBytes != expected else { return }
        Issue.record(
            "output differs from \(name) (\(firstDifference(actual, String(decoding: expected, as: UTF8.self)))); rerun with KUBEARCH_UPDATE_GOLDEN=1 and review the diff",
            sourceLocation: sourceLocation
        )
    }

    /// The first line that differs, for a readable failure.
    private static func firstDifference(_ actual: String, _ expected: String) -> String {
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(actualLines.count, expectedLines.count) {
            let got = index < actualLines.count ? String(actualLines[index]) : "<end>"
            let want = index < expectedLines.count ? String(expectedLines[index]) : "<end>"
            if got != want {
                return "line \(index + 1): got \(got.debugDescription), expected \(want.debugDescription)"
            }
        }
        return "same lines, different bytes"
    }
}
