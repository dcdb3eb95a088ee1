import KubearchCore
import KubearchRegistry
import NIOConcurrencyHelpers

/// Image platforms for the webhook: the lockfile first (in memory, as `check --offline` reads it),
/// then answers the registry gave earlier (a tag for `tagLifetime`, a digest forever: its content
/// cannot change), then the registry itself through the same client as `kubearch lock` (auth,
/// mirrors, retries). Concurrent misses for one image share one lookup, and a lookup that outlives
/// a review's deadline goes on, so the next review of that image finds the answer cached.
actor ImageCache {
    enum Source: String, Sendable {
        case lockfile, cache, registry
    }

    /// How one image was looked up for one review.
    enum Lookup: Sendable, Equatable {
        case found(ImageResolution, Source)
        /// The registry did not answer within the review's deadline.
        case timedOut
        /// The registry answered with an error, or there is no registry to ask.
        case failed(String)
    }

    private struct Cached {
        var resolution: ImageResolution
        /// nil: never expires (digest references).
        var expires: ContinuousClock.Instant?
    }

    nonisolated let lockfile: Lockfile
    private let client: RegistryClient?
    private let tagLifetime: Duration
    private let clock = ContinuousClock()
    private var cached: [String: Cached] = [:]
    private var inFlight: [ImageKey: Task<Result<KubearchRegistry.ResolvedImage, RegistryError>, Never>] = [:]
    /// Registry lookups started (for tests: concurrent misses must share one).
    private(set) var registryLookups = 0

    init(lockfile: Lockfile, client: RegistryClient?, tagLifetime: Duration) {
        self.lockfile = lockfile
        self.client = client
        self.tagLifetime = tagLifetime
    }

    /// From the lockfile without an actor hop: the fast path of a review whose images are all locked.
    nonisolated func locked(_ reference: ImageReference) -> ImageResolution? {
        lockfile.lookup(reference.canonical).map { .resolved(digest: $0.digest, platforms: $0.platforms) }
    }

    /// The image's platforms, waiting at most `deadline` for the registry.
    func lookup(_ reference: ImageReference, deadline: Duration) async -> Lookup {
        if let locked = locked(reference) { return .found(locked, .lockfile) }
        if let entry = cached[reference.canonical] {
            if entry.expires.map({ clock.now < $0 }) ?? true { return .found(entry.resolution, .cache) }
            cached[reference.canonical] = nil
        }
        guard let client else { return .failed("\(reference.canonical) is not in the lockfile and no registry may be asked") }
        let key = ImageKey(registry: reference.registry, repository: reference.repository, reference: reference.manifestReference)
        let task: Task<Result<KubearchRegistry.ResolvedImage, RegistryError>, Never>
        if let running = inFlight[key] {
            task = running
        } else {
            registryLookups += 1
            task = Task {
                do throws(RegistryError) {
                    return .success(try await client.platforms(registry: key.registry, repository: key.repository, reference: key.reference))
                } catch {
                    return .failure(error)
                }
            }
            inFlight[key] = task
            let canonical = reference.canonical
            let isDigest = reference.digest != nil
            Task { await self.finish(key, canonical: canonical, isDigest: isDigest, task: task) }
        }
        guard let outcome = await Self.value(of: task, within: deadline) else { return .timedOut }
        switch outcome {
        case .success(let image): return .found(.resolved(digest: image.digest, platforms: image.platforms), .registry)
        case .failure(let error): return .failed(error.description)
        }
    }

    /// Records a finished lookup: answers are cached, failures are not (the next review asks again).
    private func finish(
        _ key: ImageKey, canonical: String, isDigest: Bool, task: Task<Result<KubearchRegistry.ResolvedImage, RegistryError>, Never>
    ) async {
        let outcome = await task.value
        inFlight[key] = nil
        if case .success(let image) = outcome {
            cached[canonical] = Cached(
                resolution: .resolved(digest: image.digest, platforms: image.platforms),
                expires: isDigest ? nil : clock.now.advanced(by: tagLifetime))
        }
    }

    /// The task's value, or nil when `deadline` passes first. The task itself is not cancelled.
    private static func value<T: Sendable>(of task: Task<T, Never>, within deadline: Duration) async -> T? {
        guard deadline > .zero else { return nil }
        return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let once = ResumeOnce(continuation)
            let timer = Task {
                try? await Task.sleep(for: deadline)
                once.resume(with: nil)
            }
            Task {
                let value = await task.value
                once.resume(with: value)
                timer.cancel()
            }
        }
    }
}

/// Resumes a continuation with the first of several racing results.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: NIOLockedValueBox<CheckedContinuation<T?, Never>?>

    init(_ continuation: CheckedContinuation<T?, Never>) {
        self.continuation = NIOLockedValueBox(continuation)
    }

    func resume(with value: T?) {
        let waiting = continuation.withLockedValue { waiting in
            defer { waiting = nil }
            return waiting
        }
        waiting?.resume(returning: value)
    }
}
