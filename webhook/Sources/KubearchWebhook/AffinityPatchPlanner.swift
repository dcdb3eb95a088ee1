import KubearchCore

/// Turns the policy's `FixPlan` into JSON Patch operations against the pod exactly as the API server
/// sent it (SPEC §13): the path table depends on which parts of the affinity already exist.
///
/// | the pod has | operation |
/// |---|---|
/// | no `affinity` | add `/spec/affinity` with the whole subtree |
/// | `affinity`, no `nodeAffinity` | add `…/nodeAffinity` |
/// | `nodeAffinity`, no required selector | add `…/requiredDuringSchedulingIgnoredDuringExecution` |
/// | a required selector without terms | add `…/nodeSelectorTerms` with one term |
/// | terms | per term: add `…/nodeSelectorTerms/i/matchExpressions/-`, or `…/matchExpressions` when the term has none (only `matchFields`) |
///
/// ANDing into every term is SPEC §6: it never widens what a term allows and never drops a term
/// (Noe appends a new term instead, which ORs and so widens). A JSON `null` counts as absent: `add`
/// replaces a member that exists.
struct AffinityPatchPlanner {
    static let requiredKey = "requiredDuringSchedulingIgnoredDuringExecution"
    static let preferredKey = "preferredDuringSchedulingIgnoredDuringExecution"

    /// The pod spec as received, and where it is in the object (`/spec` for a Pod).
    var podSpec: YAMLNode
    var podSpecPointer: JSONPointer

    /// The operations for `plan`; empty when there is nothing to add.
    func operations(for plan: FixPlan) -> [PatchOperation] {
        let required = plan.architectures.isEmpty ? nil : Self.expression(plan.architectures)
        let preferred = plan.preferredArchitecture.flatMap { hasPreferredArchitectureTerm ? nil : Self.preferredTerm($0) }
        guard required != nil || preferred != nil else { return [] }

        let affinityPointer = podSpecPointer.appending("affinity")
        guard let affinity = present(podSpec["affinity"]) else {
            return [PatchOperation(path: affinityPointer, value: .object([("nodeAffinity", Self.nodeAffinity(required, preferred))]))]
        }
        let nodeAffinityPointer = affinityPointer.appending("nodeAffinity")
        guard let nodeAffinity = present(affinity["nodeAffinity"]) else {
            return [PatchOperation(path: nodeAffinityPointer, value: Self.nodeAffinity(required, preferred))]
        }
        var operations: [PatchOperation] = []
        if let required {
            operations += requiredOperations(required, nodeAffinity: nodeAffinity, at: nodeAffinityPointer.appending(Self.requiredKey))
        }
        if let preferred {
            let pointer = nodeAffinityPointer.appending(Self.preferredKey)
            if present(nodeAffinity[Self.preferredKey])?.sequence != nil {
                operations.append(PatchOperation(path: pointer.appending("-"), value: preferred))
            } else {
                operations.append(PatchOperation(path: pointer, value: .array([preferred])))
            }
        }
        return operations
    }

    private func requiredOperations(_ expression: JSONValue, nodeAffinity: YAMLNode, at pointer: JSONPointer) -> [PatchOperation] {
        guard let selector = present(nodeAffinity[Self.requiredKey]) else {
            return [PatchOperation(path: pointer, value: Self.nodeSelector(expression))]
        }
        let termsPointer = pointer.appending("nodeSelectorTerms")
        guard let terms = present(selector["nodeSelectorTerms"])?.sequence, !terms.isEmpty else {
            return [PatchOperation(path: termsPointer, value: .array([Self.term(expression)]))]
        }
        return terms.indices.map { index in
            let expressionsPointer = termsPointer.appending(index).appending("matchExpressions")
            if present(terms[index]["matchExpressions"])?.sequence != nil {
                return PatchOperation(path: expressionsPointer.appending("-"), value: expression)
            }
            return PatchOperation(path: expressionsPointer, value: .array([expression]))
        }
    }

    /// Whether a preferred term already speaks of the architecture (the policy asks for the
    /// preferred term again on every review under `prefer`).
    private var hasPreferredArchitectureTerm: Bool {
        let terms = podSpec.value(at: ["affinity", "nodeAffinity", Self.preferredKey])?.sequence ?? []
        return terms.contains { term in
            (term.value(at: ["preference", "matchExpressions"])?.sequence ?? []).contains { NodeLabel.isArchitecture($0["key"]?.scalar ?? "") }
        }
    }

    private func present(_ node: YAMLNode?) -> YAMLNode? {
        guard let node, !node.isNull else { return nil }
        return node
    }

    static func expression(_ architectures: [String]) -> JSONValue {
        .object([
            ("key", .string(NodeLabel.architecture)), ("operator", .string("In")),
            ("values", .array(architectures.sorted().map(JSONValue.string))),
        ])
    }

    static func term(_ expression: JSONValue) -> JSONValue {
        .object([("matchExpressions", .array([expression]))])
    }

    static func nodeSelector(_ expression: JSONValue) -> JSONValue {
        .object([("nodeSelectorTerms", .array([term(expression)]))])
    }

    /// `preferredDuringScheduling…` entry of weight 100 (SPEC §6, strategy `prefer`).
    static func preferredTerm(_ architecture: String) -> JSONValue {
        .object([("weight", .integer(100)), ("preference", term(expression([architecture])))])
    }

    static func nodeAffinity(_ required: JSONValue?, _ preferred: JSONValue?) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let required { members.append((requiredKey, nodeSelector(required))) }
        if let preferred { members.append((preferredKey, .array([preferred]))) }
        return .object(members)
    }
}
