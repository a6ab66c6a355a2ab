import Numbers

/// The report page of `analyze --report` and `record --report`: one self-contained HTML file (inline SVG, no
/// script, font, style sheet or image from anywhere else) that any browser opens: a summary table with each
/// stream's verdict, then per stream its figures and pictures: the PIT histogram, TS-DF per period against the
/// narrow and wide limits, the RTP timestamp against arrival over time, loss and reorder events on the time axis,
/// and the level of each channel over time.
public enum ReportPage {
    /// One stream of the page: its analysis, its verdict, and figures the caller adds (a recording's placement).
    public struct Stream {
        public var name: String
        public var analyzer: StreamAnalyzer
        public var verdict: StreamVerdict
        public var facts: [(String, String)]

        public init(name: String, analyzer: StreamAnalyzer, verdict: StreamVerdict, facts: [(String, String)] = []) {
            self.name = name
            self.analyzer = analyzer
            self.verdict = verdict
            self.facts = facts
        }
    }

    static let palette = ["#1f6fb4", "#d9711c", "#2a9d3a", "#c42b2b", "#7b4fb0", "#8c5a3c", "#d14f9f", "#6b6b6b"]

    static func ms(_ nanoseconds: Double, _ digits: Int = 3) -> String {
        DecimalText.fixed(nanoseconds / 1e6, digits: digits)
    }
    static func ms(_ nanoseconds: Int64, _ digits: Int = 3) -> String { ms(Double(nanoseconds), digits) }

    static func badge(_ verdict: StreamVerdict) -> String {
        let (text, color) =
            switch verdict.timing {
            case .narrow: ("narrow", "#2a9d3a")
            case .wide: ("wide", "#c98a00")
            case .outside: ("outside", "#c42b2b")
            case nil: ("not measured", "#6b6b6b")
            }
        return "<span class=\"badge\" style=\"background:\(color)\">\(text)</span>"
    }

