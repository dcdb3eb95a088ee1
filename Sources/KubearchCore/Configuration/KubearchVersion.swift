/// The version of kubearch, shared by the CLI and the webhook (`--version`, `User-Agent`).
public enum KubearchVersion {
    /// Inlinable, so the CLI gets the literal itself rather than a lazily initialised global.
    @inlinable public static var current: String { "0.1.0" }
}
