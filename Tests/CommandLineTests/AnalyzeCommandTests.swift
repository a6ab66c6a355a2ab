import Arguments
import Testing

@testable import Application
@testable import audiostreamer

/// `analyze`'s command line and `record --verbose`'s meters.
@Suite struct AnalyzeCommandTests {
    func analyze(_ arguments: [String]) throws -> AnalyzeArguments {
        guard case .analyze(let settings) = try Command.parse(["analyze"] + arguments) else {
            Issue.record("\(arguments) is not an analyze")
            return AnalyzeArguments()
        }
        return settings
    }

    @Test("a capture is the first operand (a .pcap, .pcapng or .cap file, or -); SDP files follow it")
    func captureOperand() throws {
        let settings = try analyze(["take.pcapng", "a.sdp", "b.sdp", "--profile", "jtnm-2022"])
        #expect(settings.capture == "take.pcapng" && settings.sdpFiles == ["a.sdp", "b.sdp"])
        #expect(settings.profile == .jtnm2022)
        let request = AnalyzeOptions.request(settings)
        #expect(request.input == .capture(path: "take.pcapng"))
        #expect(request.streams == .sdpFiles(["a.sdp", "b.sdp"]))
        #expect(try analyze(["-"]).capture == "-")
        #expect(AnalyzeOptions.request(try analyze(["-"])).streams == nil)
        let live = AnalyzeOptions.request(try analyze(["--duration", "2.5", "--tsdf-period", "200", "a.sdp"]))
        #expect(live.input == .live && live.durationNanoseconds == 2_500_000_000)
        #expect(live.periodNanoseconds == 200_000_000)
    }

    @Test("a --port stream's packet time sets its frames per packet")
    func portStream() throws {
        let request = AnalyzeOptions.request(
            try analyze(["--port", "5004", "--rate", "96000", "--channels", "8", "--ptime", "0.125"]))
        guard case .plain(let description)? = request.streams else {
            Issue.record("not a --port stream")
            return
        }
        #expect(description.framesPerPacket == 12 && description.channelCount == 8 && description.port == 5004)
    }

    @Test(
        "what analyze refuses on its command line",
        arguments: [
            (["x.pcap", "--sap"], "--sap listens live"),
            (["x.pcap", "--duration", "3"], "--duration is for listening"),
            (["a.sdp", "x.pcap"], "one capture at a time, given first"), ([], "nothing to analyze"),
            (["--ptime", "1", "a.sdp"], "describe a --port stream"),
            (["--clock-synchronized", "a.sdp"], "for a capture"),
            (["--profile", "loose", "a.sdp"], "expected narrow, wide or jtnm-2022"),
        ])
    func refusals(_ arguments: [String], _ message: String) {
        #expect {
            _ = try Command.parse(["analyze"] + arguments)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    func track(_ name: String, peak: Double, meanSquare: Double?, lost: Int) -> RecordTrackProgress {
        RecordTrackProgress(
            name: name, sampleRate: 48_000, channels: 2, received: 100, lost: lost, late: 0, reordered: 0,
            duplicated: 0, unexpected: 0, malformed: 0, mismatched: 0, legs: [], jitterMilliseconds: 0,
            framesWritten: 0, lostFrames: 0, droppedFrames: 0, peak: peak, meanSquare: meanSquare, segments: [],
            driftPartsPerMillion: nil, senderName: nil)
    }

    @Test("a meter: the RMS as a bar, the peak marked on it, CLIP at full scale, the loss since the last drawing")
    func meterLine() {
        // A full-scale sine: peak 0 dBFS, RMS 0 dBFS by AES17 (mean square 1/2).
        let sine = LevelMeters.meter(track("sine", peak: 1, meanSquare: 0.5, lost: 0), lostSince: 0)
        #expect(sine == "sine             [#############################|] peak    0.0 rms    0.0 dBFS CLIP")
        // Half scale: peak -6.02 dBFS, marked in cell 26 of 30 ((60 - 6.02) / 60 * 30); RMS -20 dBFS fills 20.
        let quiet = LevelMeters.meter(
            track("a very long track name", peak: 0.5, meanSquare: 0.005, lost: 3), lostSince: 3)
        #expect(quiet.hasPrefix("a very long tra~ [####################-----|----] peak   -6.0 rms  -20.0 dBFS"))
        #expect(quiet.hasSuffix(" lost 3") && !quiet.contains("CLIP"))
        let silent = LevelMeters.meter(track("s", peak: 0, meanSquare: nil, lost: 0), lostSince: 0)
        #expect(silent.contains("[------------------------------] peak   -inf rms   -inf dBFS"))
    }

    @Test("meters go back over their last drawing, page through more tracks than rows, restart below other lines")
    func meterPages() {
        let meters = LevelMeters()
        let tracks = (1...5).map { track("t\($0)", peak: 0.1, meanSquare: 0.001, lost: $0) }
        let first = meters.draw(tracks, rows: 4)
        // Two rows of meters a page, under a header: "tracks 1-2 of 5"; nothing to go back over yet.
        #expect(!first.hasPrefix("\u{1B}["))
        #expect(first.contains("tracks 1-2 of 5") && first.contains("t1 ") && !first.contains("t3 "))
        let second = meters.draw(tracks, rows: 4)
        #expect(second.hasPrefix("\u{1B}[3A"))
        for _ in 0..<2 { _ = meters.draw(tracks, rows: 4) }
        // The fifth drawing turns the page.
        #expect(meters.draw(tracks, rows: 4).contains("tracks 3-4 of 5"))
        meters.interrupted()
        #expect(!meters.draw(tracks, rows: 40).hasPrefix("\u{1B}["))
        // Loss since the last drawing: t2 lost 2 in all, none since.
        let later = (1...5).map { track("t\($0)", peak: 0.1, meanSquare: 0.001, lost: $0 + ($0 == 2 ? 7 : 0)) }
        let drawn = meters.draw(later, rows: 40)
        #expect(drawn.contains("lost 7") && drawn.split(separator: "\n").filter { $0.contains("lost") }.count == 1)
    }
}
