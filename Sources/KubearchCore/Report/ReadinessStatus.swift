/// Whether a workload can run on the target architecture (SPEC §12).
public enum ReadinessStatus: String, Sendable, Hashable, CaseIterable {
    /// Every image, init containers and sidecars included, has `linux/TARGET`.
    case ready
    /// Blocked, but each blocking image has a newer tag in its family that has `linux/TARGET`.
    case upgradable
    /// At least one image lacks `linux/TARGET`.
    case blocked
    /// An image could not be resolved, so nothing can be said.
    case unknown
}
