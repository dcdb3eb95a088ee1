import Testing
@testable import KubearchCore

/// The flat node store behind `YAMLNode`: views, aliases, and duplicate keys compared in place.
@Suite("YAML tree storage")
struct YAMLTreeTests {
    private func root(_ text: String) throws -> YAMLNode {
        let stream = YAMLParser.parse(text)
        #expect(stream.error == nil)
        return try #require(stream.documents.first?.root)
    }

    @Test func sequenceResolvesAliasesWhileContentKeepsThem() throws {
        let node = try root("base: &b {x: 1}\nlist: [*b, 2, *b]\n")
        let list = try #require(node["list"])
        let resolved = try #require(list.sequence)
        #expect(resolved.count == 3)
        #expect(resolved.map { $0.isMapping } == [true, false, true])
        #expect(resolved[2]["x"]?.scalar == "1")
        guard case .sequence(let written, .flow) = list.content else {
            Issue.record("expected a flow sequence")
            return
        }
        #expect(written.map(\.isAlias) == [true, false, true])
        guard case .alias(let name, let target) = written[0].content else {
            Issue.record("expected an alias")
            return
        }
        #expect(name == "b")
        #expect(target.anchor == "b")
        #expect(target.start.description == "1:7")
    }

    @Test func viewsReadPairsInOrderWithPositions() throws {
        let node = try root("a: 1\nb:\n  - x\n  - y\nc: !!str 3\n")
        let pairs = try #require(node.pairs)
        #expect(pairs.compactMap(\.key.scalar) == ["a", "b", "c"])
        #expect(pairs[1].value.sequence?.compactMap(\.scalar) == ["x", "y"])
        #expect(pairs[1].value.range.start.description == "3:3")
        #expect(pairs[2].value.tag == "tag:yaml.org,2002:str")
        #expect(node["missing"] == nil)
    }

    @Test func emptyLiteralsAreEmptyViews() throws {
        let node = try root("a: 1\n")
        let items: YAMLNode.Items = node["missing"]?.sequence ?? []
        let pairs: YAMLNode.Pairs = node["a"]?.pairs ?? []
        #expect(items.isEmpty && pairs.isEmpty)
        let empty = YAMLNode.emptyMapping(at: SourcePosition(offset: 4, line: 2, column: 1))
        #expect(empty.isMapping && empty.pairs?.isEmpty == true && empty.start.line == 2)
    }

    @Test(arguments: [
        // Same length and first seven bytes, different text: not duplicates.
        ("containerA: 1\ncontainerB: 2\n", [String]()),
        // A quoted key equals the plain one it spells.
        ("name: 1\n'name': 2\n", ["name"]),
        // A plain key written over two lines (an explicit key) folds to one space.
        ("? long\n  key\n: 1\n\"long key\": 2\n", ["long key"]),
        // Escapes are compared by value.
        ("\"a\\tb\": 1\n\"a\tb\": 2\n", ["a\tb"]),
        // `<<` merges; a quoted "<<" is an ordinary key.
        ("<<: {a: 1}\n<<: {b: 2}\n", []),
        // Canonically equivalent but different bytes: distinct keys, as Kubernetes' decoder reads them.
        ("\u{E9}: 1\ne\u{301}: 2\n", []),
        ("spec:\n  ports:\n    \u{E9}: 1\n    e\u{301}: 2\n", []),
        // Keys equal in their first bytes but longer than a signature.
        ("imagePullPolicy: a\nimagePullPolicy: b\n", ["imagePullPolicy"]),
    ])
    func duplicateKeysAreComparedByValue(text: String, duplicates: [String]) {
        let stream = YAMLParser.parse(text)
        #expect(stream.error == nil)
        #expect(stream.duplicateKeys.map(\.key) == duplicates)
        // A lean parse skips `ports` and compares the keys inside it on its own path.
        let lean = YAMLParser.parse(Array(text.utf8), skippingValuesOf: ManifestScanner.irrelevantKeys)
        #expect(lean.duplicateKeys == stream.duplicateKeys)
    }

    @Test func leanParseFindsDuplicatesAmongSkippedAndKeptKeys() {
        // `ports` is skipped by a lean scan; its duplicate is still found, at the second key.
        let text = "spec:\n  ports: [1]\n  image: x\n  ports: [2]\n  image: y\n"
        let lean = YAMLParser.parse(Array(text.utf8), skippingValuesOf: ManifestScanner.irrelevantKeys)
        let full = YAMLParser.parse(text)
        #expect(lean.duplicateKeys.map(\.key) == ["ports", "image"])
        #expect(lean.duplicateKeys == full.duplicateKeys)
        #expect(lean.documents.first?.root["spec"]?["ports"] == nil)
        #expect(full.documents.first?.root["spec"]?["ports"]?.sequence?.count == 1)
    }
}
