import Prometheus

/// What `/metrics` exposes (SPEC §13): requests, latency, patches by architecture set, skips by
/// reason, registry errors, cache hits. Names start `kubearch_webhook_`.
final class WebhookMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let latency: DurationHistogram

    init() {
        latency = registry.makeDurationHistogram(
            descriptor: Self.name("request_duration", unit: "seconds", help: "Time to answer an admission review."),
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                      .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5)])
    }

    func request(decision: String, duration: Duration) {
        count("requests", "Admission reviews answered, by decision (patched, unchanged, denied, failed-open, invalid).", ("decision", decision))
        latency.record(duration)
    }

    func patched(architectures: [String]) {
        count("patches", "Pods patched, by the architecture set they were constrained to.", ("architectures", architectures.joined(separator: ",")))
    }

    func skipped(reason: String) {
        count("skips", "Reviews answered without a patch, by reason.", ("reason", reason))
    }

    func registryError(kind: String) {
        count("registry_errors", "Registry lookups that timed out or failed (the pod was admitted unpatched).", ("kind", kind))
    }

    func imageLookup(source: String) {
        count("image_lookups", "Image lookups by where the answer came from (lockfile and cache are hits, registry a miss).", ("source", source))
    }

    var exposition: [UInt8] { registry.emitToBuffer() }

    private func count(_ name: String, _ help: String, _ label: (String, String)) {
        registry.makeCounter(descriptor: Self.name(name, unit: "total", help: help), labels: [label]).increment()
    }

    private static func name(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "kubearch", subsystem: "webhook", metricName: name, unitName: unit, helpText: help)
    }
}
