import Analysis
import Capture
import Interfaces
import JSON
import Planning
import Platform
import RTP
import SDP

/// `analyze`: each stream's packets measured as they arrive (live, by kernel receive timestamps) or as a capture
/// holds them (by its timestamps), then judged against a profile.
public enum AnalyzeProgram {
    /// Analyses the streams of `request`; the streams judged, in order.
    public static func run(
        _ request: AnalyzeRequest, environment: Environment, events: @escaping @Sendable (AnalyzeEvent) -> Void,
        stop: StopSignal
    ) throws(AnalyzeFailure) -> [AnalyzedStream] {
        // --stats refused before anything is read, not after a long capture.
        if let path = request.statisticsPath,
            let reason = StatisticsFile.write(statistics([], profile: request.profile), to: path)
        {
            throw .statisticsUnwritable(path: path, reason: reason)
        }
        let analysed: [AnalyzedStream]
        switch request.input {
        case .capture(let path):
            analysed = try analyzeCapture(path, request: request, environment: environment, events: events)
        case .live:
            analysed = try analyzeLive(request, environment: environment, events: events, stop: stop)
        }
        if let path = request.statisticsPath,
            let reason = StatisticsFile.write(statistics(analysed, profile: request.profile), to: path)
        {
            throw .statisticsUnwritable(path: path, reason: reason)
        }
        if let path = request.reportPath {
            let source: String
            switch request.input {
            case .capture(let capture): source = "From the capture \(capture == "-" ? "on standard input" : capture)."
            case .live: source = "Listened live on this host, kernel receive times."
            }
            let page = ReportPage.render(
                title: "audiostreamer analyze", subtitle: source, profile: request.profile,
                streams: analysed.map {
                    ReportPage.Stream(
                        name: $0.name, analyzer: $0.analyzer, verdict: $0.verdict, facts: [("described by", $0.origin)])
                })
            do {
                try FileSystem.writeAtomically(Array(page.utf8), to: path)
            } catch {
                throw .reportUnwritable(path: path, reason: "\(error)")
            }
        }
        return analysed
    }

    /// The streams the request describes, read as `record` reads them.
    static func described(
        _ streams: RecordRequest.Streams, interface: UInt32?, environment: Environment,
        events: @escaping @Sendable (AnalyzeEvent) -> Void
    ) throws(AnalyzeFailure) -> [RecordTake.Stream] {
        var start: StartRequest?
        do throws(RecordFailure) {
            return try RecordProgram.streams(
                of: streams, interface: interface, taiOffsetSeconds: taiOffsetSeconds(ptp: nil),
                environment: environment, start: &start,
                events: { event in
                    if case .announced(let name, let origin, true) = event {
                        events(.announced(name: name, origin: "SAP from \(origin)"))
                    }
                })
        } catch {
            throw .record(error)
        }
    }

    /// How a stream's RTP timestamps are judged against arrival: against its media clock where the description ties
    /// the timestamps to a reference clock (`ts-refclk` other than `local`, and `mediaclk:direct`) and the arrival
    /// times are on that clock's timescale (`synchronized`); else against the stream's own first packet.
    static func anchor(for stream: StreamDescription, synchronized: Bool, taiOffsetSeconds: Int)
        -> ArrivalDelay.ClockAnchor
    {
        guard synchronized, let offset = stream.mediaClockOffset, let clock = stream.referenceClock,
            clock.hasPrefix("ptp=") || clock.hasPrefix("ntp=")
        else { return .relative }
        return .mediaClock(offset: offset, taiOffsetSeconds: clock.hasPrefix("ptp=") ? Int64(taiOffsetSeconds) : 0)
    }

    /// Every stream's verdict, its analysis closed.
    static func judged(_ streams: [(RecordTake.Stream, StreamAnalyzer)], request: AnalyzeRequest) -> [AnalyzedStream] {
        streams.map { stream, analyzer in
            analyzer.finish()
            return AnalyzedStream(
                name: stream.description.name, origin: stream.origin, analyzer: analyzer,
                verdict: StreamVerdict.judge(analyzer, profile: request.profile, level: request.level))
        }
    }
}
