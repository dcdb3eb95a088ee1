/// Resolves many images for one run: each distinct image is asked once (concurrent requests for
/// the same image share one resolution), at most `maxConcurrency` at a time from the registry, and
/// a failure belongs to its image only.
///
/// Behind token auth, up to `maxConcurrency` more images fetch their repository's token while
/// waiting for a registry slot, so the token service and the registry work at the same time.
public actor ImageResolver {
    public nonisolated let client: RegistryClient
    public nonisolated let maxConcurrency: Int

    private var results: [ImageKey: Result<ResolvedImage, RegistryError>] = [:]
    private var inFlight: [ImageKey: Task<Result<ResolvedImage, RegistryError>, Never>] = [:]
    /// Images asking the registry for manifests and configs.
    private let slots: ConcurrencyLimiter
    /// Images in progress: those in `slots` and those getting their token ready for one.
    private let lanes: ConcurrencyLimiter

    public init(client: RegistryClient, maxConcurrency: Int = 8) {
        self.client = client
        self.maxConcurrency = max(1, maxConcurrency)
        self.slots = ConcurrencyLimiter(limit: max(1, maxConcurrency))
        self.lanes = ConcurrencyLimiter(limit: 2 * max(1, maxConcurrency))
    }

    /// Every key's outcome (duplicates in `keys` are resolved once).
    public func resolve(_ keys: [ImageKey]) async -> [ImageKey: Result<ResolvedImage, RegistryError>] {
        let unique = Array(Set(keys))
        return await withTaskGroup(of: (ImageKey, Result<ResolvedImage, RegistryError>).self) { group in
            for key in unique {
                group.addTask { (key, await self.resolve(key)) }
            }
            var outcomes: [ImageKey: Result<ResolvedImage, RegistryError>] = [:]
            for await (key, outcome) in group { outcomes[key] = outcome }
            return outcomes
        }
    }

    /// One key's outcome, from this run's earlier answer, a resolution in flight, or a new one.
    public func resolve(_ key: ImageKey) async -> Result<ResolvedImage, RegistryError> {
        if let known = results[key] { return known }
        if let running = inFlight[key] { return await running.value }
        let client = client
        let (slots, lanes) = (slots, lanes)
        let task = Task { () -> Result<ResolvedImage, RegistryError> in
            await lanes.acquire()
            let outcome = await Self.resolve(key, client: client, slots: slots)
            await lanes.release()
            return outcome
        }
        inFlight[key] = task
        let outcome = await task.value
        results[key] = outcome
        inFlight[key] = nil
        return outcome
    }

    /// The token first (outside the registry slots), then the image's registry requests.
    private static func resolve(_ key: ImageKey, client: RegistryClient, slots: ConcurrencyLimiter) async
        -> Result<ResolvedImage, RegistryError>
    {
        do throws(RegistryError) {
            try await client.prepareAuthorization(for: key)
        } catch {
            return .failure(error)
        }
        await slots.acquire()
        let outcome: Result<ResolvedImage, RegistryError>
        do throws(RegistryError) {
            outcome = .success(try await client.platforms(registry: key.registry, repository: key.repository, reference: key.reference))
        } catch {
            outcome = .failure(error)
        }
        await slots.release()
        return outcome
    }

    /// HTTP requests made so far by this resolver's client.
    public var requestCount: Int {
        get async { await client.requestCount }
    }
}

/// A counting semaphore for async tasks (first come, first served).
actor ConcurrencyLimiter {
    private let limit: Int
    private var active = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    func acquire() async {
        if active < limit {
            active += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            active -= 1
        } else {
            // The slot passes straight to the next waiter; `active` stays the same.
            waiting.removeFirst().resume()
        }
    }
}
