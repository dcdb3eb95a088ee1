import FoundationEssentials

/// Parses image references once per distinct text for the whole run: a repository of thousands of
/// manifests names the same few hundred images again and again.
enum ImageReferenceCache {
    private static let lock = ThreadLock()
    nonisolated(unsafe) private static var parsed: [String: Result<ImageReference, ImageReferenceError>] = [:]

    static func parse(_ text: String) -> Result<ImageReference, ImageReferenceError> {
        lock.lock()
        let cached = parsed[text]
        lock.unlock()
        if let cached { return cached }
        let result = Result { () throws(ImageReferenceError) in try ImageReference(parsing: text) }
        lock.lock()
        // Bounded: a pathological input with millions of distinct references parses without caching.
        if parsed.count < 100_000 { parsed[text] = result }
        lock.unlock()
        return result
    }
}
