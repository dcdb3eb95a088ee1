import Foundation
import KubearchCore
import Testing
@testable import KubearchWebhook

/// Reviews over real TLS, each returned patch applied with `kubectl patch --local`, the result
/// compared with the intended pod, and the patched pod reviewed again (it must need nothing).
@Suite(.serialized) struct PatchReviewTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var images: [String]
        var initImages: [String] = []
        /// Extra `spec` members, as JSON.
        var spec = "{}"
        /// `spec.affinity` after the patch, as JSON; nil: no patch expected.
        var intendedAffinity: String?
        var strategy: Strategy = .required
        var preferredArchitecture = "amd64"
        var testDescription: String { name }
    }

    static func inArch(_ values: [String]) -> String {
        #"{"key":"kubernetes.io/arch","operator":"In","values":[\#(values.map { "\"\($0)\"" }.joined(separator: ","))]}"#
    }
    static let zoneA = #"{"key":"topology.kubernetes.io/zone","operator":"In","values":["a"]}"#
    static let nodeOne = #"{"key":"metadata.name","operator":"In","values":["node-1"]}"#
    static func requiredTerms(_ terms: String) -> String {
        #"{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":\#(terms)}}}"#
    }
    static let antiAffinity = #"{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":1,"podAffinityTerm":{"topologyKey":"kubernetes.io/hostname"}}]}"#

    static let cases: [Case] = [
        Case(
            name: "no affinity: the whole subtree is added", images: [WebhookFixtures.armOnly],
            intendedAffinity: requiredTerms(#"[{"matchExpressions":[\#(inArch(["arm64"]))]}]"#)),
        Case(
            name: "affinity with only podAntiAffinity: nodeAffinity is added beside it", images: [WebhookFixtures.armOnly],
            spec: #"{"affinity":{"podAntiAffinity":\#(antiAffinity)}}"#,
            intendedAffinity: #"{"podAntiAffinity":\#(antiAffinity),"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[\#(inArch(["arm64"]))]}]}}}"#),
        Case(
            name: "nodeAffinity with only a preferred term: the required selector is added", images: [WebhookFixtures.amdOnly],
            spec: #"{"affinity":{"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":5,"preference":{"matchExpressions":[\#(zoneA)]}}]}}}"#,
            intendedAffinity: #"{"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":5,"preference":{"matchExpressions":[\#(zoneA)]}}],"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[\#(inArch(["amd64"]))]}]}}}"#),
        Case(
            name: "a required selector with no terms: one term is added", images: [WebhookFixtures.armOnly],
            spec: #"{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":null}}}}"#,
            intendedAffinity: requiredTerms(#"[{"matchExpressions":[\#(inArch(["arm64"]))]}]"#)),
        Case(
            name: "two terms, one with only matchFields: ANDed into each, no term added (Noe appends a term, which ORs and widens)",
            images: [WebhookFixtures.armOnly],
            spec: #"{"affinity":\#(requiredTerms(#"[{"matchExpressions":[\#(zoneA)]},{"matchFields":[\#(nodeOne)]}]"#))}"#,
            intendedAffinity: requiredTerms(#"[{"matchExpressions":[\#(zoneA),\#(inArch(["arm64"]))]},{"matchFields":[\#(nodeOne)],"matchExpressions":[\#(inArch(["arm64"]))]}]"#)),
        Case(
            name: "a user's wider arch term is narrowed by ANDing, never dropped",
            images: [WebhookFixtures.armOnly, WebhookFixtures.multiArch],
            spec: #"{"affinity":\#(requiredTerms(#"[{"matchExpressions":[\#(inArch(["amd64", "arm64"]))]}]"#))}"#,
            intendedAffinity: requiredTerms(#"[{"matchExpressions":[\#(inArch(["amd64", "arm64"])),\#(inArch(["arm64"]))]}]"#)),
        Case(
            name: "init container images count", images: [WebhookFixtures.multiArch], initImages: [WebhookFixtures.amdOnly],
            intendedAffinity: requiredTerms(#"[{"matchExpressions":[\#(inArch(["amd64"]))]}]"#)),
        Case(
            name: "single-arch image by digest: its real platform (Noe assumes amd64), the digest pin kept",
            images: [WebhookFixtures.armOnlyByDigest],
            intendedAffinity: requiredTerms(#"[{"matchExpressions":[\#(inArch(["arm64"]))]}]"#)),
        Case(name: "multi-arch image on a two-arch cluster: nothing to add", images: [WebhookFixtures.multiArch]),
        Case(
            name: "beta arch label in nodeSelector within S: already constrained", images: [WebhookFixtures.armOnly],
            spec: #"{"nodeSelector":{"beta.kubernetes.io/arch":"arm64"}}"#),
        Case(
            name: "required arch term within S: already constrained", images: [WebhookFixtures.multiArch],
            spec: #"{"affinity":\#(requiredTerms(#"[{"matchExpressions":[\#(inArch(["arm64"]))]}]"#))}"#),
        Case(name: "nodeName set: left alone", images: [WebhookFixtures.armOnly], spec: #"{"nodeName":"node-1"}"#),
        Case(
            name: "strategy pin: the preferred architecture when every image has it (as Noe's preferred arch)",
            images: [WebhookFixtures.multiArch],
            intendedAffinity: requiredTerms(#"[{"matchExpressions":[\#(inArch(["amd64"]))]}]"#), strategy: .pin),
        Case(
            name: "strategy pin with a preferred architecture the images lack: what they have (as Noe falls back)",
            images: [WebhookFixtures.amdOnly],
            intendedAffinity: requiredTerms(#"[{"matchExpressions":[\#(inArch(["amd64"]))]}]"#), strategy: .pin,
            preferredArchitecture: "arm64"),
        Case(
            name: "entries for another OS do not count (a linux pod, an image with windows/amd64)",
            images: [WebhookFixtures.armAndWindows],
            intendedAffinity: requiredTerms(#"[{"matchExpressions":[\#(inArch(["arm64"]))]}]"#)),
        Case(
            name: "strategy prefer: a preferred term of weight 100, nothing required", images: [WebhookFixtures.multiArch],
            intendedAffinity: #"{"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":100,"preference":{"matchExpressions":[\#(inArch(["amd64"]))]}}]}}"#,
            strategy: .prefer),
        Case(
            name: "strategy prefer beside a user's preferred term: appended to the list",
            images: [WebhookFixtures.multiArch],
            spec: #"{"affinity":{"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":1,"preference":{"matchExpressions":[\#(zoneA)]}}]}}}"#,
            intendedAffinity: #"{"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":1,"preference":{"matchExpressions":[\#(zoneA)]}},{"weight":100,"preference":{"matchExpressions":[\#(inArch(["amd64"]))]}}]}}"#,
            strategy: .prefer),
    ]

    @Test(arguments: cases)
    func reviewPatchApplyAndReviewAgain(_ testCase: Case) async throws {
        let harness = try await WebhookHarness.start(
            policy: PolicySettings(strategy: testCase.strategy, preferredArchitecture: testCase.preferredArchitecture))
        defer { Task { await harness.stop() } }
        let extra = try #require(try JSONSerialization.jsonObject(with: Data(testCase.spec.utf8)) as? [String: Any])
        let pod = WebhookFixtures.pod(testCase.images, initImages: testCase.initImages, spec: extra)
        let uid = UUID().uuidString
        let reply = try await harness.review(pod, uid: uid)

        // What the API server checks of every answer.
        #expect(reply.status == 200)
        #expect(reply.json?["apiVersion"] as? String == "admission.k8s.io/v1")
        #expect(reply.json?["kind"] as? String == "AdmissionReview")
        #expect(reply.response?["uid"] as? String == uid)
        #expect(reply.allowed == true)
        #expect((reply.response?["patchType"] != nil) == (reply.response?["patch"] != nil))

        guard let intended = testCase.intendedAffinity else {
            #expect(reply.patch == nil, "unexpected patch \(reply.patch ?? "")")
            return
        }
        let patch = try #require(reply.patch)
        #expect(reply.response?["patchType"] as? String == "JSONPatch")
        let patched = try await Kubectl.patch(pod, with: patch, in: harness.directory)
        var intendedPod = pod
        var spec = try #require(pod["spec"] as? [String: Any])
        spec["affinity"] = try JSONSerialization.jsonObject(with: Data(intended.utf8))
        intendedPod["spec"] = spec
        #expect(sameJSON(patched, intendedPod), "patch \(patch) gave \(patched)")
        let containers = (patched["spec"] as? [String: Any])?["containers"] as? [[String: Any]] ?? []
        #expect(containers.map { $0["image"] as? String } == testCase.images.map { Optional($0) }, "images (and digest pins) are kept")

        let again = try await harness.review(patched)
        #expect(again.allowed == true)
        #expect(again.patch == nil, "the patched pod was patched again: \(again.patch ?? "")")
    }
}
