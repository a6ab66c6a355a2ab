import Application

/// The words of `analyze`: one summary line per stream, and what each failure says.
struct AnalyzeMessages: Sendable {
    let arguments: AnalyzeArguments
    /// Whether standard error is a terminal, and its rows, read at each drawing.
    var terminal = false
    var rows: @Sendable () -> Int? = { nil }

    static func milliseconds(_ nanoseconds: Double, digits: Int = 3) -> String {
        DecimalText.fixed(nanoseconds / 1e6, digits: digits)
    }

    static func milliseconds(_ nanoseconds: Int64, digits: Int = 3) -> String {
        milliseconds(Double(nanoseconds), digits: digits)
    }

    /// A stream's summary: counts, PIT, TS-DF, its class and whether it meets the profile (and why not).
    func summary(_ stream: AnalyzedStream) -> String {
        let analyzer = stream.analyzer
        let sequence = analyzer.sequence
        var line = "\(Printable.text(stream.name)): \(sequence.packets) packets, \(sequence.lost) lost"
        if sequence.duplicates > 0 { line += ", \(sequence.duplicates) duplicated" }
        if sequence.reordered > 0 { line += ", \(sequence.reordered) reordered" }
        if analyzer.intervals.count > 0 {
            let intervals = analyzer.intervals
            line +=
                "; PIT \(Self.milliseconds(intervals.minimumNanoseconds))/\(Self.milliseconds(intervals.meanNanoseconds ?? 0))/\(Self.milliseconds(intervals.maximumNanoseconds)) ms"
        }
        if let factor = analyzer.delayFactor.summary {
            let period = DecimalText.fixed(Double(analyzer.delayFactor.periodNanoseconds) / 1e9, digits: 1)
            line +=
                "; TS-DF median \(Self.milliseconds(factor.median)) max \(Self.milliseconds(factor.maximum)) ms over \(analyzer.delayFactor.periods.count) periods of \(period) s"
        }
        if let timing = stream.verdict.timing { line += ": \(timing.rawValue)" }
        let profile = arguments.profile.rawValue
        if stream.verdict.meetsProfile {
            line += "; meets \(profile)"
        } else {
            line += "; fails \(profile): " + stream.verdict.failures.map(\.description).joined(separator: "; ")
        }
        let remarks = stream.verdict.findings.filter { !(arguments.level != nil && $0.failsLevel) }
        if let first = remarks.first {
            line += "; SDP: \(first)\(remarks.count > 1 ? " (and \(remarks.count - 1) more, in --stats)" : "")"
        }
        if arguments.profile == .jtnm2022 && !stream.verdict.delayJudged {
            line += " (RTP timestamps against arrival not judged: no reference clock verified)"
        }
        return line
    }

    func lines(_ event: AnalyzeEvent) -> String {
        switch event {
        case .announced(let name, let origin):
            "audiostreamer: \(Printable.text(name)): \(Printable.text(origin)), analysed\n"
        case .unheard(let name): "audiostreamer: warning: \(Printable.text(name)): no packet of it arrived\n"
        case .listening(let name, let port):
            arguments.verbose ? "audiostreamer: \(Printable.text(name)): listening on port \(port)\n" : ""
        case .progress(let elapsed, let streams):
            arguments.verbose && !terminal ? progress(elapsed, streams).map { "audiostreamer: \($0)\n" }.joined() : ""
        }
    }

    /// `--verbose` on a terminal: the progress drawn in place (`Console.redraw`) rather than as lines.
    func redrawn(_ event: AnalyzeEvent) -> [String]? {
        guard terminal && arguments.verbose, case .progress(let elapsed, let streams) = event else { return nil }
        return TerminalPage.shown(
            progress(elapsed, streams), elapsedSeconds: Double(elapsed) / 1e9, rows: rows() ?? 24, noun: "streams")
    }

    /// A line per stream of its analysis so far: "NAME: 12 s, 12000 packets, 0 lost; TS-DF 0.041 ms, largest
    /// 0.118 ms: narrow so far".
    func progress(_ elapsedNanoseconds: Int64, _ streams: [StreamAnalyzer.Progress]) -> [String] {
        let seconds = elapsedNanoseconds / 1_000_000_000
        return streams.map { stream in
            var line = "\(Printable.text(stream.name)): \(seconds) s, \(stream.packets) packets, \(stream.lost) lost"
            if let last = stream.lastDelayFactorNanoseconds, let largest = stream.largestDelayFactorNanoseconds,
                let timing = stream.timing
            {
                line +=
                    "; TS-DF \(Self.milliseconds(last)) ms, largest \(Self.milliseconds(largest)) ms: \(timing.rawValue) so far"
            }
            return line
        }
    }

    func failure(_ failure: AnalyzeFailure) -> (line: String, code: Int32) {
        switch failure {
        case .record(let error):
            var record = RecordArguments()
            record.verbose = false
            return RecordMessages(arguments: record, terminal: false).failure(error)
        case .captureUnreadable(let path, let reason):
            return ("\(Printable.text(path)): \(Printable.text(reason))", ExitCode.noInput)
        case .capture(let path, let error):
            return Self.capture(path, error)
        case .emptyCapture(let path):
            return ("\(Printable.text(path)): the capture holds no UDP datagram", ExitCode.dataError)
        case .noStreamInCapture(let path, let described, let seen):
            return (
                "\(Printable.text(path)): no packet of the streams described (ports \(Self.ports(described))) is in the capture; its UDP ports: \(seen.isEmpty ? "none" : Self.ports(seen))",
                ExitCode.dataError
            )
        case .nothingDescribed(let path):
            return (
                "\(Printable.text(path)): no SAP announcement in the capture describes a stream; give its SDP files or --port",
                ExitCode.dataError
            )
        case .nothingReceived(let ports):
            return ("nothing was received on port \(Self.ports(ports))", ExitCode.unavailable)
        case .statisticsUnwritable(let path, let reason):
            return (
                "--stats \(Printable.text(path)): cannot be written: \(Printable.text(reason))", ExitCode.cannotCreate
            )
        case .reportUnwritable(let path, let reason):
            return (
                "--report \(Printable.text(path)): cannot be written: \(Printable.text(reason))", ExitCode.cannotCreate
            )
        }
    }

    /// At most ten ports, then how many more.
    static func ports(_ ports: [Int]) -> String {
        let shown = ports.prefix(10).map(String.init).joined(separator: ", ")
        return ports.count > 10 ? shown + " and \(ports.count - 10) more" : shown
    }

    static func capture(_ path: String, _ error: CaptureError) -> (line: String, code: Int32) {
        let file = Printable.text(path)
        switch error {
        case .notACapture(let magic):
            let hex = String(magic, radix: 16, uppercase: true)
            return (
                "\(file): not a pcap or pcapng capture (it begins 0x\(String(repeating: "0", count: 8 - hex.count))\(hex))",
                ExitCode.dataError
            )
        case .truncated(let record, let needed, let available):
            return (
                "\(file): record \(record) is cut short: \(available) of its \(needed) bytes are there",
                ExitCode.dataError
            )
        case .badLength(let record, let length):
            return ("\(file): record \(record) has a length that cannot be right (\(length))", ExitCode.dataError)
        case .unknownInterface(let record, let interface):
            return (
                "\(file): record \(record) names interface \(interface), which its section does not describe",
                ExitCode.dataError
            )
        case .unsupportedVersion(let major, let minor):
            return ("\(file): format version \(major).\(minor) is not one this reader knows", ExitCode.dataError)
        case .readFailed(let reason):
            return ("\(file): \(Printable.text(reason))", ExitCode.ioError)
        }
    }
}
