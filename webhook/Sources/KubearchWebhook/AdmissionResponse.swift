import Foundation

/// The `response` of an AdmissionReview answer. `patch` and `patchType` go together: both or neither.
struct AdmissionResponse: Sendable {
    var uid: String
    var allowed: Bool
    /// The JSON Patch document (unencoded); sent base64 with `patchType: JSONPatch`.
    var patch: String?
    var warnings: [String] = []
    /// For a denial: the message the user sees from `kubectl`.
    var denialMessage: String?

    var json: String {
        var response: [(String, JSONValue)] = [("uid", .string(uid)), ("allowed", .bool(allowed))]
        if let patch {
            response.append(("patchType", .string("JSONPatch")))
            response.append(("patch", .string(Data(patch.utf8).base64EncodedString())))
        }
        if let denialMessage {
            response.append(("status", .object([("code", .integer(403)), ("reason", .string("Forbidden")), ("message", .string(denialMessage))])))
        }
        if !warnings.isEmpty { response.append(("warnings", .array(warnings.map(JSONValue.string)))) }
        return JSONValue.object([
            ("apiVersion", .string(AdmissionRequest.apiVersion)), ("kind", .string("AdmissionReview")),
            ("response", .object(response)),
        ]).serialized
    }
}
