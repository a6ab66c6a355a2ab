import Numbers

/// A chart drawn as inline SVG for the report page: axes with their ranges written out, then lines, bars, bands,
/// marks, threshold rules or a heat map, in the page's own colours. Every number is written by this file; no
/// script, font or image comes from elsewhere.
public struct SVGChart {
    public let width: Double
    public let height: Double
    public let xRange: ClosedRange<Double>
    public let yRange: ClosedRange<Double>
    public let xLabel: String
    public let yLabel: String
    private var body = ""
    static let left = 62.0
    static let right = 12.0
    static let top = 12.0
    static let bottom = 34.0

    public init(
        width: Double = 720, height: Double = 200, x: ClosedRange<Double>, y: ClosedRange<Double>, xLabel: String,
        yLabel: String
    ) {
        self.width = width
        self.height = height
        xRange = x.lowerBound < x.upperBound ? x : x.lowerBound...(x.lowerBound + 1)
        yRange = y.lowerBound < y.upperBound ? y : y.lowerBound...(y.lowerBound + 1)
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// Where a value lands in the drawing.
    func px(_ x: Double) -> Double {
        Self.left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)
            * (width - Self.left - Self.right)
    }

    func py(_ y: Double) -> Double {
        let clamped = min(max(y, yRange.lowerBound), yRange.upperBound)
        return height - Self.bottom - (clamped - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)
            * (height - Self.top - Self.bottom)
    }

    static func number(_ value: Double) -> String { DecimalText.fixed(value, digits: 1) }

    /// A value for an axis label: as few digits as say it.
    static func label(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 100 || value == value.rounded() { return DecimalText.fixed(value, digits: 0) }
        if magnitude >= 1 { return DecimalText.fixed(value, digits: 1) }
        return DecimalText.fixed(value, digits: 3)
    }

    /// Text made safe inside SVG and HTML.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A polyline through the points, in `color`.
    public mutating func line(_ points: [(Double, Double)], color: String, width: Double = 1.5) {
        guard !points.isEmpty else { return }
        let path = points.map { "\(Self.number(px($0.0))),\(Self.number(py($0.1)))" }.joined(separator: " ")
        body += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(width)\" points=\"\(path)\"/>\n"
    }

    /// Vertical bars from the x axis, each `(x, width in x units, height)`.
    public mutating func bars(_ bars: [(Double, Double, Double)], color: String) {
        for (x, span, value) in bars where value > yRange.lowerBound {
            let x0 = px(x)
            let x1 = max(x0 + 1, px(x + span) - 1)
            let y0 = py(value)
            body +=
                "<rect x=\"\(Self.number(x0))\" y=\"\(Self.number(y0))\" width=\"\(Self.number(x1 - x0))\" height=\"\(Self.number(max(1, py(yRange.lowerBound) - y0)))\" fill=\"\(color)\"/>\n"
        }
    }

    /// A band between a low and a high value at each x, each `(x, width in x units, low, high)`.
    public mutating func band(_ spans: [(Double, Double, Double, Double)], color: String) {
        for (x, span, low, high) in spans {
            let x0 = px(x)
            let x1 = max(x0 + 1, px(x + span))
            let y0 = py(high)
            let y1 = max(y0 + 1, py(low))
            body +=
                "<rect x=\"\(Self.number(x0))\" y=\"\(Self.number(y0))\" width=\"\(Self.number(x1 - x0))\" height=\"\(Self.number(y1 - y0))\" fill=\"\(color)\"/>\n"
        }
    }

    /// Marks on the time axis (a short vertical tick each), with their count written above when given.
    public mutating func marks(_ xs: [(Double, String?)], color: String) {
        for (x, note) in xs {
            let x0 = Self.number(px(x))
            body +=
                "<line x1=\"\(x0)\" x2=\"\(x0)\" y1=\"\(Self.number(Self.top))\" y2=\"\(Self.number(height - Self.bottom))\" stroke=\"\(color)\" stroke-width=\"1.5\"/>\n"
            if let note {
                body +=
                    "<text x=\"\(x0)\" y=\"\(Self.number(Self.top + 10))\" font-size=\"10\" fill=\"\(color)\">\(Self.escaped(note))</text>\n"
            }
        }
    }

    /// A horizontal rule at `y` with its name: a threshold.
    public mutating func rule(_ y: Double, label: String, color: String) {
        guard yRange.contains(y) else { return }
        let y0 = Self.number(py(y))
        body +=
            "<line x1=\"\(Self.number(Self.left))\" x2=\"\(Self.number(width - Self.right))\" y1=\"\(y0)\" y2=\"\(y0)\" stroke=\"\(color)\" stroke-dasharray=\"4 3\"/>\n<text x=\"\(Self.number(width - Self.right - 4))\" y=\"\(Self.number(py(y) - 3))\" font-size=\"10\" text-anchor=\"end\" fill=\"\(color)\">\(Self.escaped(label))</text>\n"
    }

    /// A heat map of rows (channels) over x: each cell `(row, x, width in x units, colour)`.
    public mutating func cells(_ cells: [(Int, Double, Double, String)], rows: Int) {
        let rowHeight = (height - Self.top - Self.bottom) / Double(max(1, rows))
        for (row, x, span, color) in cells {
            let x0 = px(x)
            body +=
                "<rect x=\"\(Self.number(x0))\" y=\"\(Self.number(Self.top + Double(row) * rowHeight))\" width=\"\(Self.number(max(1, px(x + span) - x0)))\" height=\"\(Self.number(max(1, rowHeight - 0.5)))\" fill=\"\(color)\"/>\n"
        }
    }

    /// The chart, its frame and axis labels.
    public var svg: String {
        let x0 = Self.left
        let x1 = width - Self.right
        let y0 = Self.top
        let y1 = height - Self.bottom
        var out =
            "<svg width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" font-family=\"sans-serif\">\n"
        out +=
            "<rect x=\"\(Self.number(x0))\" y=\"\(Self.number(y0))\" width=\"\(Self.number(x1 - x0))\" height=\"\(Self.number(y1 - y0))\" fill=\"#fafafa\" stroke=\"#999\"/>\n"
        out += body
        let small = "font-size=\"10\" fill=\"#333\""
        out +=
            "<text x=\"\(Self.number(x0 - 4))\" y=\"\(Self.number(y0 + 9))\" \(small) text-anchor=\"end\">\(Self.label(yRange.upperBound))</text>\n"
        out +=
            "<text x=\"\(Self.number(x0 - 4))\" y=\"\(Self.number(y1))\" \(small) text-anchor=\"end\">\(Self.label(yRange.lowerBound))</text>\n"
        out +=
            "<text x=\"\(Self.number(x0))\" y=\"\(Self.number(y1 + 13))\" \(small)>\(Self.label(xRange.lowerBound))</text>\n"
        out +=
            "<text x=\"\(Self.number(x1))\" y=\"\(Self.number(y1 + 13))\" \(small) text-anchor=\"end\">\(Self.label(xRange.upperBound))</text>\n"
        out +=
            "<text x=\"\(Self.number((x0 + x1) / 2))\" y=\"\(Self.number(y1 + 27))\" \(small) text-anchor=\"middle\">\(Self.escaped(xLabel))</text>\n"
        out +=
            "<text x=\"12\" y=\"\(Self.number((y0 + y1) / 2))\" \(small) text-anchor=\"middle\" transform=\"rotate(-90 12 \(Self.number((y0 + y1) / 2)))\">\(Self.escaped(yLabel))</text>\n"
        return out + "</svg>\n"
    }
}
