/// The migration plan for one target architecture (SPEC §12): every workload's status and weight,
/// the images that block them ranked by blocked CPU, and groups by namespace and team. Built from
/// judged workloads, not from files, so plain and rendered workloads feed it alike.
public struct ReadinessReport: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var readiness: WorkloadReadiness
        public var status: ReadinessStatus
        public var weight: WorkloadWeight
        /// Pod request × replicas (DaemonSets × nodes).
        public var total: ResourceRequest
        public var team: String
        /// Blocking image → the lowest newer tag of its family that has `linux/TARGET`.
        public var upgrades: [String: String]
    }

    public struct Blocker: Sendable, Hashable {
        public var image: String
        /// Workloads it blocks.
        public var workloads: Int
        /// Workloads it alone blocks: upgrading it makes them ready.
        public var onlyBlockerOf: Int
        /// Sum over the workloads it blocks (a workload blocked by two images counts for both).
        public var total: ResourceRequest
        public var teams: [String]
        /// DaemonSets it blocks: they keep nodes of the target out of the cluster.
        public var daemonSets: Int
        public var upgrade: String?
    }

    /// Counts and weights by status, for the whole report or one group.
    public struct Tally: Sendable, Hashable {
        public var workloads: [ReadinessStatus: Int] = [:]
        public var cpuMillis: [ReadinessStatus: Int] = [:]
        public var memoryBytes: [ReadinessStatus: Int] = [:]

        mutating func add(_ row: Row) {
            workloads[row.status, default: 0] += 1
            cpuMillis[row.status, default: 0] += row.total.cpuMillis
            memoryBytes[row.status, default: 0] += row.total.memoryBytes
        }

        public var workloadCount: Int { workloads.values.reduce(0, +) }
        public var cpuTotal: Int { cpuMillis.values.reduce(0, +) }
    }

    public struct Group: Sendable, Hashable {
        public var name: String
        public var tally: Tally
    }

    public struct Options: Sendable, Hashable {
        public var target: String
        /// DaemonSet pods per workload (`--nodes`).
        public var nodes: Int
        /// Price of a target core relative to the other architecture's (`--price-ratio`).
        public var priceRatio: Double

        public init(target: String = "arm64", nodes: Int = 1, priceRatio: Double = 0.8) {
            self.target = target
            self.nodes = nodes
            self.priceRatio = priceRatio
        }
    }

    public static let noTeam = "(no team)"
    public static let noNamespace = "(no namespace)"

    public var options: Options
    /// Linux workloads, in input order.
    public var rows: [Row]
    /// Windows workloads, listed apart and counted nowhere.
    public var windows: [WorkloadReadiness]
    public var summary: Tally
    /// Ranked by blocked CPU, then memory, then workloads, then name.
    public var blockers: [Blocker]
    public var namespaces: [Group]
    public var teams: [Group]
    public var problems: [ReportProblem]

    /// `owner` names the team of a file that carries no team label (CODEOWNERS), or nil.
    public init(
        _ workloads: [WorkloadReadiness], autoscalers: [Autoscaler], upgrades: [String: String] = [:], options: Options,
        owner: (WorkloadReadiness) -> String? = { _ in nil }
    ) {
        self.options = options
        windows = workloads.filter(\.isWindows)
        problems = workloads.flatMap(\.problems)
        // Indexed by what pairs them: a large repository has thousands of both.
        let byTarget = Dictionary(grouping: autoscalers) { AutoscalerKey($0.kustomization, $0.namespace, $0.targetKind, $0.targetName) }
        rows = workloads.filter { !$0.isWindows }.map { readiness in
            var weight = WorkloadWeight(replicas: readiness.declaredReplicas, autoscaler: nil)
            switch readiness.kind {
            case .daemonSet: weight.replicas = options.nodes
            case .batch, .pod: weight.replicas = 1
            case .replicated:
                let key = AutoscalerKey(readiness.kustomization, readiness.object.namespace, readiness.object.kind, readiness.object.name)
                if let autoscaler = byTarget[key]?.first(where: { $0.targets(readiness.object, kustomization: readiness.kustomization) }) {
                    weight = WorkloadWeight(replicas: autoscaler.minReplicas, autoscaler: autoscaler)
                }
            }
            var status = readiness.status
            var found: [String: String] = [:]
            for blocker in readiness.blockers { found[blocker] = upgrades[blocker] }
            if status == .blocked, found.count == readiness.blockers.count { status = .upgradable }
            return Row(
                readiness: readiness, status: status, weight: weight, total: readiness.podRequest.times(weight.replicas),
                team: readiness.labelTeam ?? owner(readiness) ?? Self.noTeam, upgrades: found)
        }

        var summary = Tally()
        var byNamespace: [String: Tally] = [:]
        var byTeam: [String: Tally] = [:]
        var byImage: [String: Blocker] = [:]
        var imageTeams: [String: Set<String>] = [:]
        for row in rows {
            summary.add(row)
            byNamespace[row.readiness.object.namespace ?? Self.noNamespace, default: Tally()].add(row)
            byTeam[row.team, default: Tally()].add(row)
            for image in row.readiness.blockers {
                var blocker = byImage[image] ?? Blocker(
                    image: image, workloads: 0, onlyBlockerOf: 0, total: .zero, teams: [], daemonSets: 0, upgrade: upgrades[image])
                blocker.workloads += 1
                if row.readiness.blockers.count == 1 { blocker.onlyBlockerOf += 1 }
                blocker.total += row.total
                if row.readiness.kind == .daemonSet { blocker.daemonSets += 1 }
                byImage[image] = blocker
                imageTeams[image, default: []].insert(row.team)
            }
        }
        self.summary = summary
        blockers = byImage.values.map { blocker in
            var blocker = blocker
            blocker.teams = (imageTeams[blocker.image] ?? []).sorted()
            return blocker
        }.sorted { a, b in
            (-a.total.cpuMillis, -a.total.memoryBytes, -a.workloads, a.image) < (-b.total.cpuMillis, -b.total.memoryBytes, -b.workloads, b.image)
        }
        namespaces = Self.groups(byNamespace)
        teams = Self.groups(byTeam)
    }

    /// Root, namespace, kind and name: what an autoscaler and its target share.
    struct AutoscalerKey: Hashable {
        var kustomization: String?
        var namespace: String?
        var kind: String?
        var name: String?

        init(_ kustomization: String?, _ namespace: String?, _ kind: String?, _ name: String?) {
            self.kustomization = kustomization
            self.namespace = namespace
            self.kind = kind
            self.name = name
        }
    }

    /// Groups by name, the unnamed group last.
    static func groups(_ tallies: [String: Tally]) -> [Group] {
        tallies.map { Group(name: $0.key, tally: $0.value) }.sorted { a, b in
            let aUnnamed = a.name.hasPrefix("(")
            let bUnnamed = b.name.hasPrefix("(")
            return aUnnamed != bUnnamed ? !aUnnamed : a.name < b.name
        }
    }

    /// Blockers of at least one DaemonSet, in blocker order.
    public var daemonSetBlockers: [Blocker] { blockers.filter { $0.daemonSets > 0 } }

    /// Ready CPU × (1 − price ratio): what moving the ready workloads would save, in millicores of
    /// the other architecture's price.
    public var savingsMillis: Int {
        Int((Double(summary.cpuMillis[.ready] ?? 0) * (1 - options.priceRatio)).rounded())
    }

    /// Ready share of all requested CPU, 0…100; nil when nothing requests CPU.
    public var readyCPUPercent: Double? {
        let total = summary.cpuTotal
        return total == 0 ? nil : 100 * Double(summary.cpuMillis[.ready] ?? 0) / Double(total)
    }
}