    /// The page.
    public static func render(title: String, subtitle: String, profile: Profile, streams: [Stream]) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(SVGChart.escaped(title))</title>
            <style>
            body{font-family:sans-serif;margin:24px;color:#222;max-width:1000px}
            table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
            th{background:#eee}td:first-child,th:first-child{text-align:left}
            .badge{color:#fff;padding:1px 8px;border-radius:8px}
            h2{margin-top:32px;border-bottom:1px solid #ccc}h3{font-size:14px;margin:14px 0 2px}
            </style></head><body>
            <h1>\(SVGChart.escaped(title))</h1>
            <p>\(SVGChart.escaped(subtitle)) Profile: \(profile.rawValue). Timing: narrow below 1 packet time of TS-DF, wide up to 17, as EBU LIST's profiles have it.</p>
            <table><tr><th>stream</th><th>packets</th><th>lost</th><th>PIT min / mean / max (ms)</th><th>TS-DF median / max (ms)</th><th>timing</th><th>profile</th></tr>

            """
        for (index, stream) in streams.enumerated() {
            let analyzer = stream.analyzer
            let pit =
                analyzer.intervals.count > 0
                ? "\(ms(analyzer.intervals.minimumNanoseconds)) / \(ms(analyzer.intervals.meanNanoseconds ?? 0)) / \(ms(analyzer.intervals.maximumNanoseconds))"
                : "-"
            let factor = analyzer.delayFactor.summary.map { "\(ms($0.median)) / \(ms($0.maximum))" } ?? "-"
            html +=
                "<tr><td><a href=\"#s\(index)\">\(SVGChart.escaped(stream.name))</a></td><td>\(analyzer.sequence.packets)</td><td>\(analyzer.sequence.lost)</td><td>\(pit)</td><td>\(factor)</td><td>\(badge(stream.verdict))</td><td>\(stream.verdict.meetsProfile ? "meets" : "fails")</td></tr>\n"
        }
        html += "</table>\n"
        for (index, stream) in streams.enumerated() { html += section(stream, index: index) }
        return html + "</body></html>\n"
    }

    /// How the sender reports' RTP timestamps stood against the newest packet's, and the rate two of them imply.
    static func reportMapping(_ control: ControlSummary) -> String {
        var text = ""
        if let offset = control.reportOffsetFrames {
            text += " (their RTP timestamps \(offset.minimum) to \(offset.maximum) frames from the newest packet's"
            if let rate = control.reportedRate { text += ", a rate of \(DecimalText.fixed(rate, digits: 1)) Hz" }
            text += ")"
        }
        return text
    }

    static func section(_ stream: Stream, index: Int) -> String {
        let analyzer = stream.analyzer
        let packet = Double(analyzer.packetNanoseconds)
        var html = "<h2 id=\"s\(index)\">\(SVGChart.escaped(stream.name)) \(badge(stream.verdict))</h2>\n<table>\n"
        let sequence = analyzer.sequence
        var facts: [(String, String)] = [
            (
                "format",
                "\(analyzer.description.encoding) \(analyzer.description.sampleRate) Hz, \(analyzer.description.channelCount) channels, \(ms(packet)) ms packets, payload type \(analyzer.description.payloadType)"
            ),
            (
                "packets",
                "\(sequence.packets) (\(sequence.lost) lost, \(sequence.duplicates) duplicated, \(sequence.reordered) reordered, \(sequence.sequenceErrors) sequence errors, \(sequence.ssrcChanges) SSRC changes)"
            ),
            (
                "RFC 3550 jitter",
                "mean \(ms(analyzer.jitterMeanNanoseconds)) ms, max \(ms(analyzer.jitterMaximumNanoseconds)) ms"
            ),
        ]
        if analyzer.delay.count > 0 {
            let reference = analyzer.delay.anchor == .relative ? "against the first packet" : "against the media clock"
            facts.append(
                (
                    "RTP timestamp against arrival",
                    "\(reference): min \(ms(analyzer.delay.minimumNanoseconds)) ms, mean \(ms(analyzer.delay.meanNanoseconds ?? 0)) ms, max \(ms(analyzer.delay.maximumNanoseconds)) ms"
                ))
        }
        if analyzer.description.secondLeg != nil {
            let skews = analyzer.copySkews.map { abs($0) }.sorted()
            let p99 = skews.isEmpty ? "-" : ms(skews[min(skews.count - 1, skews.count * 99 / 100)])
            facts.append(
                (
                    "two legs (ST 2022-7)",
                    "received \(analyzer.legPackets[0]) and \(analyzer.legPackets[1]), lost \(analyzer.legLost[0]) and \(analyzer.legLost[1]), \(analyzer.onlyOneLeg) on one leg only; the second copy p99 \(p99) ms after the first"
                ))
        }
        if analyzer.wrongPayloadType + analyzer.wrongLength > 0 {
            facts.append(
                (
                    "payload",
                    "\(analyzer.wrongPayloadType) of another payload type, \(analyzer.wrongLength) of another length"
                ))
        }
        facts.append(
            (
                "RTCP",
                "\(analyzer.control.senderReports) sender reports\(Self.reportMapping(analyzer.control)), \(analyzer.control.goodbyes) BYE, CNAME \(analyzer.control.canonicalNames.first ?? "none")"
            ))
        facts.append(
            (
                "description (AES67)",
                stream.verdict.findings.isEmpty
                    ? "nothing to remark" : stream.verdict.findings.map(\.description).joined(separator: "; ")
            ))
        if !stream.verdict.failures.isEmpty {
            facts.append(("fails the profile", stream.verdict.failures.map(\.description).joined(separator: "; ")))
        }
        for (key, value) in facts + stream.facts {
            html +=
                "<tr><th>\(SVGChart.escaped(key))</th><td style=\"text-align:left\">\(SVGChart.escaped(value))</td></tr>\n"
        }
        html += "</table>\n"
        let duration = Double((analyzer.lastArrival ?? 0) - (analyzer.firstArrival ?? 0)) / 1e9
        let span = 0...max(duration, 0.001)

        // PIT histogram.
        let intervals = analyzer.intervals
        let bin = Double(intervals.binNanoseconds) / 1e6
        let counts = intervals.bins.map(Double.init)
        var pit = SVGChart(
            x: 0...(bin * Double(counts.count)), y: 0...max(1, (counts.max() ?? 1) * 1.05),
            xLabel: "interval between arrivals (ms); the last bar holds every longer one", yLabel: "packets")
        pit.bars(counts.enumerated().map { (Double($0.offset) * bin, bin, $0.element) }, color: palette[0])
        pit.marks([(packet / 1e6, "packet time")], color: "#c42b2b")
        html += "<h3>Packet interval time</h3>\n" + pit.svg

        // TS-DF per period.
        let periods = analyzer.delayFactor.periods
        let largest = Double(periods.map(\.delayFactorNanoseconds).max() ?? 0) / 1e6
        var factor = SVGChart(
            x: span, y: 0...max(2 * packet / 1e6, largest * 1.1), xLabel: "seconds from the first packet",
            yLabel: "TS-DF (ms)")
        let periodSeconds = Double(analyzer.delayFactor.periodNanoseconds) / 1e9
        factor.bars(
            periods.map { (Double($0.startNanoseconds) / 1e9, periodSeconds, Double($0.delayFactorNanoseconds) / 1e6) },
            color: palette[1])
        factor.rule(packet / 1e6, label: "narrow: 1 packet time", color: "#2a9d3a")
        factor.rule(17 * packet / 1e6, label: "wide: 17 packet times", color: "#c42b2b")
        html += "<h3>TS-DF per \(DecimalText.fixed(periodSeconds, digits: 1)) s period</h3>\n" + factor.svg

        // The RTP timestamp against arrival.
        let series = analyzer.delay.series
        let low = Double(series.map(\.lowNanoseconds).min() ?? 0) / 1e6
        let high = Double(series.map(\.highNanoseconds).max() ?? 0) / 1e6
        var delay = SVGChart(
            x: span, y: min(0, low)...max(high, low + 0.001), xLabel: "seconds from the first packet",
            yLabel: "arrival - RTP time (ms)")
        let step = Double(analyzer.delay.seriesPeriodNanoseconds) / 1e9
        delay.band(
            series.map {
                (
                    Double($0.startNanoseconds) / 1e9, step, Double($0.lowNanoseconds) / 1e6,
                    Double($0.highNanoseconds) / 1e6
                )
            }, color: palette[0])
        delay.rule(0, label: analyzer.delay.anchor == .relative ? "the first packet" : "on time", color: "#333")
        html +=
            "<h3>RTP timestamp against arrival (lowest to highest per \(DecimalText.fixed(step * 1000, digits: 0)) ms)</h3>\n"
            + delay.svg

        // Loss and reorder events.
        var events = SVGChart(
            width: 720, height: 90, x: span, y: 0...1, xLabel: "seconds from the first packet", yLabel: "events")
        events.marks(
            sequence.gaps.prefix(500).map { (Double($0.atNanoseconds) / 1e9, "\($0.packets) lost") }, color: "#c42b2b")
        events.marks(sequence.reorders.prefix(500).map { (Double($0) / 1e9, nil) }, color: "#c98a00")
        html +=
            "<h3>Loss (red, packets missing) and reordering (amber)\(sequence.gaps.count + sequence.reorders.count == 0 ? ": none" : "")</h3>\n"
            + events.svg

        // Levels per channel.
        html += levels(analyzer.levels, sampleRate: analyzer.description.sampleRate)
        return html
    }

    static func levels(_ levels: ChannelLevels, sampleRate: Int) -> String {
        let windowSeconds = Double(levels.windowFrames) / Double(max(1, sampleRate))
        let span = 0...max(windowSeconds * Double(levels.windowCount), 0.001)
        let floor = -90.0
        if levels.channelCount <= 8 {
            var chart = SVGChart(x: span, y: floor...3, xLabel: "seconds of audio", yLabel: "RMS level (dBFS)")
            for channel in 0..<levels.channelCount {
                chart.line(
                    (0..<levels.windowCount).map { window in
                        (Double(window) * windowSeconds, levels.level(window: window, channel: channel).rms ?? floor)
                    }, color: palette[channel % palette.count])
            }
            let legend = (0..<levels.channelCount).map {
                "<span style=\"color:\(palette[$0 % palette.count])\">channel \($0 + 1)</span>"
            }.joined(separator: " ")
            return
                "<h3>Levels: RMS per \(DecimalText.fixed(windowSeconds * 1000, digits: 0)) ms, AES17 (a full-scale sine reads 0 dBFS) \(legend)</h3>\n"
                + chart.svg
        }
        // Many channels: a row each, darker for louder.
        var chart = SVGChart(
            height: max(120, 8 * Double(levels.channelCount) + 46), x: span, y: 0...Double(levels.channelCount),
            xLabel: "seconds of audio", yLabel: "channel (first at the top)")
        // At most 240 columns (a page of 64 channels x 2048 windows would be megabytes): each the loudest window of
        // its group.
        let group = max(1, (levels.windowCount + 239) / 240)
        var cells: [(Int, Double, Double, String)] = []
        for channel in 0..<levels.channelCount {
            for first in stride(from: 0, to: levels.windowCount, by: group) {
                let windows = first..<min(levels.windowCount, first + group)
                let rms = windows.compactMap { levels.level(window: $0, channel: channel).rms }.max() ?? floor
                let shade = Int(255 - 215 * min(1, max(0, (rms - floor) / -floor)))
                cells.append(
                    (
                        channel, Double(first) * windowSeconds, Double(windows.count) * windowSeconds,
                        "rgb(\(shade),\(shade),255)"
                    ))
            }
        }
        chart.cells(cells, rows: levels.channelCount)
        return
            "<h3>Levels: RMS per channel (each column its loudest \(DecimalText.fixed(windowSeconds * 1000, digits: 0)) ms), white silent to blue full scale</h3>\n"
            + chart.svg
    }
}
