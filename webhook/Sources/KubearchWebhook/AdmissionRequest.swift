import KubearchCore

/// The parts of an `admission.k8s.io/v1` AdmissionReview the webhook reads. JSON is YAML, so the
/// body goes through the same parser as manifests; the pod (`request.object`) is kept as its bytes
/// and scanned like a one-document manifest, so the CLI's scanner and evaluator judge it.
struct AdmissionRequest: Sendable {
    var uid: String
    /// `request.kind`: what is being admitted.
    var kind: GroupVersionKind
    var operation: String
    var namespace: String?
    var name: String?
    /// `request.object` exactly as sent.
    var object: [UInt8]

    struct GroupVersionKind: Sendable, Hashable, CustomStringConvertible {
        var group: String
        var version: String
        var kind: String

        var description: String { (group.isEmpty ? "" : group + "/") + version + ", Kind=" + kind }
        static let pod = GroupVersionKind(group: "", version: "v1", kind: "Pod")
    }

    static let apiVersion = "admission.k8s.io/v1"

    /// Reads a review; the error says what is wrong, for a 400 answer.
    static func parse(_ body: [UInt8]) throws(AdmissionRequestError) -> AdmissionRequest {
        guard body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") else {
            throw .malformed("the body is not a JSON object")
        }
        let stream = YAMLParser.parse(body)
        if let error = stream.error { throw .malformed("the body is not valid JSON: \(error)") }
        guard stream.documents.count == 1, let root = stream.documents.first?.root, root.isMapping else {
            throw .malformed("the body is not a JSON object")
        }
        let apiVersion = root["apiVersion"]?.scalar
        let kind = root["kind"]?.scalar
        guard apiVersion == Self.apiVersion, kind == "AdmissionReview" else {
            throw .malformed(
                "expected apiVersion \(Self.apiVersion) and kind AdmissionReview, got \(apiVersion ?? "none") and \(kind ?? "none")")
        }
        guard let request = root["request"], request.isMapping else { throw .malformed("the review has no request") }
        guard let uid = request["uid"]?.scalar, !uid.isEmpty else { throw .malformed("the review's request has no uid") }
        let gvk = request["kind"]
        guard let object = request["object"], object.isMapping else {
            throw .malformed("the review's request has no object")
        }
        let range = object.range.start.offset..<object.range.end.offset
        guard range.lowerBound >= 0, range.upperBound <= body.count else { throw .malformed("the review's request object is unreadable") }
        return AdmissionRequest(
            uid: uid,
            kind: GroupVersionKind(
                group: gvk?["group"]?.scalar ?? "", version: gvk?["version"]?.scalar ?? "", kind: gvk?["kind"]?.scalar ?? ""),
            operation: request["operation"]?.scalar ?? "",
            namespace: request["namespace"]?.scalar, name: request["name"]?.scalar,
            object: Array(body[range]))
    }
}

struct AdmissionRequestError: Error, Sendable, CustomStringConvertible {
    var description: String

    static func malformed(_ description: String) -> AdmissionRequestError { AdmissionRequestError(description: description) }
}
