import Testing
@testable import KubearchCore

@Suite("Plain equality of documents")
struct PlainEqualityTests {
    private static func root(_ text: String) throws -> YAMLNode {
        let stream = YAMLParser.parse(text)
        #expect(stream.error == nil)
        return try #require(stream.documents.first?.root)
    }

    private static func equal(_ old: String, _ new: String) throws -> Bool {
        PlainEquality.equal(try root(old), settingAside: [], try root(new), settingAside: [])
    }

    /// Agrees with `PlainNode` (which the small comparisons still use) on every document of the fixtures.
    @Test func agreesWithPlainNodeOnEveryFixtureDocumentPair() throws {
        let folder = TestPaths.fixtures.appendingPathComponent("manifests").path
        let files = try ManifestFinder(currentDirectory: folder).find([folder])
        let roots = files.flatMap { ManifestSet.scan([$0]).files.flatMap { $0.stream.documents.map(\.root) } }
        #expect(roots.count > 20)
        for (index, old) in roots.enumerated() {
            #expect(PlainEquality.equal(old, settingAside: [], old, settingAside: []))
            let new = roots[(index + 1) % roots.count]
            #expect(PlainEquality.equal(old, settingAside: [], new, settingAside: []) == (PlainNode(old) == PlainNode(new)))
        }
    }

    @Test func positionsAndCollectionStyleDoNotCountButScalarsStylesAndTagsDo() throws {
        #expect(try Self.equal("a: [1, 2]\nb: {c: d}\n", "a:\n  - 1\n  - 2\nb:\n  c: d\n"))
        #expect(try Self.equal("a: 1\n", "a:    1   # comment\n"))
        #expect(try !Self.equal("a: 1\n", "a: '1'\n"))
        #expect(try !Self.equal("a: 1\n", "a: !!str 1\n"))
        #expect(try !Self.equal("a: 1\nb: 2\n", "b: 2\na: 1\n"))
        #expect(try !Self.equal("a: [1, 2]\n", "a: [1]\n"))
        #expect(try !Self.equal("a: &x 1\nb: *x\n", "a: &y 1\nb: *y\n"))
    }

    @Test func nodeAffinityOfAPodSpecIsSetAsideAndAnAffinityLeftEmptyGoesWithIt() throws {
        let old = try Self.root("spec:\n  containers: []\n")
        let new = try Self.root("spec:\n  containers: []\n  affinity:\n    nodeAffinity: {x: 1}\n")
        let oldSpec = try #require(old["spec"]).start.offset
        let newSpec = try #require(new["spec"]).start.offset
        #expect(PlainEquality.equal(old, settingAside: [oldSpec], new, settingAside: [newSpec]))
        #expect(!PlainEquality.equal(old, settingAside: [], new, settingAside: []))

        // Another affinity field is still compared.
        let other = try Self.root("spec:\n  containers: []\n  affinity:\n    podAffinity: {}\n    nodeAffinity: {x: 1}\n")
        #expect(!PlainEquality.equal(old, settingAside: [oldSpec], other, settingAside: [try #require(other["spec"]).start.offset]))
        // A null affinity is the same as none.
        let null = try Self.root("spec:\n  containers: []\n  affinity:\n")
        #expect(PlainEquality.equal(null, settingAside: [try #require(null["spec"]).start.offset], new, settingAside: [newSpec]))
    }
}
