import FoundationEssentials

/// A pod's effective request, as the scheduler computes it (SPEC §12): the larger of the app
/// containers' sum and the largest init container, where restartable init containers (native
/// sidecars, `restartPolicy: Always`) run beside everything started after them. So they count with
/// the app containers, and with each later init container — as kube-scheduler does. `overhead`
/// (RuntimeClass) is added on top. A container without `requests` asks for its `limits` (the API
/// server defaults one to the other).
public enum PodRequest {
    public static func effective(podSpec: YAMLNode, file: String, problems: inout [ReportProblem]) -> ResourceRequest {
        var sidecars = ResourceRequest.zero
        var largestInit = ResourceRequest.zero
        for container in podSpec["initContainers"]?.sequence ?? [] {
            let request = self.request(of: container, file: file, problems: &problems)
            if container["restartPolicy"]?.scalar == "Always" {
                sidecars += request
            } else {
                largestInit = largestInit.maximum(request + sidecars)
            }
        }
        var app = sidecars
        for container in podSpec["containers"]?.sequence ?? [] {
            app += request(of: container, file: file, problems: &problems)
        }
        return app.maximum(largestInit) + resources(podSpec["overhead"], file: file, problems: &problems)
    }

    /// One container's request: `resources.requests`, each resource defaulting to `resources.limits`.
    static func request(of container: YAMLNode, file: String, problems: inout [ReportProblem]) -> ResourceRequest {
        guard let resources = container["resources"] else { return .zero }
        let requests = self.resources(resources["requests"], file: file, problems: &problems)
        let limits = self.resources(resources["limits"], file: file, problems: &problems)
        let requested = resources["requests"]
        return ResourceRequest(
            cpuMillis: requested?["cpu"].map { _ in requests.cpuMillis } ?? limits.cpuMillis,
            memoryBytes: requested?["memory"].map { _ in requests.memoryBytes } ?? limits.memoryBytes)
    }

    /// `{cpu: …, memory: …}`; other resources (GPUs, ephemeral storage) are not weighed.
    static func resources(_ node: YAMLNode?, file: String, problems: inout [ReportProblem]) -> ResourceRequest {
        guard let node, node.isMapping else { return .zero }
        var result = ResourceRequest.zero
        if let cpu = node["cpu"], let millis = amount(cpu, millis: true, file: file, problems: &problems) { result.cpuMillis = millis }
        if let memory = node["memory"], let bytes = amount(memory, millis: false, file: file, problems: &problems) { result.memoryBytes = bytes }
        return result
    }

    /// Millicores (`millis`) or bytes, rounded up; nil when absent or unreadable (a problem).
    static func amount(_ node: YAMLNode, millis: Bool, file: String, problems: inout [ReportProblem]) -> Int? {
        if let text = node.scalar, let fast = ResourceQuantity.fastRoundedUp(text, millis: millis) { return fast }
        return quantity(node, file: file, problems: &problems).map { millis ? $0.millis : $0.units }
    }

    static func quantity(_ node: YAMLNode, file: String, problems: inout [ReportProblem]) -> ResourceQuantity? {
        guard !node.isNull else { return nil }
        guard let text = node.scalar else {
            problems.append(ReportProblem(file: file, line: node.start.line, column: node.start.column, message: "a quantity must be a scalar such as 500m or 2Gi; counted as 0"))
            return nil
        }
        do {
            return try ResourceQuantity(parsing: text.trimmingSpaces())
        } catch {
            problems.append(ReportProblem(file: file, line: node.start.line, column: node.start.column, message: "\(error); counted as 0"))
            return nil
        }
    }
}
