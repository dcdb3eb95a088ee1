import KubearchCore

/// `kubearch report --format markdown`: GitHub-flavoured markdown for a pull-request comment or
/// `$GITHUB_STEP_SUMMARY` (which takes up to 1 MiB: the workload list is cut at `workloadRowLimit`).
public struct ReadinessMarkdownRenderer: Sendable {
    public var workloadRowLimit: Int

    public init(workloadRowLimit: Int = 300) {
        self.workloadRowLimit = workloadRowLimit
    }

    public func render(_ report: ReadinessReport) -> String {
        let target = report.options.target
        var out = "## kubearch report: \(target) readiness\n\n"
        out += "**\(Self.headline(report))**\n\n"
        out += "| status | workloads | CPU (cores) | memory (GiB) |\n|---|--:|--:|--:|\n"
        for status in ReadinessStatus.allCases {
            out += "| \(status.rawValue) | \(report.summary.workloads[status] ?? 0) | \(ReportFigures.cores(report.summary.cpuMillis[status] ?? 0)) | \(ReportFigures.gibibytes(report.summary.memoryBytes[status] ?? 0)) |\n"
        }
        out += "| **total** | \(report.summary.workloadCount) | \(ReportFigures.cores(report.summary.cpuTotal)) | \(ReportFigures.gibibytes(report.summary.memoryBytes.values.reduce(0, +))) |\n\n"
        out += "Weights: each pod's effective request (the larger of its app containers plus sidecars and its largest init container) × replicas; "
        out += "a HorizontalPodAutoscaler's minimum where one targets the workload; DaemonSets × \(report.options.nodes) node\(report.options.nodes == 1 ? "" : "s") (`--nodes`); Jobs and CronJobs once.\n\n"

        let daemonSetBlockers = report.daemonSetBlockers
        out += "### DaemonSet blockers\n\n"
        if daemonSetBlockers.isEmpty {
            out += "None: every DaemonSet's images run on \(target).\n\n"
        } else {
            out += "Until these have `linux/\(target)`, their DaemonSets cannot run on \(target) nodes, which keeps such nodes out of the cluster.\n\n"
            out += "| image | DaemonSets | other workloads | blocked CPU (cores) | upgrade |\n|---|--:|--:|--:|---|\n"
            for blocker in daemonSetBlockers {
                out += "| `\(Self.cell(blocker.image))` | \(blocker.daemonSets) | \(blocker.workloads - blocker.daemonSets) | \(ReportFigures.cores(blocker.total.cpuMillis)) | \(Self.upgrade(blocker)) |\n"
            }
            out += "\n"
        }

        out += "### Blockers by blocked CPU\n\n"
        if report.blockers.isEmpty {
            out += "None.\n\n"
        } else {
            out += "A workload blocked by two images counts for both; *only blocker of* counts the workloads that upgrading that image alone makes ready.\n\n"
            out += "| # | image | workloads | only blocker of | CPU (cores) | memory (GiB) | teams | upgrade |\n|--:|---|--:|--:|--:|--:|---|---|\n"
            for (index, blocker) in report.blockers.enumerated() {
                out += "| \(index + 1) | `\(Self.cell(blocker.image))` | \(blocker.workloads) | \(blocker.onlyBlockerOf) | \(ReportFigures.cores(blocker.total.cpuMillis)) | \(ReportFigures.gibibytes(blocker.total.memoryBytes)) | \(Self.cell(blocker.teams.joined(separator: ", "))) | \(Self.upgrade(blocker)) |\n"
            }
            out += "\n"
        }

        out += Self.groupTable("By team", report.teams, caption: "Team: label `app.kubernetes.io/part-of`, else `team`, else the file's owners in CODEOWNERS.")
        out += Self.groupTable("By namespace", report.namespaces, caption: nil)

        out += "### Savings estimate\n\n\(ReportFigures.savings(report)).\n\n"

        out += "### Workloads\n\n"
        // Blocked first, then input order (an explicit tie-break: the order must not depend on the sort).
        let shown = report.rows.enumerated().sorted { (Self.statusOrder($0.element.status), $0.offset) < (Self.statusOrder($1.element.status), $1.offset) }
            .prefix(workloadRowLimit).map(\.element)
        out += "<details><summary>\(report.rows.count) workload\(report.rows.count == 1 ? "" : "s")\(report.rows.count > workloadRowLimit ? " (first \(workloadRowLimit) shown, blocked first; `--format json` lists all)" : "")</summary>\n\n"
        out += "| status | workload | file | replicas | CPU (cores) | memory (GiB) | blockers |\n|---|---|---|--:|--:|--:|---|\n"
        for row in shown {
            let blockers = row.readiness.blockers.map { blocker in
                "`\(Self.cell(blocker))`" + (row.upgrades[blocker].map { " → `\(Self.cell($0))`" } ?? "")
            } + row.readiness.unresolved.map { "unresolved `\(Self.cell($0))`" }
            out += "| \(row.status.rawValue) | \(Self.cell(ReportFigures.name(row.readiness.object))) | \(Self.cell(row.readiness.file)):\(row.readiness.line) | \(ReportFigures.replicas(row)) | \(ReportFigures.cores(row.total.cpuMillis)) | \(ReportFigures.gibibytes(row.total.memoryBytes)) | \(blockers.joined(separator: ", ")) |\n"
        }
        out += "\n</details>\n\n"

        if !report.windows.isEmpty {
            out += "### Windows pods (not counted)\n\n"
            for readiness in report.windows {
                out += "- \(Self.cell(ReportFigures.name(readiness.object))) (\(Self.cell(readiness.file)):\(readiness.line))\n"
            }
            out += "\n"
        }
        if !report.problems.isEmpty {
            out += "### Values that could not be read\n\n"
            for problem in report.problems { out += "- \(Self.cell(problem.description))\n" }
            out += "\n"
        }
        return out
    }

    /// "N of M workloads, X % of requested CPU, can run on TARGET today".
    public static func headline(_ report: ReadinessReport) -> String {
        let ready = report.summary.workloads[.ready] ?? 0
        let percent = ReportFigures.percent(report.summary.cpuMillis[.ready] ?? 0, of: report.summary.cpuTotal)
        return "\(ready) of \(report.summary.workloadCount) workloads, \(percent) % of requested CPU, can run on \(report.options.target) today."
    }

    static func groupTable(_ title: String, _ groups: [ReadinessReport.Group], caption: String?) -> String {
        var out = "### \(title)\n\n"
        if let caption { out += caption + "\n\n" }
        out += "| name | ready | upgradable | blocked | unknown | ready CPU (cores) | ready share of CPU |\n|---|--:|--:|--:|--:|--:|--:|\n"
        for group in groups {
            let counts = ReadinessStatus.allCases.map { String(group.tally.workloads[$0] ?? 0) }.joined(separator: " | ")
            let ready = group.tally.cpuMillis[.ready] ?? 0
            out += "| \(cell(group.name)) | \(counts) | \(ReportFigures.cores(ready)) | \(ReportFigures.percent(ready, of: group.tally.cpuTotal)) % |\n"
        }
        return out + "\n"
    }

    static func upgrade(_ blocker: ReadinessReport.Blocker) -> String {
        blocker.upgrade.map { "`\(cell($0))`" } ?? ""
    }

    static func statusOrder(_ status: ReadinessStatus) -> Int {
        switch status {
        case .blocked: 0
        case .upgradable: 1
        case .unknown: 2
        case .ready: 3
        }
    }

    /// Text safe inside a table cell: no pipes, no line breaks, no HTML.
    static func cell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "`": out += "'"
            default: out.append(character)
            }
        }
        return out
    }
}
