/// CPU and memory a pod (or a workload) asks the scheduler for.
public struct ResourceRequest: Sendable, Hashable {
    public var cpuMillis: Int
    public var memoryBytes: Int

    public init(cpuMillis: Int = 0, memoryBytes: Int = 0) {
        self.cpuMillis = cpuMillis
        self.memoryBytes = memoryBytes
    }

    public static let zero = ResourceRequest()

    public static func + (lhs: ResourceRequest, rhs: ResourceRequest) -> ResourceRequest {
        ResourceRequest(cpuMillis: lhs.cpuMillis &+ rhs.cpuMillis, memoryBytes: lhs.memoryBytes &+ rhs.memoryBytes)
    }

    public static func += (lhs: inout ResourceRequest, rhs: ResourceRequest) { lhs = lhs + rhs }

    /// Each resource's larger value.
    public func maximum(_ other: ResourceRequest) -> ResourceRequest {
        ResourceRequest(cpuMillis: max(cpuMillis, other.cpuMillis), memoryBytes: max(memoryBytes, other.memoryBytes))
    }

    /// Both values times `factor` (replicas, nodes).
    public func times(_ factor: Int) -> ResourceRequest {
        ResourceRequest(cpuMillis: cpuMillis.multipliedReportingOverflow(by: factor).partialValue,
                        memoryBytes: memoryBytes.multipliedReportingOverflow(by: factor).partialValue)
    }
}
