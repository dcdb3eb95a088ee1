import KubearchCore

/// `kubearch report --format json` (SPEC §12):
///
/// ```text
/// {"schemaVersion": 1, "target", "summary": {workloads, cpuMillis, memoryBytes: {STATUS: n}},
///  "workloads": [{file, line, kustomization?, object: {kind, namespace, name}, status, replicas,
///                 cpuMillis, memoryBytes, blockers: [canonical], upgrades?: {ref: tag},
///                 autoscaler?: {min, max}, team}],
///  "blockers": [{image, workloads, onlyBlockerOf, cpuMillis, memoryBytes, teams}],
///  "groups": {"namespaces": [Group], "teams": [Group]}, "windows": [{file, line, object}]}
/// Group = {name, workloads, cpuMillis, memoryBytes: {STATUS: n}}
/// ```
///
/// STATUS is each of ready, upgradable, blocked, unknown, always present. `replicas` is the count
/// the weights use (an autoscaler's minimum, the nodes for a DaemonSet, 1 for Jobs); cpuMillis and
/// memoryBytes are the pod's effective request × replicas. Beyond SPEC §12's keys, each workload
/// names its `team` (so groups can be recomputed from the rows) and its `autoscaler` when one
/// targets it; `windows` lists the pods kept out of every number. Namespaces are as written
/// (`null` when absent); the group of workloads without one is named "(no namespace)".
public struct ReadinessJSONRenderer: Sendable {
    public static let schemaVersion = 1

    public init() {}

    public func render(_ report: ReadinessReport) -> String {
        JSONValue.object([
            ("schemaVersion", .int(Self.schemaVersion)),
            ("target", .string(report.options.target)),
            ("summary", Self.json(report.summary)),
            ("workloads", .array(report.rows.map(Self.json(for:)))),
            ("blockers", .array(report.blockers.map(Self.json(for:)))),
            ("groups", .object([
                ("namespaces", .array(report.namespaces.map(Self.json(for:)))),
                ("teams", .array(report.teams.map(Self.json(for:)))),
            ])),
            ("windows", .array(report.windows.map { readiness in
                .object([("file", .string(readiness.file)), ("line", .int(readiness.line)), ("object", Self.json(for: readiness.object))])
            })),
        ]).rendered()
    }

    static func json(_ tally: ReadinessReport.Tally) -> JSONValue {
        .object([
            ("workloads", byStatus(tally.workloads)),
            ("cpuMillis", byStatus(tally.cpuMillis)),
            ("memoryBytes", byStatus(tally.memoryBytes)),
        ])
    }

    static func byStatus(_ values: [ReadinessStatus: Int]) -> JSONValue {
        .object(ReadinessStatus.allCases.map { ($0.rawValue, .int(values[$0] ?? 0)) })
    }

    static func json(for object: ObjectIdentity) -> JSONValue {
        .object([("kind", .string(object.kind)), ("namespace", .string(object.namespace)), ("name", .string(object.name))])
    }

    static func json(for row: ReadinessReport.Row) -> JSONValue {
        var members: [(String, JSONValue)] = [("file", .string(row.readiness.file)), ("line", .int(row.readiness.line))]
        if let kustomization = row.readiness.kustomization { members.append(("kustomization", .string(kustomization))) }
        members += [
            ("object", json(for: row.readiness.object)),
            ("status", .string(row.status.rawValue)),
            ("replicas", .int(row.weight.replicas)),
            ("cpuMillis", .int(row.total.cpuMillis)),
            ("memoryBytes", .int(row.total.memoryBytes)),
            ("blockers", .array(row.readiness.blockers.map(JSONValue.string))),
        ]
        if !row.upgrades.isEmpty {
            members.append(("upgrades", .object(row.upgrades.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        if let autoscaler = row.weight.autoscaler {
            members.append(("autoscaler", .object([("min", .int(autoscaler.minReplicas)), ("max", .int(autoscaler.maxReplicas))])))
        }
        members.append(("team", .string(row.team)))
        return .object(members)
    }

    static func json(for blocker: ReadinessReport.Blocker) -> JSONValue {
        .object([
            ("image", .string(blocker.image)),
            ("workloads", .int(blocker.workloads)),
            ("onlyBlockerOf", .int(blocker.onlyBlockerOf)),
            ("cpuMillis", .int(blocker.total.cpuMillis)),
            ("memoryBytes", .int(blocker.total.memoryBytes)),
            ("teams", .array(blocker.teams.map(JSONValue.string))),
        ])
    }

    static func json(for group: ReadinessReport.Group) -> JSONValue {
        .object([("name", .string(group.name))] + {
            guard case .object(let members) = json(group.tally) else { return [] }
            return members
        }())
    }
}
