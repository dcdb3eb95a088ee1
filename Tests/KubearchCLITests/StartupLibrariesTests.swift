import Foundation
import Testing

/// What an offline run loads at start-up. Loading shared libraries was most of a pre-commit run's time:
/// libcurl is opened only when a registry is asked (Sources/CCurl/shim.c), and on Linux the Swift
/// runtime and Foundation are linked into the executable (Package.swift).
@Suite("Start-up libraries")
struct StartupLibrariesTests {
    #if os(Linux)
    @Test func anOfflineCheckLoadsNeitherLibcurlNorTheSwiftRuntime() async throws {
        let repo = try TemporaryFolder("kubearch-startup")
        defer { repo.remove() }
        try repo.write("kubearch.lock", "version: 1\nimages: {}\n")
        try repo.write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: main\n    image: example.com/a:1\n")
        // glibc's loader names every object it opens on standard error.
        let run = try await BuiltBinary.run(["check", "--offline", "pod.yaml"], in: repo.url, environment: ["LD_DEBUG": "files"])
        #expect(run.status == 1)  // KA005: the image is not in the lockfile
        #expect(run.standardOutput.contains("KA005"))
        // The loader's report is there (libyaml is a shared library), so the absences below mean something.
        try #require(run.standardError.contains("file=libyaml"))
        #expect(!run.standardError.contains("libcurl"))
        #expect(!run.standardError.contains("libswiftCore"))
        #expect(!run.standardError.contains("libFoundation"))
    }

    /// The tool links FoundationEssentials only: Foundation proper (`NSString`, `NSLock`, `Process`,
    /// …) brings ICU's data with it, about 50 MB of the static binary.
    @Test func theExecutableHoldsNeitherFoundationNorICU() throws {
        let bytes = try Data(contentsOf: BuiltBinary.url)
        try #require(bytes.count > 1_000_000)
        // The module's symbols would be there (`$s10Foundation…`), and ICU's data symbol (`icudt74_dat`).
        #expect(bytes.range(of: Data("s10Foundation".utf8)) == nil)
        #expect(bytes.range(of: Data("icudt".utf8)) == nil)
        #expect(bytes.range(of: Data("s20FoundationEssentials".utf8)) != nil)
    }
    #endif
}
