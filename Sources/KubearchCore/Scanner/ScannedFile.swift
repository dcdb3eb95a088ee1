/// What scanning one file found: its parsed stream (kept for `fix`), its workloads, and the findings
/// the scanner itself makes (KA008 invalid manifest, KA010 template skipped).
public struct ScannedFile: Sendable {
    public var path: String
    public var bytes: [UInt8]
    public var stream: YAMLStream
    public var workloads: [Workload]
    public var findings: [Finding]
    public var isTemplate: Bool
}
