/// A platform an image runs on: `os/arch[/variant]`, plus the Windows `os.version` when given.
///
/// The architecture is normalised where registries and build tools disagree on names
/// (`aarch64` → `arm64`, `x86_64` → `amd64`, `i386` → `386`, `armhf` → `arm/v7`, `armel` → `arm/v6`),
/// as containerd's platforms package does. The variant is kept as written (`arm64/v8` stays
/// `arm64/v8` in `description`): node labels carry no variant, so `nodeArchitecture` is what to
/// compare with `kubernetes.io/arch`.
public struct Platform: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let os: String
    public let architecture: String
    public let variant: String?
    public let osVersion: String?
    /// `os/arch[/variant]`, made once: platforms are compared (and sorted) by it, and checking that
    /// a lockfile's lists are sorted built it twice per pair, for every image of every workload.
    public let description: String

    public init(os: String, architecture: String, variant: String? = nil, osVersion: String? = nil) {
        let normalised = Self.normalise(architecture: architecture, variant: variant)
        self.os = Self.normalise(os: os)
        self.architecture = normalised.architecture
        self.variant = normalised.variant
        self.osVersion = osVersion.flatMap { $0.isEmpty ? nil : $0 }
        description = if let variant = self.variant {
            "\(self.os)/\(self.architecture)/\(variant)"
        } else {
            "\(self.os)/\(self.architecture)"
        }
    }

    /// Parses `os/arch[/variant]` (the lockfile form). Returns nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
    }

    /// The value of the node label `kubernetes.io/arch` this platform runs on (no variant).
    public var nodeArchitecture: String { architecture }

    /// Attestation and other non-runnable entries use `unknown/unknown`.
    public var isUnknown: Bool { os == "unknown" && architecture == "unknown" }

    public static func < (lhs: Platform, rhs: Platform) -> Bool {
        (lhs.description, lhs.osVersion ?? "") < (rhs.description, rhs.osVersion ?? "")
    }

    static func normalise(os: String) -> String {
        let lowered = os.lowercased()
        return lowered == "macos" ? "darwin" : lowered
    }

    static func normalise(architecture: String, variant: String?) -> (architecture: String, variant: String?) {
        let variant = variant.flatMap { $0.isEmpty ? nil : $0.lowercased() }
        switch architecture.lowercased() {
        case "x86_64", "x86-64": return ("amd64", variant)
        case "aarch64": return ("arm64", variant)
        case "i386": return ("386", variant)
        // Debian's names carry the ARM version.
        case "armhf": return ("arm", variant ?? "v7")
        case "armel": return ("arm", variant ?? "v6")
        case let other: return (other, variant)
        }
    }
}
