// libFuzzer entry point over the YAML model, the scanner and the edit engine. Built by `fuzz/run`
// together with the KubearchCore sources into one module, so internal API is reachable too.
//
// For every input: scan it; plan `kubernetes.io/arch In [arm64]` for every workload; fix all of
// them at once (as `kubearch fix` does) and, when that is refused, each workload alone. Whenever a
// fix returns bytes, the invariants below must hold, or the process traps and libFuzzer keeps the
// input. Refusals (`FixError`) are fine: leaving a file alone is always allowed. Refusals that only
// an editor bug can cause (overlapping edits, out-of-bounds edits) trap too; so does a failed
// verification when FUZZ_STRICT_VERIFIER is set (the verifier then did its job, but the editor
// produced wrong text: known cases are in fuzz/regressions/).

import Foundation

/// Workloads fixed one by one when fixing them together is refused; bounds the cost per input.
private let maximumSingleFixes = 8

@_cdecl("LLVMFuzzerTestOneInput")
public func kubearchFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let file = ManifestScanner.scan(path: "fuzz.yaml", bytes: bytes)
    checkScan(file)
    guard !file.workloads.isEmpty else { return 0 }
    let plans = file.workloads.map { ($0, armPlan) }
    if fixAndCheck(file, plans: plans) == nil {
        for workload in file.workloads.prefix(maximumSingleFixes) {
            _ = fixAndCheck(file, plans: [(workload, armPlan)])
        }
    }
    return 0
}

private let strictVerifier = ProcessInfo.processInfo.environment["FUZZ_STRICT_VERIFIER"] != nil

private let armPlan = FixPlan(architectures: ["arm64"], fixes: [.missingArchitectureConstraint])

/// Locations the scanner reports must lie inside the file.
private func checkScan(_ file: ScannedFile) {
    let lineCount = yamlLineCount(file.bytes)
    for finding in file.findings {
        require(finding.line >= 1 && finding.line <= lineCount && finding.column >= 1, "finding outside the file: \(finding)")
    }
    if let error = file.stream.error {
        require(error.position.offset >= 0 && error.position.offset <= file.bytes.count, "syntax error offset out of range: \(error)")
    }
    for document in file.stream.documents {
        let range = document.range.bytes
        require(range.lowerBound >= 0 && range.upperBound <= file.bytes.count, "document range \(range) outside \(file.bytes.count) bytes")
    }
}

/// Lines as YAML counts them: LF, CR and CRLF end a line, and so do NEL, LS and PS.
private func yamlLineCount(_ bytes: [UInt8]) -> Int {
    var lines = 1
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) {
            lines += 1
        } else if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0x85 {
            lines += 1
        } else if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
            lines += 1
        }
        index += 1
    }
    return lines
}

/// Fixes, and when bytes come back checks them; returns them, or nil when the fix was refused or
/// there was nothing to do.
@discardableResult
private func fixAndCheck(_ file: ScannedFile, plans: [(Workload, FixPlan)]) -> [UInt8]? {
    let fixed: [UInt8]?
    do {
        fixed = try Fixer.fix(file: file, plans: plans)
    } catch {
        switch error {
        case .overlappingEdits, .editOutOfBounds, .emptyPlan:
            fatalError("editor bug: \(error)")
        case .verificationFailed(let reason):
            if strictVerifier { fatalError("the editor produced text the verifier rejected: \(reason)") }
            return nil
        case .unparsableSource, .sharedNode, .unsupportedShape:
            return nil
        }
    }
    guard let fixed else { return nil }
    require(fixed != file.bytes, "a fix returned unchanged bytes instead of nil")
    // The streamed comparison (with the layout check `verify` adds to it) never accepts what the
    // whole-tree comparison refuses: checked on the fixed text and on a copy with one byte changed
    // (chosen by the input, so the fuzzer steers it).
    var damaged = fixed
    let position = (file.bytes.count &* 31 &+ Int(file.bytes.first ?? 0)) % damaged.count
    damaged[position] = file.bytes[file.bytes.count / 2 % max(file.bytes.count, 1)]
    for text in [fixed, damaged] {
        guard let streamed = StreamedFixComparison.newPodSpecs(original: file, fixed: text, plans: plans),
              (try? FixVerifier.checkLayout(original: file, fixed: text)) != nil
        else { continue }
        let trees: [(old: Workload, newPodSpec: YAMLNode, plan: FixPlan, isJSON: Bool)]
        do {
            trees = try FixVerifier.compareTrees(original: file, fixed: text, plans: plans)
        } catch {
            fatalError("the streamed comparison accepted a text the whole-tree comparison refuses: \(error)")
        }
        // And it built what the whole tree holds, where the whole tree holds it.
        require(streamed.count == trees.count, "streamed and whole-tree pod specs differ in number")
        for (new, tree) in zip(streamed, trees) {
            require(new.isJSONDocument == tree.isJSON, "streamed and whole-tree comparisons differ on JSON")
            for key in ["affinity", "nodeSelector"] {
                require(new.node[key].map(PlainNode.init) == tree.newPodSpec[key].map(PlainNode.init), "streamed \(key) differs from the whole tree's")
                require(new.node[key]?.range == tree.newPodSpec[key]?.range, "streamed \(key) is placed elsewhere than the whole tree's")
            }
        }
    }

    // The output parses, keeps every document and every workload, and gains no finding.
    let again = ManifestScanner.scan(path: file.path, bytes: fixed)
    require(again.stream.error == nil, "fixed text does not parse: \(again.stream.error.map(String.init(describing:)) ?? "")")
    require(!again.isTemplate, "fixed text became a template")
    require(again.stream.documents.count == file.stream.documents.count, "document count changed")
    require(again.workloads.count == file.workloads.count, "workload count changed")
    require(again.findings.count == file.findings.count, "scanner findings changed: \(file.findings) -> \(again.findings)")
    require(again.workloads.map(\.images.count) == file.workloads.map(\.images.count), "images changed")

    // Fixing the fixed text with the same plans changes nothing.
    let planned = Set(plans.map { PlanKey($0.0) })
    let secondPlans = again.workloads.filter { planned.contains(PlanKey($0)) }.map { ($0, armPlan) }
    require(secondPlans.count == plans.count, "planned workloads not found again")
    do {
        let second = try Fixer.fix(file: again, plans: secondPlans)
        require(second == nil, "a second fix changed the file again")
    } catch {
        fatalError("a second fix was refused: \(error)")
    }
    return fixed
}

/// Identifies a workload across the original and the fixed text (offsets move, these do not).
private struct PlanKey: Hashable {
    var documentIndex: Int
    var itemPath: [Int]
    var podSpecPath: [String]

    init(_ workload: Workload) {
        documentIndex = workload.documentIndex
        itemPath = workload.itemPath
        podSpecPath = workload.podSpecPath
    }
}

private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
