import KubearchCore
import KubearchRegistry

/// Asks registries for upgrades of blocking images (`report --suggest-upgrades`).
enum UpgradeCatalog {
    /// Blocking image (canonical) → the tag to move to; images without one are left out. Failures
    /// are returned as messages (a report is still written without their suggestion).
    static func ask(_ images: [String], target: String, configuration: Configuration, verbose: Bool, pageSize: Int? = nil) async -> (upgrades: [String: String], notes: [String]) {
        let transport = CurlTransport(maxIdleConnections: ImageCatalog.concurrency)
        let client = RegistryClient(
            transport: RedirectingTransport(verbose ? RequestLoggingTransport(base: transport) : transport),
            configuration: RegistryConfiguration(configuration))
        let finder = UpgradeFinder(client: client, pageSize: pageSize)
        return await withTaskGroup(of: (String, Result<UpgradeFinder.Outcome, RegistryError>?).self) { group in
            // A handful of repositories at a time: each walks its tag list, then candidates one by one.
            var pending = images.makeIterator()
            func addNext() -> Bool {
                guard let image = pending.next() else { return false }
                group.addTask {
                    guard let reference = try? ImageReference(parsing: image) else { return (image, nil) }
                    do throws(RegistryError) {
                        return (image, .success(try await finder.upgrade(for: reference, target: target)))
                    } catch {
                        return (image, .failure(error))
                    }
                }
                return true
            }
            for _ in 0..<ImageCatalog.concurrency where !addNext() { break }
            var upgrades: [String: String] = [:]
            var notes: [String] = []
            for await (image, outcome) in group {
                switch outcome {
                case .success(.upgrade(let tag))?: upgrades[image] = tag
                case .success(.none(let reason))?: notes.append("\(image): no upgrade: \(reason)")
                case .failure(let error)?: notes.append("\(image): no upgrade: \(error)")
                case nil: notes.append("\(image): no upgrade: not a valid reference")
                }
                _ = addNext()
            }
            return (upgrades, notes.sorted())
        }
    }
}
