/// `kubearch fix` for one file, without touching the disk: bytes in, bytes out (SPEC §6).
public enum Fixer {
    /// The file's new text with every plan applied and verified, or nil when nothing needs to
    /// change (which is what a second run over its own output gives). Each workload must come from
    /// `file` itself, since edits use its byte offsets.
    public static func fix(file: ScannedFile, plans: [(Workload, FixPlan)]) throws(FixError) -> [UInt8]? {
        var edits: [TextEdit] = []
        for (workload, plan) in plans {
            edits += try AffinityEditor.edits(for: workload, plan: plan, in: file)
        }
        guard !edits.isEmpty else { return nil }
        // Edits insert text or rewrite `values`; none may take a comment with it.
        for edit in edits where file.bytes[edit.range].contains(UInt8(ascii: "#")) {
            throw .verificationFailed("an edit at line \(lineNumber(of: edit.range.lowerBound, in: file.bytes)) would remove a comment")
        }
        let fixed = try TextEdit.apply(edits, to: file.bytes)
        guard fixed != file.bytes else { return nil }
        try FixVerifier.verify(original: file, fixed: fixed, plans: plans)
        return fixed
    }

    static func lineNumber(of offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<min(offset, bytes.count)].reduce(1) { $1 == SourceText.newline ? $0 + 1 : $0 }
    }
}
