import KubearchCore

/// Numbers as the readiness report prints them, computed with integers so every platform prints
/// the same bytes.
enum ReportFigures {
    /// Millicores as cores with two decimals: 1250 → `1.25`.
    static func cores(_ millis: Int) -> String {
        fixed(Double(millis) / 1000, places: 2)
    }

    /// Bytes as GiB with two decimals.
    static func gibibytes(_ bytes: Int) -> String {
        fixed(Double(bytes) / 1_073_741_824, places: 2)
    }

    /// A percentage with one decimal: `35.2`.
    static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "–" : fixed(100 * Double(part) / Double(whole), places: 1)
    }

    /// `value` rounded half away from zero to `places` decimals, without Foundation's formatter.
    static func fixed(_ value: Double, places: Int) -> String {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled < 9e15 else { return value < 0 ? "-∞" : "∞" }
        let integer = Int(scaled)
        let sign = value < 0 && integer != 0 ? "-" : ""
        guard places > 0 else { return sign + String(integer) }
        let fraction = String(integer % scale)
        return sign + String(integer / scale) + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    /// `Deployment/shop/web` (namespace omitted when not written).
    static func name(_ object: ObjectIdentity) -> String {
        [object.kind ?? "?", object.namespace, object.name ?? "?"].compactMap { $0 }.joined(separator: "/")
    }

    /// Replicas as shown: `3`, `2–10 (HPA)`, `×4 nodes`, `1 (job)`.
    static func replicas(_ row: ReadinessReport.Row) -> String {
        switch row.readiness.kind {
        case .daemonSet: return "\(row.weight.replicas) node\(row.weight.replicas == 1 ? "" : "s")"
        case .batch: return "1 (job)"
        default:
            if let autoscaler = row.weight.autoscaler { return "\(autoscaler.minReplicas)–\(autoscaler.maxReplicas) (HPA)" }
            return String(row.weight.replicas)
        }
    }

    /// The savings line, formula included.
    static func savings(_ report: ReadinessReport) -> String {
        let ready = report.summary.cpuMillis[.ready] ?? 0
        return "ready CPU \(cores(ready)) cores × (1 − price ratio \(fixed(report.options.priceRatio, places: 2))) = "
            + "\(cores(report.savingsMillis)) cores' worth of the current price saved by moving them to \(report.options.target)"
    }
}
