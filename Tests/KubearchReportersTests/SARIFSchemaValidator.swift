import Foundation

/// Validates a document against `fixtures/schemas/sarif-schema-2.1.0.json` with Python's `jsonschema`
/// (the reference implementation of JSON Schema validation), run as a child process.
enum SARIFSchemaValidator {
    struct Outcome {
        var valid: Bool
        /// One line per schema violation (path and message), or the interpreter's error.
        var output: String
    }

    private static let script = """
    import json, sys
    import jsonschema
    schema = json.load(open(sys.argv[1], encoding="utf-8"))
    document = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        print("/".join(map(str, error.absolute_path)) + ": " + error.message)
    sys.exit(3 if errors else 0)
    """

    static var schemaPath: String {
        Golden.packageRoot.appendingPathComponent("fixtures/schemas/sarif-schema-2.1.0.json").path
    }

    static func validate(_ document: String) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schemaPath]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(document.utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Outcome(valid: process.terminationStatus == 0, output: text)
    }
}
