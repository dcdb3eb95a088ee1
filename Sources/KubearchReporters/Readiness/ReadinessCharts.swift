import KubearchCore

/// The report's two charts as inline SVG.
enum ReadinessCharts {
    static let plotHeight = 240.0
    static let top = 30.0
    static let left = 60.0
    static let colours: [ReadinessStatus: String] = [
        .ready: "#2e7d32", .upgradable: "#1565c0", .blocked: "#c62828", .unknown: "#9e9e9e",
    ]
    /// Bottom to top in a stacked bar.
    static let stackOrder: [ReadinessStatus] = [.ready, .upgradable, .blocked, .unknown]
    static let maximumTeams = 30
    static let maximumBlockers = 15

    /// One bar per team (at most `maximumTeams`, by requested CPU), stacked by status; heights are
    /// CPU on one scale, the tallest team's total filling the plot.
    static func readinessByTeam(_ report: ReadinessReport) -> String {
        let teams = report.teams.sorted { ($1.tally.cpuTotal, $0.name) < ($0.tally.cpuTotal, $1.name) }.prefix(maximumTeams)
        let barWidth = 36.0
        let gap = 18.0
        let width = max(560, left + Double(teams.count) * (barWidth + gap) + 40)
        var svg = SVGWriter(width: width, height: top + plotHeight + 150, title: "Requested CPU by team and status, \(report.options.target)")
        let largest = teams.map(\.tally.cpuTotal).max() ?? 0
        svg.text("Requested CPU by team (cores)", x: left, y: 16, size: 14, bold: true)
        axis(&svg, largest: largest, width: width)
        for (index, team) in teams.enumerated() {
            let x = left + gap / 2 + Double(index) * (barWidth + gap)
            var base = top + plotHeight
            for status in stackOrder {
                let millis = team.tally.cpuMillis[status] ?? 0
                guard millis > 0, largest > 0 else { continue }
                let height = Double(millis) / Double(largest) * plotHeight
                base -= height
                svg.rect(
                    x: x, y: base, width: barWidth, height: height, fill: colours[status] ?? "#000",
                    data: [("team", team.name), ("status", status.rawValue), ("cpu-millis", String(millis))],
                    tooltip: "\(team.name): \(status.rawValue) \(ReportFigures.cores(millis)) cores")
            }
            svg.text(short(team.name, 22), x: x + barWidth / 2, y: top + plotHeight + 12, anchor: .end, size: 11, rotate: -45)
        }
        legend(&svg, y: top + plotHeight + 135)
        return svg.rendered
    }

    /// Blockers ranked by blocked CPU (bars) and the cumulative share of all blocked CPU (line).
    static func paretoOfBlockers(_ report: ReadinessReport) -> String {
        let blockers = Array(report.blockers.prefix(maximumBlockers))
        let barWidth = 30.0
        let gap = 14.0
        let width = max(560, left + Double(blockers.count) * (barWidth + gap) + 70)
        var svg = SVGWriter(width: width, height: top + plotHeight + 170, title: "Blockers of \(report.options.target) by blocked CPU")
        svg.text("Blockers by blocked CPU (cores), cumulative share (line)", x: left, y: 16, size: 14, bold: true)
        let largest = blockers.map(\.total.cpuMillis).max() ?? 0
        let all = report.blockers.reduce(0) { $0 + $1.total.cpuMillis }
        axis(&svg, largest: largest, width: width)
        // Right axis: cumulative percentage.
        let right = width - 50
        for step in 0...4 {
            let y = top + plotHeight - Double(step) / 4 * plotHeight
            svg.text("\(step * 25) %", x: right + 6, y: y + 4, size: 10)
        }
        var points: [(Double, Double)] = []
        var cumulative = 0
        for (index, blocker) in blockers.enumerated() {
            let x = left + gap / 2 + Double(index) * (barWidth + gap)
            let height = largest > 0 ? Double(blocker.total.cpuMillis) / Double(largest) * plotHeight : 0
            svg.rect(
                x: x, y: top + plotHeight - height, width: barWidth, height: height, fill: colours[.blocked] ?? "#000",
                data: [("image", blocker.image), ("cpu-millis", String(blocker.total.cpuMillis))],
                tooltip: "\(blocker.image): \(ReportFigures.cores(blocker.total.cpuMillis)) cores in \(blocker.workloads) workloads")
            cumulative += blocker.total.cpuMillis
            if all > 0 {
                points.append((x + barWidth / 2, top + plotHeight - Double(cumulative) / Double(all) * plotHeight))
            }
            svg.text(short(imageLabel(blocker.image), 26), x: x + barWidth / 2, y: top + plotHeight + 12, anchor: .end, size: 10, rotate: -45)
        }
        if points.count > 1 { svg.polyline(points, stroke: "#37474f", data: [("series", "cumulative")]) }
        for point in points { svg.circle(x: point.0, y: point.1, radius: 3, fill: "#37474f") }
        return svg.rendered
    }

    static func axis(_ svg: inout SVGWriter, largest: Int, width: Double) {
        svg.line(x1: left, y1: top, x2: left, y2: top + plotHeight)
        svg.line(x1: left, y1: top + plotHeight, x2: width - 50, y2: top + plotHeight)
        for step in 0...4 {
            let y = top + plotHeight - Double(step) / 4 * plotHeight
            if step > 0 { svg.line(x1: left, y1: y, x2: width - 50, y2: y, stroke: "#ddd", dashed: true) }
            svg.text(ReportFigures.cores(largest * step / 4), x: left - 6, y: y + 4, anchor: .end, size: 10)
        }
    }

    static func legend(_ svg: inout SVGWriter, y: Double) {
        var x = left
        for status in stackOrder {
            svg.rect(x: x, y: y - 10, width: 12, height: 12, fill: colours[status] ?? "#000")
            svg.text(status.rawValue, x: x + 16, y: y, size: 11)
            x += 100
        }
    }

    /// `registry/org/name:tag` → `name:tag`, for axis labels.
    static func imageLabel(_ image: String) -> String {
        image.split(separator: "/").last.map(String.init) ?? image
    }

    static func short(_ text: String, _ limit: Int) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }
}
