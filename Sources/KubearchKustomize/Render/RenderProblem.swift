import KubearchCore

/// Why a root could not be rendered: the input is broken (kustomize itself would fail: a missing
/// resource, a cycle, a patch that matches nothing, an unknown field) or it uses something kubearch
/// does not render offline (SPEC §11: remote resources, Helm charts, plugins, …). Either way the
/// root is not judged, and the problem is located at the field that caused it.
public struct RenderProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// KA008: kustomize would reject it too.
        case invalid
        /// KA011: kubearch cannot render it offline; no guesses.
        case unsupported
    }

    public var kind: Kind
    public var file: String
    public var position: SourcePosition
    public var message: String

    public init(_ kind: Kind, file: String, position: SourcePosition, _ message: String) {
        self.kind = kind
        self.file = file
        self.position = position
        self.message = message
    }

    public var description: String { "\(file):\(position): \(message)" }

    /// The finding reported for the root that met this problem.
    public func finding(root: String) -> Finding {
        Finding(
            rule: kind == .invalid ? .invalidManifest : .kustomizationUnsupported, file: file,
            line: position.line, column: position.column,
            // A GitOps object's root (`FILE#NAME`) is named by the message already.
            message: root.contains("#") ? "\(message) (not judged)" : "\(message) (kustomization root \(root.isEmpty ? "." : root) not judged)")
    }
}
