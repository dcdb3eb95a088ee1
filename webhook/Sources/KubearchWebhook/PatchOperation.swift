/// One RFC 6902 operation. The webhook only ever adds: it ANDs into what the pod says, never removes.
struct PatchOperation: Sendable, Equatable {
    var path: JSONPointer
    var value: JSONValue

    var json: JSONValue {
        .object([("op", .string("add")), ("path", .string(path.description)), ("value", value)])
    }

    /// The patch document: a JSON array of operations.
    static func document(_ operations: [PatchOperation]) -> String {
        JSONValue.array(operations.map(\.json)).serialized
    }
}
