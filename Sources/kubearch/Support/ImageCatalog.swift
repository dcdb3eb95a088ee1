import FoundationEssentials
import KubearchCore
import KubearchRegistry

/// Asks registries about images.
enum ImageCatalog {
    /// Images asked of registries at a time (`ImageResolver`). As many more may be fetching their
    /// token meanwhile, so the transport keeps twice as many idle connections for reuse.
    static let concurrency = 8

    /// Asks registries for the given images, each once, with bounded concurrency.
    static func ask(_ references: Set<ImageReference>, configuration: Configuration, progress: Bool, verbose: Bool = false) async -> [ImageReference: Result<ResolvedImage, RegistryError>] {
        let transport = CurlTransport(maxIdleConnections: 2 * concurrency)
        let client = RegistryClient(
            transport: RedirectingTransport(verbose ? RequestLoggingTransport(base: transport) : transport),
            configuration: RegistryConfiguration(configuration), userAgent: userAgent)
        let resolver = ImageResolver(client: client, maxConcurrency: concurrency)
        // Several references can name one manifest (`nginx:1@sha256:x` and `nginx@sha256:x`): ask once.
        let keys = Dictionary(grouping: references) { ImageKey(registry: $0.registry, repository: $0.repository, reference: $0.manifestReference) }
        if progress { Output.standardError("kubearch: resolving \(keys.count) image\(keys.count == 1 ? "" : "s")…") }
        let results = await resolver.resolve(Array(keys.keys))
        var byReference: [ImageReference: Result<ResolvedImage, RegistryError>] = [:]
        var unreachable: Set<String> = []
        for (key, group) in keys.sorted(by: { $0.key < $1.key }) {
            guard let result = results[key] else { continue }
            if verbose, case .success(let image) = result {
                Output.standardError("kubearch: \(key) answered by \(image.fromMirror ? "mirror " : "")\(image.source)")
            }
            if case .failure(.unreachable) = result { unreachable.insert(key.registry) }
            for reference in group { byReference[reference] = result }
        }
        if let hint = unreachableHint(unreachable) { Output.standardError(hint) }
        return byReference
    }

    /// `User-Agent` of every registry request.
    static var userAgent: String { "kubearch/\(Kubearch.version)" }

    /// Said once per run, beside the per-image failures, because a newcomer without network meets
    /// it first and may not know that the lockfile alone is enough.
    static func unreachableHint(_ registries: Set<String>) -> String? {
        guard !registries.isEmpty else { return nil }
        let names = registries.sorted().joined(separator: ", ")
        return "kubearch: could not connect to \(names). No network? `kubearch check --offline` and "
            + "`kubearch fix --offline` use only the lockfile; `kubearch lock` fills it where the registries can be reached."
    }
}
