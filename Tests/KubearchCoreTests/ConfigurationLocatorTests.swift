import Foundation
import Testing
@testable import KubearchCore

@Suite("Configuration discovery")
struct ConfigurationLocatorTests {
    @Test func findsTheConfigurationInAParentFolderOfTheRepository() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.makeFolder("repo/.git")
        try scratch.makeFolder("repo/apps/web")
        try scratch.writeFile("repo/.kubearch.yaml", "version: 1\n")
        #expect(ConfigurationLocator.find(startingAt: scratch.path("repo/apps/web")) == scratch.path("repo/.kubearch.yaml"))
        #expect(ConfigurationLocator.find(startingAt: scratch.path("repo")) == scratch.path("repo/.kubearch.yaml"))
    }

    @Test func theNearestConfigurationWins() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.makeFolder("repo/.git")
        try scratch.makeFolder("repo/apps/web")
        try scratch.writeFile("repo/.kubearch.yaml", "version: 1\n")
        try scratch.writeFile("repo/apps/.kubearch.yaml", "version: 1\n")
        #expect(ConfigurationLocator.find(startingAt: scratch.path("repo/apps/web")) == scratch.path("repo/apps/.kubearch.yaml"))
    }

    @Test func aConfigurationAboveTheGitRootIsNotFound() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile(".kubearch.yaml", "version: 1\n")
        try scratch.makeFolder("repo/.git")
        try scratch.makeFolder("repo/apps")
        #expect(ConfigurationLocator.find(startingAt: scratch.path("repo/apps")) == nil)
    }

    @Test func aGitFileMarksTheRootToo() throws {
        // Worktrees and submodules have a `.git` file, not a folder.
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile(".kubearch.yaml", "version: 1\n")
        try scratch.writeFile("worktree/.git", "gitdir: /elsewhere\n")
        try scratch.makeFolder("worktree/apps")
        #expect(ConfigurationLocator.find(startingAt: scratch.path("worktree/apps")) == nil)
    }

    @Test func outsideARepositoryTheWalkGoesUp() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.writeFile(".kubearch.yml", "version: 1\n")
        try scratch.makeFolder("a/b/c")
        #expect(ConfigurationLocator.find(startingAt: scratch.path("a/b/c")) == scratch.path(".kubearch.yml"))
    }

    @Test func yamlIsPreferredOverYmlAndFoldersAreIgnored() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.makeFolder("repo/.git")
        try scratch.writeFile("repo/.kubearch.yml", "version: 1\n")
        try scratch.writeFile("repo/.kubearch.yaml", "version: 1\n")
        try scratch.makeFolder("repo/apps/.kubearch.yaml")
        #expect(ConfigurationLocator.find(startingAt: scratch.path("repo/apps")) == scratch.path("repo/.kubearch.yaml"))
    }

    @Test func noConfigurationInTheRepository() throws {
        let scratch = try ConfigScratchFolder()
        try scratch.makeFolder("repo/.git")
        #expect(ConfigurationLocator.find(startingAt: scratch.path("repo")) == nil)
    }

    // `swift test` runs in the package root, a git checkout or worktree: the walk stops there.
    @Test(.enabled(if: FileManager.default.currentDirectoryPath == TestPaths.packageRoot.path))
    func relativeStartingFolderIsTakenFromTheCurrentFolder() throws {
        let root = TestPaths.packageRoot.path
        let expected = Configuration.fileNames.map { root + "/" + $0 }.first { FileManager.default.fileExists(atPath: $0) }
        #expect(ConfigurationLocator.find(startingAt: "Sources/KubearchCore") == expected)
        #expect(ConfigurationLocator.find(startingAt: "Sources/../Sources/KubearchCore") == expected)
    }
}
