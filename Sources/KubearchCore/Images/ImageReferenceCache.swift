import FoundationEssentials

/// Parses image references once per distinct text for the whole run: a repository of thousands of
/// manifests names the same few hundred images again and again.
enum ImageReferenceCache {
    /// Read far more than written: after the first files, every lookup finds its reference.
    private static let lock = ThreadReadWriteLock()
    nonisolated(unsafe) private static var parsed: [String: Result<ImageReference, ImageReferenceError>] = [:]

    static func parse(_ text: String) -> Result<ImageReference, ImageReferenceError> {
        if let cached = lock.read({ parsed[text] }) { return cached }
        let result = Result { () throws(ImageReferenceError) in try ImageReference(parsing: text) }
        lock.write {
            // Bounded: a pathological input with millions of distinct references parses without caching.
            if parsed.count < 100_000 { parsed[text] = result }
        }
        return result
    }
}
