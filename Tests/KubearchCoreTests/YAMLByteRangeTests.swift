import Testing
@testable import KubearchCore

/// The bytes a node spans, cut from the source: the strongest check that offsets are exact.
private func slice(_ bytes: [UInt8], _ node: YAMLNode) -> String {
    String(decoding: bytes[node.range.bytes], as: UTF8.self)
}

private func parseOne(_ text: String) throws -> (bytes: [UInt8], root: YAMLNode) {
    let bytes = Array(text.utf8)
    let stream = YAMLParser.parse(bytes)
    #expect(stream.error == nil, "\(String(describing: stream.error))")
    let document = try #require(stream.documents.first)
    return (bytes, document.root)
}

@Suite("YAML byte ranges")
struct YAMLByteRangeTests {
    @Test func blockMappingAndSequence() throws {
        let (bytes, root) = try parseOne("a: 1\nb:\n  - x\n  - \"y\"\n  - 'z'\n")
        let a = try #require(root.pair(forKey: "a"))
        #expect(a.key.range.bytes == 0..<1)
        #expect(a.value.range.bytes == 3..<4)
        #expect(a.value.start.line == 1 && a.value.start.column == 4)
        let b = try #require(root["b"])
        #expect(slice(bytes, b) == "- x\n  - \"y\"\n  - 'z'")
        #expect(b.start == SourcePosition(offset: 10, line: 3, column: 3))
        let items = try #require(b.sequence)
        #expect(items.map { slice(bytes, $0) } == ["x", "\"y\"", "'z'"])
        #expect(items.map(\.scalar) == ["x", "y", "z"])
        #expect(slice(bytes, root) == "a: 1\nb:\n  - x\n  - \"y\"\n  - 'z'")
        #expect(root.collectionStyle == .block)
    }

    @Test func flowCollections() throws {
        let (bytes, root) = try parseOne("top: {a: [1, 2], b: {c: d}}\n")
        let top = try #require(root["top"])
        #expect(top.collectionStyle == .flow)
        #expect(slice(bytes, top) == "{a: [1, 2], b: {c: d}}")
        #expect(slice(bytes, try #require(top["a"])) == "[1, 2]")
        #expect(slice(bytes, try #require(top["b"])) == "{c: d}")
        #expect(top["b"]?["c"]?.start == SourcePosition(offset: 24, line: 1, column: 25))
    }

    @Test func jsonDocument() throws {
        let text = "{\n  \"kind\": \"Pod\",\n  \"spec\": {\"containers\": [{\"image\": \"nginx\"}]}\n}\n"
        let (bytes, root) = try parseOne(text)
        let kind = try #require(root.pair(forKey: "kind"))
        #expect(slice(bytes, kind.key) == "\"kind\"")
        #expect(slice(bytes, kind.value) == "\"Pod\"")
        let image = try #require(root.value(at: ["spec", "containers"])?.sequence?.first?["image"])
        #expect(slice(bytes, image) == "\"nginx\"")
        #expect(image.start.line == 3)
        #expect(slice(bytes, root) == String(text.dropLast()))
    }

    @Test func crlfLineEndings() throws {
        let text = "a: 1\r\nb:\r\n  c: \"d\"\r\n"
        let stream = YAMLParser.parse(text)
        #expect(stream.lineEnding == .crlf)
        let (bytes, root) = try parseOne(text)
        let c = try #require(root["b"]?.pair(forKey: "c"))
        #expect(c.key.start == SourcePosition(offset: 12, line: 3, column: 3))
        #expect(slice(bytes, c.value) == "\"d\"")
    }

    @Test func byteOrderMark() throws {
        let text = "\u{FEFF}kind: Pod\nname: x\n"
        let stream = YAMLParser.parse(text)
        #expect(stream.hasBOM)
        let (bytes, root) = try parseOne(text)
        let kind = try #require(root.pair(forKey: "kind"))
        #expect(kind.key.range.bytes == 3..<7)
        #expect(kind.key.start.column == 1)
        #expect(slice(bytes, try #require(root["name"])) == "x")
    }

