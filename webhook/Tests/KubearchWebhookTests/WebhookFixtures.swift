import Foundation

/// Images, pods and reviews the tests share.
enum WebhookFixtures {
    static let multiArch = "registry.example/team/multi:1.0"
    static let armOnly = "registry.example/team/armonly:1.0"
    static let amdOnly = "registry.example/team/amdonly:1.0"
    static let s390xOnly = "registry.example/team/s390x:1.0"
    /// linux/arm64 and windows/amd64: for a linux pod only arm64 counts.
    static let armAndWindows = "registry.example/team/armwin:1.0"
    static let pinnedDigest = "sha256:4444444444444444444444444444444444444444444444444444444444444444"
    static let armOnlyByDigest = "registry.example/team/armonly@" + pinnedDigest

    static let lockfile = """
        version: 1
        images:
          registry.example/team/amdonly:1.0:
            digest: sha256:3333333333333333333333333333333333333333333333333333333333333333
            platforms: [linux/amd64]
          registry.example/team/armonly:1.0:
            digest: sha256:2222222222222222222222222222222222222222222222222222222222222222
            platforms: [linux/arm64/v8]
          registry.example/team/armonly@\(pinnedDigest):
            digest: \(pinnedDigest)
            platforms: [linux/arm64/v8]
          registry.example/team/armwin:1.0:
            digest: sha256:6666666666666666666666666666666666666666666666666666666666666666
            platforms: [linux/arm64/v8, windows/amd64]
          registry.example/team/multi:1.0:
            digest: sha256:1111111111111111111111111111111111111111111111111111111111111111
            platforms: [linux/amd64, linux/arm64/v8]
          registry.example/team/s390x:1.0:
            digest: sha256:5555555555555555555555555555555555555555555555555555555555555555
            platforms: [linux/s390x]

        """

    /// A Pod with the given containers' images and extra `spec` members.
    static func pod(
        _ images: [String], initImages: [String] = [], spec extra: [String: Any] = [:], annotations: [String: String] = [:]
    ) -> [String: Any] {
        var spec: [String: Any] = ["containers": images.enumerated().map { ["name": "c\($0.offset)", "image": $0.element] }]
        if !initImages.isEmpty {
            spec["initContainers"] = initImages.enumerated().map { ["name": "init\($0.offset)", "image": $0.element] }
        }
        spec.merge(extra) { _, new in new }
        var metadata: [String: Any] = ["name": "web", "namespace": "team"]
        if !annotations.isEmpty { metadata["annotations"] = annotations }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec]
    }

    static func review(of object: [String: Any], uid: String, operation: String = "CREATE", kind: String = "Pod", group: String = "", version: String = "v1") -> Data {
        let review: [String: Any] = [
            "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": [
                "uid": uid, "kind": ["group": group, "version": version, "kind": kind],
                "resource": ["group": group, "version": version, "resource": kind.lowercased() + "s"],
                "operation": operation, "namespace": "team", "name": "web", "object": object,
                "userInfo": ["username": "tester"], "dryRun": false,
            ],
        ]
        return (try? JSONSerialization.data(withJSONObject: review, options: [.sortedKeys])) ?? Data()
    }

    /// `kubernetes.io/arch In values`.
    static func archExpression(_ values: [String], key: String = "kubernetes.io/arch") -> [String: Any] {
        ["key": key, "operator": "In", "values": values]
    }

    static func requiredAffinity(_ terms: [[String: Any]]) -> [String: Any] {
        ["affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": terms]]]]
    }
}

/// Applies a JSON Patch with the real `kubectl patch --local` (kubectl 1.32), as the API server
/// would apply it, and returns the patched object.
enum Kubectl {
    static func patch(_ object: [String: Any], with patch: String, in directory: URL) async throws -> [String: Any] {
        let file = directory.appendingPathComponent("pod-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try await TestEnvironment.run(
            kubectl, ["patch", "--local", "--type=json", "-f", file.path, "-p", patch, "-o", "json"])
        guard let patched = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw TestSupportError.toolFailed("kubectl printed no object: \(output)")
        }
        return patched
    }

    static let kubectl: String = {
        for candidate in ["/usr/local/bin/kubectl", "/usr/bin/kubectl"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "/usr/local/bin/kubectl"
    }()
}

/// JSON equality of two decoded objects.
func sameJSON(_ lhs: Any, _ rhs: Any) -> Bool {
    (lhs as? NSObject)?.isEqual(rhs) ?? false
}
