import Foundation
import KubearchCore
import KubearchRegistry

/// Learns the platforms of images: from the lockfile, and from registries unless offline.
struct ImageCatalog {
    var session: Session

    /// Resolution of every image reference (as written) used by the workloads.
    /// Images missing from the lockfile are asked of their registry unless `offline`; `refresh`
    /// asks again for tag references even when locked (digest references never change).
    func resolve(_ workloads: [Workload], refresh: Bool = false, progress: Bool = false) async -> ImageResolutions {
        var byReference: [String: ImageResolution] = [:]
        var wanted: [String: ImageReference] = [:]
        for image in workloads.flatMap(\.images) where byReference[image.reference] == nil {
            switch image.parsedReference {
            case .failure(let error):
                byReference[image.reference] = .unresolved(reason: error.description)
            case .success(let reference):
                if !session.lockfile.needsRefresh(reference.canonical, refreshTags: refresh),
                   let entry = session.lockfile.lookup(reference.canonical) {
                    byReference[image.reference] = .resolved(digest: entry.digest, platforms: entry.platforms)
                } else if session.offline {
                    byReference[image.reference] = .unresolved(
                        reason: "\(reference.canonical) is not in the lockfile \(displayPath(session.lockfilePath)) (run `kubearch lock`)")
                } else {
                    wanted[image.reference] = reference
                }
            }
        }
        var fresh: [String: LockEntry] = [:]
        if !wanted.isEmpty {
            let results = await Self.ask(Set(wanted.values), configuration: session.configuration, progress: progress)
            for (written, reference) in wanted {
                switch results[reference] {
                case .success(let image)?:
                    byReference[written] = .resolved(digest: image.digest, platforms: image.platforms)
                    fresh[reference.canonical] = LockEntry(digest: image.digest, platforms: image.platforms)
                case .failure(let error)?:
                    byReference[written] = .unresolved(reason: error.description)
                case nil:
                    byReference[written] = .unresolved(reason: "\(reference.canonical) was not resolved")
                }
            }
        }
        return ImageResolutions(byReference: byReference, fresh: fresh)
    }

    /// Asks registries for the given images, each once, with bounded concurrency.
    static func ask(_ references: Set<ImageReference>, configuration: Configuration, progress: Bool) async -> [ImageReference: Result<ResolvedImage, RegistryError>] {
        let client = RegistryClient(
            transport: RedirectingTransport(CurlTransport()),
            configuration: registryConfiguration(configuration))
        let resolver = ImageResolver(client: client)
        let keys = Dictionary(references.map { (ImageKey(registry: $0.registry, repository: $0.repository, reference: $0.manifestReference), $0) }, uniquingKeysWith: { a, _ in a })
        if progress { Output.standardError("kubearch: resolving \(keys.count) image\(keys.count == 1 ? "" : "s")…") }
        let results = await resolver.resolve(Array(keys.keys))
        var byReference: [ImageReference: Result<ResolvedImage, RegistryError>] = [:]
        for (key, reference) in keys {
            if let result = results[key] { byReference[reference] = result }
        }
        return byReference
    }

    static func registryConfiguration(_ configuration: Configuration) -> RegistryConfiguration {
        var hosts: [String: RegistryConfiguration.Host] = [:]
        for (host, settings) in configuration.registries {
            hosts[host] = RegistryConfiguration.Host(
                mirror: settings.mirror.flatMap(URL.init(string:)), insecure: settings.insecure, caFile: settings.caFile)
        }
        return RegistryConfiguration(hosts: hosts)
    }

    private func displayPath(_ path: String) -> String {
        ManifestFinder(currentDirectory: session.currentDirectory).displayPath(path)
    }
}

/// The outcome of `ImageCatalog.resolve`.
struct ImageResolutions {
    /// Keyed by the reference exactly as written in manifests.
    var byReference: [String: ImageResolution]
    /// Entries learned from registries in this run (canonical reference → entry), for `lock`.
    var fresh: [String: LockEntry]

    func resolution(of image: ContainerImage) -> ImageResolution {
        byReference[image.reference] ?? .unresolved(reason: "\(image.reference) was not resolved")
    }
}
