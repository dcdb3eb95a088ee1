import Foundation
import Testing
@testable import KubearchCore

/// Inputs the fuzzer (`fuzz/run`) found, minimised, each with what was wrong.
@Suite("Bad input: fuzz regressions")
struct BadInputFuzzRegressionTests {
    /// A seed cut at 8192 bytes ended inside a line: libyaml moves its end mark to a line after the
    /// last, and the KA008 finding pointed at a line the file does not have (399 of 398).
    @Test func syntaxErrorAtTheEndOfAnUnterminatedLine() throws {
        let file = ManifestScanner.scan(path: "cut.yaml", bytes: Array("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ingr".utf8) + Array("\nx".utf8))
        let finding = try #require(file.findings.first)
        #expect(finding.rule == .invalidManifest)
        #expect((finding.line, finding.column) == (5, 2))
    }

    /// A lone CR is a YAML line break (libyaml counts it, and so do editors that show it): lines in
    /// findings are YAML's. The fuzz target first counted only LF and took this for a bad location.
    @Test func loneCarriageReturnStartsALine() throws {
        let file = ManifestScanner.scan(path: "cr.yaml", bytes: Array("apiVersion: apps/v1\nkind: Deployment\rmetadata:\n  name: x\nspec:\n  template:\n    spec: 7\n".utf8))
        let finding = try #require(file.findings.first)
        #expect(finding.message == "`spec.template.spec` must be a mapping")
        #expect((finding.line, finding.column) == (7, 11))
    }
}

/// Inputs in `fuzz/regressions/` where the editor produced wrong text and the verifier caught it
/// (SPEC §6 "Verified"): the fix is refused, never written. Known editor limitations, not yet fixed:
/// the editor sees only LF as a line break where YAML also counts a lone CR (a last line ended by
/// a lone CR gains a CRLF; a lone CR inside a CRLF line moves the insertion point); a node selector
/// term written as a flow pair (`["k": {...}]`) is miscounted; an explicit `? key` mapping key in
/// `nodeAffinity` is not recognised as `requiredDuringScheduling…`; a pod spec mangled with a
/// quote inside a key, a lone `!` tag and a misindented `nodeAffinity` is edited outside it; one
/// edit left a block mapping that no longer parses.
@Suite("Bad input: fuzz findings the verifier stops")
struct BadInputFuzzVerifierTests {
    @Test(arguments: [
        "trailing-lone-cr.yaml", "lone-cr-in-crlf-line.yaml", "flow-pair-term.json", "complex-key-required.yaml", "odd-keys-and-tag.yaml",
        "edit-breaks-block-mapping.yaml",
    ])
    func fixIsRefusedNotWritten(_ name: String) throws {
        let bytes = try Array(Data(contentsOf: TestPaths.packageRoot.appendingPathComponent("fuzz/regressions/\(name)")))
        let file = ManifestScanner.scan(path: name, bytes: bytes)
        let plans = file.workloads.filter { $0.documentIndex == 0 }.map { ($0, FixPlan(architectures: ["arm64"], fixes: [.missingArchitectureConstraint])) }
        #expect(!plans.isEmpty)
        #expect {
            try Fixer.fix(file: file, plans: plans)
        } throws: { error in
            if case .verificationFailed? = error as? FixError { return true }
            return false
        }
    }
}
