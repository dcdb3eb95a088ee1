import KubearchCore
import Testing
@testable import KubearchKustomize

/// The text `fix` writes for managed patches: the `patches:` entry added to a kustomization in its
/// own style, the patch documents, and the choice between strategic merge and JSON 6902.
@Suite("Kustomize: managed patch text")
struct ManagedPatchTextTests {
    static let strategic = PatchesListEdit.Entry(path: "kubearch-patches.yaml", target: nil)
    static let json = PatchesListEdit.Entry(path: "kubearch-patch-deployment-web.v2.yaml", target: ("Deployment", "web.v2", "shop"))

    func added(_ entries: [PatchesListEdit.Entry], to text: String) throws -> String {
        let kustomization = try KustomizationParser.parse(file: "kustomization.yaml", folder: "/repo", bytes: Array(text.utf8))
        let edited = String(decoding: try PatchesListEdit.apply(entries, to: kustomization), as: UTF8.self)
        // Whatever the style, the result must read back with the entries last.
        let again = try KustomizationParser.parse(file: "kustomization.yaml", folder: "/repo", bytes: Array(edited.utf8))
        let paths = again.patches.compactMap { entry -> String? in if case .file(let path) = entry.source { path } else { nil } }
        #expect(Array(paths.suffix(entries.count)) == entries.map(\.path))
        return edited
    }

    @Test func blockListKeepsCommentsAndIndentation() throws {
        let text = """
            resources:
              - ../base
            patches:
              - path: zones.yaml   # capacity
                target:
                  kind: Deployment
            # what follows is about images
            images:
              - name: web

            """
        #expect(try added([Self.json], to: text) == """
            resources:
              - ../base
            patches:
              - path: zones.yaml   # capacity
                target:
                  kind: Deployment
              - path: kubearch-patch-deployment-web.v2.yaml
                target:
                  kind: Deployment
                  name: web\\.v2
                  namespace: shop
            # what follows is about images
            images:
              - name: web

            """)
    }

    @Test func missingKeyIsAddedAtTheEndInTheFilesStyle() throws {
        #expect(try added([Self.strategic], to: "resources:\n  - ../base\nnamespace: prod") == "resources:\n  - ../base\nnamespace: prod\npatches:\n  - path: kubearch-patches.yaml\n")
        #expect(try added([Self.strategic], to: "resources:\n- ../base\n") == "resources:\n- ../base\npatches:\n- path: kubearch-patches.yaml\n")
    }

    @Test func flowListGetsFlowEntries() throws {
        #expect(try added([Self.strategic], to: "resources: [../base]\npatches: []\n") == "resources: [../base]\npatches: [{path: \"kubearch-patches.yaml\"}]\n")
        let edited = try added([Self.json], to: "patches: [{path: a.yaml}]\n")
        #expect(edited == "patches: [{path: a.yaml}, {path: \"kubearch-patch-deployment-web.v2.yaml\", target: {kind: \"Deployment\", name: \"web\\\\.v2\", namespace: \"shop\"}}]\n")
    }

    @Test func crlfFileStaysCRLF() throws {
        let edited = try added([Self.strategic], to: "resources:\r\n- ../base\r\npatches:\r\n- path: a.yaml\r\n")
        #expect(edited == "resources:\r\n- ../base\r\npatches:\r\n- path: a.yaml\r\n- path: kubearch-patches.yaml\r\n")
    }

    /// Adding keys through mappings is a strategic merge; appending to a term's expressions is
    /// JSON 6902, since a strategic merge would replace the user's atomic lists.
    @Test func changeKindFollowsTheRendering() throws {
        func tree(_ yaml: String) -> ResourceNode {
            let stream = YAMLParser.parse(Array(yaml.utf8))
            return ResourceNode(stream.documents[0].root, file: "t", source: Array(yaml.utf8))
        }
        let bare = tree("spec:\n  containers: [{name: a}]\n")
        let constrained = tree("spec:\n  containers: [{name: a}]\n  affinity: {nodeAffinity: {x: 1}}\n")
        let added = try #require(ManagedChange(from: bare, to: constrained))
        #expect(added.isStrategicMerge)
        let document = added.strategicMergePatch(apiVersion: "v1", kind: "Pod", name: "p", namespace: nil)
        #expect(String(decoding: PatchFileText.documents([document], header: ""), as: UTF8.self)
            == "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  affinity:\n    nodeAffinity:\n      x: 1\n")

        let term = tree("terms:\n- matchExpressions: [{key: zone}]\n")
        let anded = tree("terms:\n- matchExpressions: [{key: zone}, {key: kubernetes.io/arch, values: [amd64]}]\n")
        let appended = try #require(ManagedChange(from: term, to: anded))
        #expect(!appended.isStrategicMerge)
        #expect(String(decoding: PatchFileText.documents([appended.jsonPatch], header: ""), as: UTF8.self)
            == "- op: add\n  path: /terms/0/matchExpressions/-\n  value:\n    key: kubernetes.io/arch\n    values: [amd64]\n")
        // A removal is no managed change at all.
        #expect(ManagedChange(from: anded, to: term) == nil)
    }

    /// What the patch files say reads back as the same values, whatever the scalars hold.
    @Test func patchTextReadsBackAsTheSameValues() throws {
        let yaml = "a: \"true\"\nb: true\nc: \"01\"\nd: 1.5\ne: \"x: y\"\nf: [\"-\", \"~\", null, \"a\\\\b\"]\ng: {}\nh: \"\"\n"
        let node = ResourceNode(YAMLParser.parse(Array(yaml.utf8)).documents[0].root, file: "t", source: Array(yaml.utf8))
        let text = PatchFileText.documents([node], header: "")
        let back = ResourceNode(YAMLParser.parse(text).documents[0].root, file: "t", source: text)
        #expect(back.sameValue(as: node), "\(String(decoding: text, as: UTF8.self))")
    }
}
