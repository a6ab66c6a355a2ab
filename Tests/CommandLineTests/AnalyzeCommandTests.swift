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

    func track(_ name: String, peak: Double, meanSquare: Double?, lostSinceLast: Int) -> RecordTrackProgress {
        var track = RecordTrackProgress(
            name: name, sampleRate: 48_000, channels: 2, received: 100, lost: lostSinceLast, late: 0, reordered: 0,
            duplicated: 0, unexpected: 0, malformed: 0, mismatched: 0, legs: [], jitterMilliseconds: 0,
            framesWritten: 0, lostFrames: 0, droppedFrames: 0, peak: peak, meanSquare: meanSquare, segments: [],
            driftPartsPerMillion: nil, senderName: nil)
        track.lostSinceLast = lostSinceLast
        return track
    }

    @Test("a meter: the RMS as a bar, the peak marked on it, CLIP at full scale, the loss since the last drawing")
    func meterLine() {
        // A full-scale sine: peak 0 dBFS, RMS 0 dBFS by AES17 (mean square 1/2).
        let sine = LevelMeters.meter(track("sine", peak: 1, meanSquare: 0.5, lostSinceLast: 0))
        #expect(sine == "sine             [#############################|] peak    0.0 rms    0.0 dBFS CLIP")
        // Half scale: peak -6.02 dBFS, marked in cell 26 of 30 ((60 - 6.02) / 60 * 30); RMS -20 dBFS fills 20.
        let quiet = LevelMeters.meter(track("a very long track name", peak: 0.5, meanSquare: 0.005, lostSinceLast: 3))
        #expect(quiet.hasPrefix("a very long tra~ [####################-----|----] peak   -6.0 rms  -20.0 dBFS"))
        #expect(quiet.hasSuffix(" lost 3") && !quiet.contains("CLIP"))
        let silent = LevelMeters.meter(track("s", peak: 0, meanSquare: nil, lostSinceLast: 0))
        #expect(silent.contains("[------------------------------] peak   -inf rms   -inf dBFS"))
    }

    @Test("more tracks than the terminal's rows: a page at a time under a header, turning every 2 s")
    func meterPages() {
        let tracks = (1...5).map { track("t\($0)", peak: 0.1, meanSquare: 0.001, lostSinceLast: 0) }
        // A 4-row terminal: two meters a page.
        let first = LevelMeters.lines(tracks, elapsedSeconds: 0.5, rows: 4)
        #expect(first.count == 3 && first[0] == "tracks 1-2 of 5" && first[1].hasPrefix("t1 "))
        #expect(LevelMeters.lines(tracks, elapsedSeconds: 2.5, rows: 4).first == "tracks 3-4 of 5")
        #expect(
            LevelMeters.lines(tracks, elapsedSeconds: 4.5, rows: 4) == [
                "tracks 5-5 of 5", LevelMeters.meter(tracks[4]),
            ])
        #expect(LevelMeters.lines(tracks, elapsedSeconds: 6.5, rows: 4) == first)
        // Room for all: no header.
        #expect(LevelMeters.lines(tracks, elapsedSeconds: 0.5, rows: 40).count == 5)
    }

    @Test("analyze --verbose: a line per stream each second, drawn in place and paged on a terminal; none without it")
    func progressLines() {
        let streams = [
            StreamAnalyzer.Progress(
                name: "left", packets: 2000, lost: 0, lastDelayFactorNanoseconds: 41_000,
                largestDelayFactorNanoseconds: 118_000, timing: .narrow),
            StreamAnalyzer.Progress(
                name: "right\u{1B}[2J", packets: 10, lost: 3, lastDelayFactorNanoseconds: nil,
                largestDelayFactorNanoseconds: nil, timing: nil),
        ]
        let event = AnalyzeEvent.progress(elapsedNanoseconds: 2_400_000_000, streams: streams)
        let left = "left: 2 s, 2000 packets, 0 lost; TS-DF 0.041 ms, largest 0.118 ms: narrow so far"
        // A name from the network is printed escaped.
        let right = "right\\u{1b}[2J: 2 s, 10 packets, 3 lost"
        var arguments = AnalyzeArguments()
        #expect(AnalyzeMessages(arguments: arguments).lines(event).isEmpty)
        #expect(AnalyzeMessages(arguments: arguments, terminal: true).redrawn(event) == nil)
        arguments.verbose = true
        let plain = AnalyzeMessages(arguments: arguments)
        #expect(plain.lines(event) == "audiostreamer: \(left)\naudiostreamer: \(right)\n")
        #expect(plain.redrawn(event) == nil)
        #expect(plain.lines(.listening(name: "left", port: 5004)) == "audiostreamer: left: listening on port 5004\n")
        let roomy = AnalyzeMessages(arguments: arguments, terminal: true, rows: { 24 })
        #expect(roomy.lines(event).isEmpty && roomy.redrawn(event) == [left, right])
        // Three rows: a stream a page, the second page 2.4 s in.
        let cramped = AnalyzeMessages(arguments: arguments, terminal: true, rows: { 3 })
        #expect(cramped.redrawn(event) == ["streams 2-2 of 2", right])
    }

    @Test("the monitor counts each track's loss since the last look")
    func lossSinceLast() {
        var monitor = RecordMonitor()
        func look(_ lost: [Int]) -> [Int] {
            let progress = RecordProgress(
                elapsedSeconds: 0, isFinal: false,
                tracks: lost.map { track("t", peak: 0, meanSquare: nil, lostSinceLast: 0).with(lost: $0) })
            for case .progress(let seen) in monitor.events(start: nil, kernelDrops: 0, progress: progress) {
                return seen.tracks.map(\.lostSinceLast)
            }
            return []
        }
        #expect(look([2, 0]) == [2, 0])
        #expect(look([2, 5]) == [0, 5])
        #expect(look([9, 5]) == [7, 0])
    }
}

extension RecordTrackProgress {
    func with(lost: Int) -> RecordTrackProgress {
        var track = self
        track.lost = lost
        return track
    }
}
