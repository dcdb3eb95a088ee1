/// One image of a workload as reports show it.
public struct ImageReport: Sendable, Hashable {
    /// The container's `name`, or nil when it has none.
    public var container: String?
    /// The reference exactly as written in the manifest.
    public var reference: String
    /// The normalised reference (`docker.io/library/nginx:latest`), nil when the reference is invalid.
    public var canonical: String?
    /// `os/arch[/variant]` of each platform, sorted; nil when not resolved (or not asked, for `images`).
    public var platforms: [String]?
    public var isInitContainer: Bool
    /// For a rendered workload: the text that decided the rendered reference (the base `image:` or
    /// the `images:` entry that changed it).
    public var source: (file: String, line: Int)? {
        get { sourceFile.map { ($0, sourceLine) } }
        set {
            sourceFile = newValue?.file
            sourceLine = newValue?.line ?? 0
        }
    }
    private var sourceFile: String?
    private var sourceLine = 0

    public init(container: String?, reference: String, canonical: String?, platforms: [String]? = nil, isInitContainer: Bool = false) {
        self.container = container
        self.reference = reference
        self.canonical = canonical
        self.platforms = platforms
        self.isInitContainer = isInitContainer
    }
}

/// One workload as reports show it (SPEC §10 `workloads`).
public struct WorkloadReport: Sendable, Hashable {
    public var file: String
    /// 1-based line of the object's `kind:` (or of the object when it has none).
    public var line: Int
    public var object: ObjectIdentity
    /// Dotted path to the pod spec inside the object, e.g. `spec.template.spec`.
    public var podSpecPath: String
    public var images: [ImageReport]
    /// S, sorted; nil when any image is unresolved (and for `images`).
    public var supported: [String]?
    /// A, sorted; nil for `images`.
    public var allowed: [String]?
    /// The kustomization root (or GitOps object) that renders this workload; nil for plain files.
    public var kustomization: String?

    public init(
        file: String, line: Int, object: ObjectIdentity, podSpecPath: String, images: [ImageReport],
        supported: [String]? = nil, allowed: [String]? = nil
    ) {
        self.file = file
        self.line = line
        self.object = object
        self.podSpecPath = podSpecPath
        self.images = images
        self.supported = supported
        self.allowed = allowed
    }
}

/// Counts shown in the summary line and the JSON `summary`.
public struct ReportSummary: Sendable, Hashable {
    public var files: Int
    public var workloads: Int
    public var errors: Int
    public var warnings: Int
    public var notes: Int
    public var fixable: Int

    public init(files: Int, workloads: Int, findings: [Finding]) {
        self.files = files
        self.workloads = workloads
        errors = findings.count { $0.severity == .error }
        warnings = findings.count { $0.severity == .warning }
        notes = findings.count { $0.severity == .note }
        fixable = findings.count(where: \.fixable)
    }

    /// Counts one more finding (a report written as it goes keeps counts, not findings).
    public mutating func count(_ finding: Finding) {
        switch finding.severity {
        case .error: errors += 1
        case .warning: warnings += 1
        case .note: notes += 1
        }
        if finding.fixable { fixable += 1 }
    }
}

/// Everything a reporter needs for `check` (and, without findings, for `images`).
public struct CheckReport: Sendable, Hashable {
    public var findings: [Finding]
    public var workloads: [WorkloadReport]
    public var summary: ReportSummary

    /// `workloadCount` counts workloads whose rows were left out (reports that do not list them).
    public init(findings: [Finding], workloads: [WorkloadReport], workloadCount: Int? = nil, files: Int) {
        self.findings = findings.sorted(by: Finding.reportOrder)
        self.workloads = workloads
        summary = ReportSummary(files: files, workloads: workloadCount ?? workloads.count, findings: findings)
    }
}