    @Test func multiByteTextBeforeNodes() throws {
        // é is 2 bytes, 😀 is 4 bytes (one code point), 日本 are 3 bytes each.
        let text = "# café 😀 日本\nname: \"😀x\"\nnext: é\nlast: value\n"
        let (bytes, root) = try parseOne(text)
        let name = try #require(root.pair(forKey: "name"))
        #expect(name.key.start.offset == Array("# café 😀 日本\n".utf8).count)
        #expect(slice(bytes, name.value) == "\"😀x\"")
        #expect(name.value.scalar == "😀x")
        #expect(slice(bytes, try #require(root["next"])) == "é")
        let last = try #require(root.pair(forKey: "last"))
        #expect(slice(bytes, last.key) == "last")
        #expect(slice(bytes, last.value) == "value")
        #expect(last.value.start.column == 7)
    }

    @Test func anchorsAndAliases() throws {
        let text = "base: &b\n  image: nginx\n  tag: x\nuse: *b\nmerged:\n  <<: *b\n  tag: y\n"
        let (bytes, root) = try parseOne(text)
        let use = try #require(root.pair(forKey: "use"))
        #expect(slice(bytes, use.value) == "*b")
        #expect(use.value.resolved["image"]?.scalar == "nginx")
        #expect(root["use"]?["image"]?.scalar == "nginx")
        #expect(root["base"]?.anchor == "b")
        // An explicit key wins over the merged one; others come through the merge.
        #expect(root["merged"]?["tag"]?.scalar == "y")
        #expect(root["merged"]?["image"]?.scalar == "nginx")
    }

    @Test func documentMarkers() throws {
        let text = "---\na: 1\n...\n---\nb: 2\n--- c\n"
        let bytes = Array(text.utf8)
        let stream = YAMLParser.parse(bytes)
        #expect(stream.error == nil)
        #expect(stream.documents.count == 3)
        let first = stream.documents[0]
        #expect(first.hasExplicitStart && first.hasExplicitEnd)
        #expect(String(decoding: bytes[first.range.bytes], as: UTF8.self) == "---\na: 1\n...")
        #expect(stream.documents[1].root["b"]?.start.line == 5)
        #expect(stream.documents[2].root.scalar == "c")
        #expect(stream.documents[2].root.range.bytes == 26..<27)
    }

    @Test func commentsAroundNodes() throws {
        let text = "# head\na: 1 # trailing\n# between\nb:\n  # inside\n  - x # item\n# tail\n"
        let (bytes, root) = try parseOne(text)
        #expect(slice(bytes, try #require(root["a"])) == "1")
        let b = try #require(root["b"])
        #expect(slice(bytes, b) == "- x")
        #expect(b.start.line == 6)
        #expect(slice(bytes, root).hasPrefix("a: 1"))
        #expect(slice(bytes, root).hasSuffix("- x"))
    }

    @Test func blockScalarsIncludeIndicator() throws {
        let (bytes, root) = try parseOne("script: |\n  echo hi\n  exit 0\nnext: 1\n")
        let script = try #require(root["script"])
        #expect(script.scalar == "echo hi\nexit 0\n")
        #expect(slice(bytes, script) == "|\n  echo hi\n  exit 0\n")
    }

    @Test func syntaxErrorKeepsEarlierDocuments() throws {
        let stream = YAMLParser.parse("a: 1\n---\nb: [1, 2\n")
        #expect(stream.documents.count == 1)
        let error = try #require(stream.error)
        #expect(error.position.line == 4)
        #expect(error.message.contains("flow sequence"))
    }

    @Test func invalidUTF8IsLocated() throws {
        let stream = YAMLParser.parse([0x61, 0x3A, 0x20, 0x0A, 0x62, 0x3A, 0x20, 0xFF, 0x0A])
        let error = try #require(stream.error)
        #expect(error.position.line == 2)
        #expect(error.position.offset == 7)
    }

    @Test func excessiveNestingIsRejected() throws {
        let deep = String(repeating: "[", count: YAMLParser.maximumDepth + 5)
        let stream = YAMLParser.parse(deep)
        let error = try #require(stream.error)
        #expect(error.message.contains("nesting"))
    }
}
