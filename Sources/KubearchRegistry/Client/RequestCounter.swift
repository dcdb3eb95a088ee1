/// Counts HTTP requests handed to the transport (retries and token requests included).
actor RequestCounter {
    private(set) var count = 0

    func increment() { count += 1 }
}
