/// A minimal SVG writer for the report's charts: elements with escaped attributes and text, and
/// coordinates printed with two decimals so the same report gives the same bytes everywhere.
///
/// Written here rather than taken from a library: the package keeps to swift-argument-parser as its
/// only dependency, the charts need four element kinds (rect, line, polyline, text), and a writer of
/// our own guarantees there is never a script, a font or a URL in the output (SPEC §12).
struct SVGWriter {
    private(set) var body = ""
    let width: Double
    let height: Double
    let title: String

    init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    /// `data-*` attributes carry the values a bar stands for, for readers and tests.
    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, data: [(String, String)] = [], tooltip: String? = nil) {
        body += "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"\(Self.escape(fill))\""
        for (name, value) in data { body += " data-\(name)=\"\(Self.escape(value))\"" }
        if let tooltip {
            body += "><title>\(Self.escape(tooltip))</title></rect>\n"
        } else {
            body += "/>\n"
        }
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#555", dashed: Bool = false) {
        body += "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(Self.escape(stroke))\"\(dashed ? " stroke-dasharray=\"4 3\"" : "")/>\n"
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, data: [(String, String)] = []) {
        let list = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        body += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(Self.escape(stroke))\" stroke-width=\"2\""
        for (name, value) in data { body += " data-\(name)=\"\(Self.escape(value))\"" }
        body += "/>\n"
    }

    mutating func circle(x: Double, y: Double, radius: Double, fill: String) {
        body += "<circle cx=\"\(Self.number(x))\" cy=\"\(Self.number(y))\" r=\"\(Self.number(radius))\" fill=\"\(Self.escape(fill))\"/>\n"
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ content: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12, rotate: Double? = nil, bold: Bool = false) {
        var attributes = "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\" text-anchor=\"\(anchor.rawValue)\""
        if bold { attributes += " font-weight=\"bold\"" }
        if let rotate { attributes += " transform=\"rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))\"" }
        body += "<text \(attributes)>\(Self.escape(content))</text>\n"
    }

    /// The whole `<svg>` element, sized to scale down with the page (and on paper).
    var rendered: String {
        "<svg role=\"img\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" "
            + "width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" font-family=\"sans-serif\">\n"
            + "<title>\(Self.escape(title))</title>\n" + body + "</svg>\n"
    }

    static func number(_ value: Double) -> String {
        ReportFigures.fixed(value, places: 2)
    }

    /// Text and attribute values: the five XML specials.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
