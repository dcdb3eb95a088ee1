import Testing
@testable import KubearchCore

@Suite("Text edits")
struct EditTextEditTests {
    private let text = Array("0123456789".utf8)

    @Test func appliesFromTheEndSoOffsetsStayValid() throws {
        let edits = [
            TextEdit(insert: "<", at: 2),
            TextEdit(replacing: 5..<7, with: "five-six"),
            TextEdit(replacing: 9..<10, with: ""),
        ]
        #expect(String(decoding: try TextEdit.apply(edits, to: text), as: UTF8.self) == "01<234five-six78")
    }

    @Test func orderOfTheListDoesNotMatter() throws {
        let edits = [TextEdit(insert: "a", at: 1), TextEdit(insert: "b", at: 8)]
        #expect(try TextEdit.apply(edits, to: text) == TextEdit.apply(edits.reversed(), to: text))
    }

    @Test func identicalEditsCountOnce() throws {
        let edit = TextEdit(insert: "x", at: 3)
        #expect(String(decoding: try TextEdit.apply([edit, edit], to: text), as: UTF8.self) == "012x3456789")
    }

    @Test func adjacentEditsAreFine() throws {
        let edits = [TextEdit(replacing: 2..<4, with: "A"), TextEdit(replacing: 4..<6, with: "B"), TextEdit(insert: "C", at: 6)]
        #expect(String(decoding: try TextEdit.apply(edits, to: text), as: UTF8.self) == "01ABC6789")
    }

    @Test(arguments: [
        [TextEdit(replacing: 2..<5, with: "x"), TextEdit(replacing: 4..<6, with: "y")],
        [TextEdit(insert: "x", at: 3), TextEdit(insert: "y", at: 3)],
        [TextEdit(replacing: 2..<6, with: "x"), TextEdit(insert: "y", at: 4)],
    ])
    func overlappingEditsAreRejected(_ edits: [TextEdit]) {
        #expect(throws: FixError.self) { try TextEdit.apply(edits, to: text) }
    }

    @Test func anEditPastTheEndIsRejected() {
        #expect(throws: FixError.editOutOfBounds(8..<12)) { try TextEdit.apply([TextEdit(replacing: 8..<12, with: "")], to: text) }
    }
}
