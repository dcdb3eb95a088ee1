import Testing
@testable import KubearchKustomize

/// The cheap test every scanned file goes through before GitOps objects are looked for in it.
@Suite("GitOps: which files may hold objects")
struct GitOpsMarkerTests {
    @Test(arguments: [
        ("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n", true),
        ("apiVersion: argoproj.io/v1alpha1", true),
        ("argoproj.io/", true),
        ("a: b\n# argoproj.io/ at the very end: argoproj.io/", true),
        ("apiVersion: apps/v1\nkind: Deployment\n", false),
        ("argoproj.io", false),
        ("jjjjjjjargoproj.io/", true),
        ("xxfluxcd.io/x", true),
        ("argoprojXio/ and fluxcdXio/", false),
        ("j", false),
        ("aargoproj.i/", false),
        ("fluxcd.io", false),
        ("", false),
    ])
    func markers(text: String, expected: Bool) {
        #expect(GitOpsRoots.mayHoldObjects(Array(text.utf8)) == expected, "\(text)")
    }
}
