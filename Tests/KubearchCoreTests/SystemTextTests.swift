import Testing
@testable import KubearchCore

/// The path, trimming and encoding helpers that stand in for the parts of Foundation the tool no
/// longer links (see `ThreadLock`).
@Suite("System: path and text helpers")
struct SystemTextTests {
    @Test(arguments: [
        ("/a/b/c.yaml", "c.yaml", "/a/b"),
        ("/a/b/", "b", "/a"),
        ("/a", "a", "/"),
        ("/", "/", "/"),
        ("a", "a", ""),
        ("a/b", "b", "a"),
        ("", "", ""),
    ])
    func components(path: String, last: String, parent: String) {
        #expect(PathText.lastComponent(path) == last)
        #expect(PathText.deletingLastComponent(path) == parent)
    }

    @Test func appendingAndStandardizing() {
        #expect(PathText.appending(to: "/a/", "b") == "/a/b")
        #expect(PathText.appending(to: "/a", "/b") == "/a/b")
        #expect(PathText.appending(to: "", "b") == "b")
        #expect(PathText.standardized("/a/./b/../c//d/") == "/a/c/d")
        #expect(PathText.standardized("/../a") == "/a")
        #expect(PathText.standardized("a/../../b") == "../b")
        // Missing paths are resolved lexically; existing ones through realpath.
        #expect(PathText.resolved("/nonexistent-kubearch/x/../y") == "/nonexistent-kubearch/y")
        #expect(PathText.resolved("/tmp/.") == PathText.resolved("/tmp"))
    }

    @Test func trimmingAndCase() {
        #expect("  a b\t".trimmingSpaces() == "a b")
        #expect("\n a \r\n".trimmingWhitespace() == "a")
        #expect("   ".trimmingSpaces() == "")
        #expect("//x/".trimming { $0 == "/" } == "x")
        #expect("Content-Type".equalsIgnoringCase("content-type"))
        #expect(!"Content-Type".equalsIgnoringCase("Content-Length"))
    }

    @Test func formEncoding() {
        #expect("repository:team/app:pull,push".formURLEncoded() == "repository%3Ateam%2Fapp%3Apull%2Cpush")
        #expect("a b+c&d=e~_.-".formURLEncoded() == "a%20b%2Bc%26d%3De~_.-")
        #expect("é".formURLEncoded() == "%C3%A9")
    }
}
