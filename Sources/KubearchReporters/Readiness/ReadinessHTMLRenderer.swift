import KubearchCore

/// `kubearch report --format html`: one self-contained page — inline CSS and SVG, no script, no
/// font, no URL — that reads the same on screen and on paper.
public struct ReadinessHTMLRenderer: Sendable {
    public var workloadRowLimit: Int

    public init(workloadRowLimit: Int = 2000) {
        self.workloadRowLimit = workloadRowLimit
    }

    static let style = """
        body { font-family: sans-serif; margin: 2em; color: #212121; max-width: 70em; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        .headline { font-size: 1.2em; font-weight: bold; }
        .ready { color: #2e7d32; } .upgradable { color: #1565c0; } .blocked { color: #c62828; } .unknown { color: #616161; }
        code { font-size: 0.95em; word-break: break-all; }
        svg { max-width: 100%; height: auto; display: block; margin: 0.5em 0; }
        @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } svg, tr { break-inside: avoid; } }
        """

    public func render(_ report: ReadinessReport) -> String {
        let target = Self.escape(report.options.target)
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<title>kubearch report: \(target) readiness</title>\n<style>\n\(Self.style)\n</style>\n</head>\n<body>\n"
        out += "<h1>kubearch report: \(target) readiness</h1>\n"
        out += "<p class=\"headline\">\(Self.escape(ReadinessMarkdownRenderer.headline(report)))</p>\n"

        out += "<table>\n<tr><th>status</th><th class=\"n\">workloads</th><th class=\"n\">CPU (cores)</th><th class=\"n\">memory (GiB)</th></tr>\n"
        for status in ReadinessStatus.allCases {
            out += "<tr><td class=\"\(status.rawValue)\">\(status.rawValue)</td><td class=\"n\">\(report.summary.workloads[status] ?? 0)</td>"
            out += "<td class=\"n\">\(ReportFigures.cores(report.summary.cpuMillis[status] ?? 0))</td><td class=\"n\">\(ReportFigures.gibibytes(report.summary.memoryBytes[status] ?? 0))</td></tr>\n"
        }
        out += "</table>\n"
        out += "<p>Weights: each pod's effective request × replicas (a HorizontalPodAutoscaler's minimum where one targets it); "
        out += "DaemonSets × \(report.options.nodes) node\(report.options.nodes == 1 ? "" : "s"); Jobs and CronJobs once.</p>\n"

        out += "<h2>Readiness by team</h2>\n" + ReadinessCharts.readinessByTeam(report)
        out += "<h2>DaemonSet blockers</h2>\n"
        if report.daemonSetBlockers.isEmpty {
            out += "<p>None: every DaemonSet's images run on \(target).</p>\n"
        } else {
            out += "<p>Until these have <code>linux/\(target)</code>, their DaemonSets cannot run on \(target) nodes.</p>\n"
            out += "<table>\n<tr><th>image</th><th class=\"n\">DaemonSets</th><th class=\"n\">blocked CPU (cores)</th><th>upgrade</th></tr>\n"
            for blocker in report.daemonSetBlockers {
                out += "<tr><td><code>\(Self.escape(blocker.image))</code></td><td class=\"n\">\(blocker.daemonSets)</td><td class=\"n\">\(ReportFigures.cores(blocker.total.cpuMillis))</td><td>\(Self.escape(blocker.upgrade ?? ""))</td></tr>\n"
            }
            out += "</table>\n"
        }

        out += "<h2>Blockers by blocked CPU</h2>\n"
        if report.blockers.isEmpty {
            out += "<p>None.</p>\n"
        } else {
            out += ReadinessCharts.paretoOfBlockers(report)
            out += "<table>\n<tr><th class=\"n\">#</th><th>image</th><th class=\"n\">workloads</th><th class=\"n\">only blocker of</th><th class=\"n\">CPU (cores)</th><th class=\"n\">memory (GiB)</th><th>teams</th><th>upgrade</th></tr>\n"
            for (index, blocker) in report.blockers.enumerated() {
                out += "<tr><td class=\"n\">\(index + 1)</td><td><code>\(Self.escape(blocker.image))</code></td><td class=\"n\">\(blocker.workloads)</td><td class=\"n\">\(blocker.onlyBlockerOf)</td>"
                out += "<td class=\"n\">\(ReportFigures.cores(blocker.total.cpuMillis))</td><td class=\"n\">\(ReportFigures.gibibytes(blocker.total.memoryBytes))</td>"
                out += "<td>\(Self.escape(blocker.teams.joined(separator: ", ")))</td><td>\(Self.escape(blocker.upgrade ?? ""))</td></tr>\n"
            }
            out += "</table>\n"
        }

        out += Self.groupTable("By team", report.teams) + Self.groupTable("By namespace", report.namespaces)
        out += "<h2>Savings estimate</h2>\n<p>\(Self.escape(ReportFigures.savings(report))).</p>\n"

        out += "<h2>Workloads</h2>\n"
        if report.rows.count > workloadRowLimit {
            out += "<p>The first \(workloadRowLimit) of \(report.rows.count) (<code>--format json</code> lists all).</p>\n"
        }
        out += "<table>\n<tr><th>status</th><th>workload</th><th>file</th><th class=\"n\">replicas</th><th class=\"n\">CPU (cores)</th><th class=\"n\">memory (GiB)</th><th>blockers</th></tr>\n"
        for row in report.rows.prefix(workloadRowLimit) {
            let blockers = row.readiness.blockers.map { blocker in
                "<code>\(Self.escape(blocker))</code>" + (row.upgrades[blocker].map { " → <code>\(Self.escape($0))</code>" } ?? "")
            } + row.readiness.unresolved.map { "unresolved <code>\(Self.escape($0))</code>" }
            out += "<tr><td class=\"\(row.status.rawValue)\">\(row.status.rawValue)</td><td>\(Self.escape(ReportFigures.name(row.readiness.object)))</td>"
            out += "<td>\(Self.escape(row.readiness.file)):\(row.readiness.line)</td><td class=\"n\">\(Self.escape(ReportFigures.replicas(row)))</td>"
            out += "<td class=\"n\">\(ReportFigures.cores(row.total.cpuMillis))</td><td class=\"n\">\(ReportFigures.gibibytes(row.total.memoryBytes))</td><td>\(blockers.joined(separator: "<br>"))</td></tr>\n"
        }
        out += "</table>\n"
        if !report.windows.isEmpty {
            out += "<h2>Windows pods (not counted)</h2>\n<ul>\n"
            for readiness in report.windows {
                out += "<li>\(Self.escape(ReportFigures.name(readiness.object))) (\(Self.escape(readiness.file)):\(readiness.line))</li>\n"
            }
            out += "</ul>\n"
        }
        if !report.problems.isEmpty {
            out += "<h2>Values that could not be read</h2>\n<ul>\n"
            for problem in report.problems { out += "<li>\(Self.escape(problem.description))</li>\n" }
            out += "</ul>\n"
        }
        return out + "</body>\n</html>\n"
    }

    static func groupTable(_ title: String, _ groups: [ReadinessReport.Group]) -> String {
        var out = "<h2>\(title)</h2>\n<table>\n<tr><th>name</th>"
        for status in ReadinessStatus.allCases { out += "<th class=\"n\">\(status.rawValue)</th>" }
        out += "<th class=\"n\">ready CPU (cores)</th><th class=\"n\">ready share of CPU</th></tr>\n"
        for group in groups {
            out += "<tr><td>\(escape(group.name))</td>"
            for status in ReadinessStatus.allCases { out += "<td class=\"n\">\(group.tally.workloads[status] ?? 0)</td>" }
            let ready = group.tally.cpuMillis[.ready] ?? 0
            out += "<td class=\"n\">\(ReportFigures.cores(ready))</td><td class=\"n\">\(ReportFigures.percent(ready, of: group.tally.cpuTotal)) %</td></tr>\n"
        }
        return out + "</table>\n"
    }

    static func escape(_ text: String) -> String { SVGWriter.escape(text) }
}
