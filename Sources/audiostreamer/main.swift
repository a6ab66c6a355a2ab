import Platform
import Streaming
import WAV

/// The composition root: parse, set up, stream, report, exit.
func main() -> Int32 {
    // SIGINT/SIGTERM stop the stream cleanly (final SR and BYE); blocked here before any thread starts.
    let stop = StopSignal()
    do {
        try SignalWatcher.start { _ in stop.stop() }
    } catch {
        Console.error("audiostreamer: \(error)\n")
        return ExitCode.osError
    }
    let options: Options
    do {
        options = try Options(arguments: Array(CommandLine.arguments.dropFirst()))
    } catch {
        Console.error("audiostreamer: \(error)\nTry 'audiostreamer --help'.\n")
        return ExitCode.usage
    }
    if options.help {
        Console.output(Options.usage)
        return ExitCode.ok
    }
    if options.showVersion {
        Console.output("audiostreamer \(Options.version)\n")
        return ExitCode.ok
    }
    let warn: @Sendable (String) -> Void = { Console.error($0 + "\n") }
    var stream = options.stream
    let name: String
    let source: any FrameSource
    do {
        if options.demo {
            name = "demo"
            if stream.durationSeconds == nil && !stream.loops {
                stream.durationSeconds = ExactDecimal(numerator: 10)
            }
            source = try StreamSetup.openWAV(
                source: MemoryByteSource(TestSignal.wav(seconds: 1)), named: "demo", warn: warn)
            stream.loops = true
        } else {
            let path = options.files[0]
            name = StreamSetup.trackName(forPath: path)
            source = try StreamSetup.openWAV(path: path, warn: warn)
        }
        var random = SystemRandomSource()
        let sessionID = UInt64(WallClock().now() / 1_000_000_000) + 2_208_988_800
        let prepared = try StreamSetup.prepare(
            name: name, source: source, options: stream, sessionID: sessionID, random: &random, warn: warn)
        return play(prepared, options: options, stop: stop)
    } catch {
        Console.error("audiostreamer: \(error)\n")
        switch error {
        case .configuration: return ExitCode.usage
        case .inputUnreadable: return ExitCode.noInput
        case .inputInvalid: return ExitCode.dataError
        case .unknownHost: return ExitCode.noHost
        case .network: return ExitCode.osError
        case .sdpNotWritten: return ExitCode.cannotCreate
        }
    }
}

func play(_ prepared: PreparedTrack, options: Options, stop: StopSignal) -> Int32 {
    let track = prepared.track
    let announcement = prepared.announcement
    let rate = announcement.sampleRate
    Console.error(
        "\(track.name): \(announcement.encoding.name) \(rate) Hz \(announcement.channelCount) ch, \(announcement.packetTimeText) ms packets, PT \(announcement.payloadType), SSRC 0x\(String(track.packetizer.ssrc, radix: 16)) -> \(prepared.destination); SDP \(prepared.sdpPath)\n"
    )
    let bandwidth = RTCPInterval.sessionBandwidth(
        sampleRate: rate, channelCount: announcement.channelCount, bytesPerSample: announcement.encoding.bytesPerSample,
        framesPerPacket: announcement.framesPerPacket)
    let minimum =
        options.rtcpReducedMinimum
        ? RTCPInterval.reducedMinimum(sessionBandwidth: bandwidth)
        : options.rtcpMinimumSeconds.map { Double($0.scaled(by: 1_000_000)) / 1e6 } ?? RTCPInterval.defaultMinimumSeconds
    let reporter = RTCPReporter(
        sessions: [prepared.rtcp], interval: RTCPInterval(sessionBandwidth: bandwidth, minimumSeconds: minimum),
        random: SystemRandomSource())
    let runner = StreamRunner(tracks: [track], settings: options.pacing, stop: stop, reporter: reporter)
    var nextStats = 0.0
    let total = track.plannedFrames.map { Double($0) / Double(rate) }
    let live = Console.errorIsTerminal
    do {
        try runner.run(warn: { Console.error($0 + "\n") }) { elapsed, final in
            if let path = options.statsPath, final || elapsed >= nextStats {
                writeStatistics([prepared.rtcp], start: runner.start, to: path)
                nextStats = elapsed + 2
            }
            guard options.verbose || final else { return }
            let counts = track.counters.snapshot
            let media = Double(counts.frames) / Double(rate)
            let line =
                "\(track.name): \(format(media))/\(total.map(format) ?? "-") s, \(counts.packets) packets, \(counts.latePackets) late (worst \(format(Double(counts.worstLatenessNanoseconds) / 1e6)) ms), \(counts.refusedSends) refused, \(counts.failedSends) failed"
            if final {
                Console.error((live && options.verbose ? "\r\u{1B}[K" : "") + line + "\n")
                for receiver in prepared.rtcp.receiverStatistics {
                    Console.error("\(track.name): \(receiver.summary)\n")
                }
            } else if options.verbose && !prepared.rtcp.receiverStatistics.isEmpty && !live {
                Console.error(line + "\n")
                for receiver in prepared.rtcp.receiverStatistics {
                    Console.error("\(track.name): \(receiver.summary)\n")
                }
            } else {
                Console.error(live ? "\r\u{1B}[K" + line : line + "\n")
            }
        }
    } catch {
        Console.error("audiostreamer: \(error)\n")
        return ExitCode.osError
    }
    let counts = track.counters.snapshot
    if counts.clippedSamples > 0 {
        Console.error("warning: \(track.name): \(counts.clippedSamples) samples clipped to the \(announcement.encoding.name) range\n")
    }
    if counts.failedSends > 0 {
        Console.error(
            "warning: \(track.name): \(counts.failedSends) datagrams not sent (last error: \(errorText(counts.lastSendError)))\n")
    }
    if let failure = track.failure {
        Console.error("audiostreamer: \(track.name): read failed: \(failure)\n")
        return ExitCode.ioError
    }
    return ExitCode.ok
}

/// Writes the statistics of every stream as one JSON document, atomically.
func writeStatistics(_ sessions: [RTCPSession], start: ClockPair, to path: String) {
    let text = "{\"streams\": [" + sessions.map { $0.statisticsJSON(start: start) }.joined(separator: ", ") + "]}\n"
    do {
        try FileSystem.writeAtomically(Array(text.utf8), to: path)
    } catch {
        Console.error("warning: --stats \(path): \(error)\n")
    }
}

/// Seconds with up to three decimals.
func format(_ value: Double) -> String {
    let thousandths = Int((value * 1000).rounded())
    var fraction = String(thousandths % 1000)
    while fraction.count < 3 { fraction = "0" + fraction }
    return "\(thousandths / 1000).\(fraction)"
}

Console.exit(main())
