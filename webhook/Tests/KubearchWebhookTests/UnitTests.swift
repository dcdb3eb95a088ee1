import Testing
@testable import KubearchWebhook

@Suite struct JSONPointerTests {
    @Test func escapesTildeBeforeSlash() {
        #expect(JSONPointer(["metadata", "annotations", "kubearch.dev/ignore"]).description == "/metadata/annotations/kubearch.dev~1ignore")
        #expect(JSONPointer(["a~/b"]).description == "/a~0~1b")
        #expect(JSONPointer(["~1"]).description == "/~01")
        #expect(JSONPointer(["spec"]).appending(0).appending("-").description == "/spec/0/-")
    }
}

@Suite struct ReviewDeadlineTests {
    @Test func timeoutLessOneSecondCappedAtTwo() {
        #expect(ReviewDeadline.deadline(query: "timeout=10s", cap: .seconds(2)) == .seconds(2))
        #expect(ReviewDeadline.deadline(query: "timeout=2500ms", cap: .seconds(2)) == .milliseconds(1500))
        #expect(ReviewDeadline.deadline(query: "timeout=1s", cap: .seconds(2)) == .zero)
        #expect(ReviewDeadline.deadline(query: "x=1&timeout=1m30s", cap: .seconds(2)) == .seconds(2))
        #expect(ReviewDeadline.deadline(query: nil, cap: .seconds(2)) == .seconds(2))
        #expect(ReviewDeadline.deadline(query: "timeout=bogus", cap: .seconds(2)) == .seconds(2))
    }
}

@Suite struct JSONValueTests {
    @Test func escapesStrings() {
        #expect(JSONValue.string("a\"b\\c\n\u{01}é").serialized == #""a\"b\\c\n\u0001é""#)
    }
}
