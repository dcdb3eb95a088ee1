/// How `fix` chooses D, the architectures it constrains a workload to (SPEC §6).
public enum Strategy: String, Sendable, Hashable, CaseIterable {
    /// D = S; a constraint is added only when S differs from the cluster's architectures.
    case required
    /// As `required`, plus a preferred term for `preferredArchitecture` when S has a choice.
    case prefer
    /// D = [preferredArchitecture] whenever the images support it (one architecture per version, as Noe does).
    case pin
}
