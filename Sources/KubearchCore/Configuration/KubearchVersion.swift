/// The version of kubearch, shared by the CLI and the webhook (`--version`, `User-Agent`).
public enum KubearchVersion {
    public static let current = "0.1.0"
}
