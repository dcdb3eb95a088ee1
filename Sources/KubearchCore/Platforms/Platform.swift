/// An image platform, `os/arch[/variant]` (SPEC §4), with the Windows `os.version` when known.
public struct Platform: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?
    /// Windows images carry the OS build they need; kept for output, never compared.
    public var osVersion: String?

    public init(os: String, architecture: String, variant: String? = nil, osVersion: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant.flatMap { $0.isEmpty ? nil : $0 }
        self.osVersion = osVersion
    }

    /// Parses `os/arch` or `os/arch/variant`; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
    }

    public var description: String {
        variant.map { "\(os)/\(architecture)/\($0)" } ?? "\(os)/\(architecture)"
    }

    /// The value a node's `kubernetes.io/arch` label would carry: labels have no variant, so
    /// `arm/v6` and `arm/v7` are both `arm`, and `arm64/v8` is `arm64`.
    public var nodeArchitecture: String { architecture }

    public static func < (lhs: Platform, rhs: Platform) -> Bool { lhs.description < rhs.description }
}
