/// How `fix` picks the architectures it constrains a workload to (SPEC §6).
public enum Strategy: String, Sendable, Hashable, CaseIterable {
    /// D = S; a constraint is added only when the images do not run on every cluster architecture.
    case required
    /// As `required`, plus a preferred-scheduling term for `policy.preferredArchitecture`.
    case prefer
    /// D = [preferredArchitecture] whenever the images support it.
    case pin
}
