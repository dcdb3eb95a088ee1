import Testing
@testable import KubearchReporters

@Suite("Report output")
struct ReportOutputTests {
    @Test(arguments: [0, 7, 10, 42, 1_000, 65_535, -1, -90, Int.max, Int.min])
    func integersAreWrittenAsSwiftPrintsThem(value: Int) {
        var output = ReportOutput()
        output.write(UInt8(ascii: "["))
        output.write(value)
        output.write(UInt8(ascii: "]"))
        #expect(output.text == "[\(value)]")
    }

    @Test func stringsNeedingNoEscapeAndStringsNeedingOneComeOutAsJSONDoes() {
        var json = JSONWriter(output: ReportOutput())
        json.beginArray()
        for value in ["plain/path.yaml", "é \u{1F600}", "quote \" back \\ tab \t nl \n cr \r", "\u{01}\u{1F}"] { json.string(value) }
        json.endArray()
        #expect(json.output.text == "[\n  \"plain/path.yaml\",\n  \"é \u{1F600}\",\n  \"quote \\\" back \\\\ tab \\t nl \\n cr \\r\",\n  \"\\u0001\\u001f\"\n]")
    }
}
