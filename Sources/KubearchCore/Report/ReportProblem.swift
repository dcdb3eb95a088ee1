/// Something in a manifest the report could not read (a malformed quantity or replica count), with
/// where it is. The report still counts the workload, with that value taken as zero or its default.
public struct ReportProblem: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}
