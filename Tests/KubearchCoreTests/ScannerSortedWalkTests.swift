import Foundation
import Testing
@testable import KubearchCore

/// `SortedWalk` gives the files of a tree in the order a sorted listing has (the report's order),
/// listing folders one at a time, and stops before the files of a folder its predicate marks.
@Suite struct ScannerSortedWalkTests {
    /// Names whose order depends on `/` sorting after `-` and `.`, on case, on non-ASCII (precomposed
    /// and decomposed), on hidden and excluded entries, and on folders next to files of the same stem.
    static let files = [
        "a.yaml", "a-b.yaml", "a/x.yaml", "a/y/z.yaml", "a.b/c.yaml", "a0.yml", "A.json", "B/b.yaml", "b.yaml",
        "é.yaml", "e\u{301}x.yaml", "e/f.yaml", "z/.hidden.yaml", ".hidden/x.yaml", "z/skip/me.yaml", "z/keep.yaml",
        "z/kust/kustomization.yaml", "z/kust/base.yaml", "z/kust/sub/deep.yaml", "zz.yaml", "readme.txt",
    ]

    func makeTree() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kubearch-walk-\(UUID().uuidString)")
        for file in Self.files {
            let url = folder.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("kind: ConfigMap\n".utf8).write(to: url)
        }
        return folder
    }

    @Test func givesTheListingsOrder() throws {
        let folder = try makeTree()
        defer { try? FileManager.default.removeItem(at: folder) }
        let finder = ManifestFinder(exclude: [Glob("z/skip")], currentDirectory: folder.path)
        let listed = try ManifestSet.list(["."], with: finder).map(\.displayPath)
        let walk = SortedWalk(root: try #require(try finder.roots(["."]).first), finder: finder)
        var walked: [String] = []
        while let source = walk.next() { walked.append(source.displayPath) }
        #expect(walked == listed)
        #expect(walked.count == 17)
        #expect(!walk.stopped)
        #expect(walk.unlisted.isEmpty)
    }

    @Test func stopsBeforeAMarkedFoldersFilesAndGoesOn() throws {
        let folder = try makeTree()
        defer { try? FileManager.default.removeItem(at: folder) }
        let listed = ListedFolders(watchingFor: ["kustomization.yaml"])
        var finder = ManifestFinder(currentDirectory: folder.path)
        finder.listedFolders = listed
        let walk = SortedWalk(root: try #require(try finder.roots(["."]).first), finder: finder) { listed.holdsWatchedName($0) == true }
        var before: [String] = []
        while let source = walk.next() { before.append(source.displayPath) }
        #expect(walk.stopped)
        #expect(before.last == "z/keep.yaml")
        #expect(!before.contains { $0.hasPrefix("z/kust/") })
        walk.stopsAt = nil
        var after: [String] = []
        while let source = walk.next() { after.append(source.displayPath) }
        #expect(!walk.stopped)
        #expect(after == ["z/kust/base.yaml", "z/kust/kustomization.yaml", "z/kust/sub/deep.yaml", "z/skip/me.yaml", "zz.yaml", "é.yaml", "e\u{301}x.yaml"])
        #expect(before + after == (try ManifestSet.list(["."], with: ManifestFinder(currentDirectory: folder.path)).map(\.displayPath)))
    }

    /// A scan fed by the walk, directly or through `WalkAhead` (its thread a few files ahead, here a
    /// buffer of two so that both sides wait), delivers every file once, in walk order.
    @Test(arguments: [false, true])
    func feedsAnOrderedScan(throughWalkAhead: Bool) throws {
        let folder = try makeTree()
        defer { try? FileManager.default.removeItem(at: folder) }
        let finder = ManifestFinder(currentDirectory: folder.path)
        let walk = SortedWalk(root: try #require(try finder.roots(["."]).first), finder: finder)
        let ahead = throughWalkAhead ? WalkAhead(walk, capacity: 2) : nil
        let next: @Sendable () -> ManifestSource?
        if let ahead {
            next = { ahead.next() }
        } else {
            next = { walk.next() }
        }
        var delivered: [String] = []
        ManifestSet.process(inOrder: next, detail: .lean, window: 3, { source, _ in source.displayPath }) { source, result in
            #expect((try? result.get()) == source.displayPath)
            delivered.append(source.displayPath)
        }
        ahead?.waitUntilFinished()
        #expect(delivered == (try ManifestSet.list(["."], with: finder).map(\.displayPath)))
    }

    /// Through `WalkAhead`, a stop ends the files handed out; the walk then goes on from the stop.
    @Test func walkAheadEndsAtAStop() throws {
        let folder = try makeTree()
        defer { try? FileManager.default.removeItem(at: folder) }
        let listed = ListedFolders(watchingFor: ["kustomization.yaml"], remembersEveryFolder: false)
        var finder = ManifestFinder(currentDirectory: folder.path)
        finder.listedFolders = listed
        let walk = SortedWalk(root: try #require(try finder.roots(["."]).first), finder: finder) { listed.holdsWatchedName($0) == true }
        let ahead = WalkAhead(walk, capacity: 2)
        var before: [String] = []
        while let source = ahead.next() { before.append(source.displayPath) }
        ahead.waitUntilFinished()
        #expect(walk.stopped)
        #expect(before.last == "z/keep.yaml")
        #expect(listed.holdsWatchedName(folder.path + "/a") == nil)
        walk.stopsAt = nil
        var after: [String] = []
        while let source = walk.next() { after.append(source.displayPath) }
        #expect(before + after == (try ManifestSet.list(["."], with: ManifestFinder(currentDirectory: folder.path)).map(\.displayPath)))
    }
}
