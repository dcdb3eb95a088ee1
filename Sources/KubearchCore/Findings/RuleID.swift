/// The stable identifiers of kubearch's rules (SPEC §5).
public enum RuleID: String, Sendable, Codable, CaseIterable, Comparable {
    case noCommonArchitecture = "KA001"
    case daemonSetArchitectureGap = "KA002"
    case constraintConflict = "KA003"
    case missingArchitectureConstraint = "KA004"
    case unresolvedImage = "KA005"
    case osMismatch = "KA006"
    case constraintOutOfDate = "KA007"
    case invalidManifest = "KA008"
    case daemonSetPartialCoverage = "KA009"
    case templateSkipped = "KA010"
    case kustomizationUnsupported = "KA011"

    /// The kebab-case name shown beside the id.
    public var name: String {
        switch self {
        case .noCommonArchitecture: "no-common-architecture"
        case .daemonSetArchitectureGap: "daemonset-architecture-gap"
        case .constraintConflict: "constraint-conflict"
        case .missingArchitectureConstraint: "missing-architecture-constraint"
        case .unresolvedImage: "unresolved-image"
        case .osMismatch: "os-mismatch"
        case .constraintOutOfDate: "constraint-out-of-date"
        case .invalidManifest: "invalid-manifest"
        case .daemonSetPartialCoverage: "daemonset-partial-coverage"
        case .templateSkipped: "template-skipped"
        case .kustomizationUnsupported: "kustomization-unsupported"
        }
    }

    public var defaultSeverity: Severity {
        switch self {
        case .constraintOutOfDate, .kustomizationUnsupported: .warning
        case .daemonSetPartialCoverage, .templateSkipped: .note
        default: .error
        }
    }

    /// One sentence, used by SARIF rule descriptions and `--help`-style listings.
    public var summary: String {
        switch self {
        case .noCommonArchitecture:
            "The workload's images share no architecture that the cluster has, so its pods can run nowhere."
        case .daemonSetArchitectureGap:
            "A DaemonSet's images do not cover every cluster architecture and nothing keeps its pods off the others."
        case .constraintConflict:
            "The workload's architecture constraint allows nodes its images cannot run on."
        case .missingArchitectureConstraint:
            "The workload's images do not run on every cluster architecture and it has no architecture constraint."
        case .unresolvedImage:
            "An image's platforms could not be learned from the registry or the lockfile."
        case .osMismatch:
            "An image has no entry for the operating system the pod runs on."
        case .constraintOutOfDate:
            "An architecture constraint written by kubearch no longer matches the images."
        case .invalidManifest:
            "The file is not valid YAML or a workload has fields of the wrong type."
        case .daemonSetPartialCoverage:
            "A DaemonSet is constrained to fewer architectures than the cluster has."
        case .templateSkipped:
            "The file is a template (Helm, Jinja) and is not scanned."
        case .kustomizationUnsupported:
            "A kustomization uses something kubearch cannot render offline, so its root is not judged."
        }
    }

    public static func < (lhs: RuleID, rhs: RuleID) -> Bool { lhs.rawValue < rhs.rawValue }
}
