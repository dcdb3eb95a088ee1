import Testing
@testable import KubearchCore

/// `SnippetRenderer`: which strings may be written plain, and the block layout of a managed term.
@Suite struct EditSnippetRendererTests {
    /// The byte test agrees with the rule it implements (an ASCII letter first; then ASCII letters,
    /// digits and `-_./`; not a YAML 1.1 boolean or null), over every string of up to two characters
    /// from a sample alphabet, the reserved words in any case, and non-ASCII letters.
    @Test func safePlainMatchesTheRule() {
        func rule(_ text: String) -> Bool {
            guard let first = text.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
            let allowed = text.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./".unicodeScalars.contains($0))
            }
            return allowed && !["y", "n", "yes", "no", "on", "off", "true", "false", "null"].contains(text.lowercased())
        }
        let alphabet = ["a", "Z", "y", "N", "0", "9", "-", "_", ".", "/", " ", ":", "@", "[", "`", "{", "é", "\u{7F}", "\u{0}"]
        var samples = ["", "amd64", "arm64", "kubernetes.io/arch", "In", "386", "on", "ON", "Off", "TRUE", "null", "Null", "yes",
                       "nullable", "offset", "arm/v7", "été", "ａmd64", "x y", "amd64:"]
        for first in alphabet {
            samples.append(first)
            for second in alphabet { samples.append(first + second) }
        }
        for sample in samples {
            #expect(SnippetRenderer.isSafePlain(sample) == rule(sample), "\(sample.debugDescription)")
        }
    }

    /// A managed expression as an item of a block sequence: the marker placeholder ends its last
    /// line, before the line break, in CRLF as in LF text.
    @Test(arguments: ["\n", "\r\n"])
    func managedItemIsMarkedOnItsLastLine(lineEnding: String) {
        let renderer = SnippetRenderer(style: EditStyle(lineEnding: lineEnding))
        let expression = Snippet.managed(.mapping([
            SnippetPair("key", .string("kubernetes.io/arch")), SnippetPair("operator", .string("In")),
            SnippetPair("values", .list(["amd64", "arm64"])),
        ]))
        let text = renderer.blockItem(expression, dashIndent: 4, gap: 1)
        let p = SnippetRenderer.placeholder
        #expect(text == "    - key: kubernetes.io/arch" + lineEnding + "      operator: In" + lineEnding
            + "      values: [amd64, arm64]" + p + lineEnding)
        let pair = renderer.blockPair(SnippetPair("nodeAffinity", .mapping([SnippetPair("weight", .managed(.integer(1)))])), indent: 2)
        #expect(pair == "  nodeAffinity:" + lineEnding + "    weight: 1" + p + lineEnding)
    }
}
