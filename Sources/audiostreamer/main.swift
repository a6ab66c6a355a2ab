import Platform
import RTP
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

    // A session file stands for the files, the destination, the base port and the start.
    var session: SessionFile?
    var startText = options.startAt
    if let path = options.sessionPath, let node = options.node {
        do {
            let loaded = try SessionFile.load(path: path)
            guard loaded.tracks.contains(where: { $0.node == node }) else {
                throw SessionFileError.invalid(path, "no track for node '\(node)'")
            }
            if let destination = loaded.destination { stream.host = destination }
            if let port = loaded.port { stream.port = port }
            if let ptime = loaded.ptime {
                guard (0.125...1000).contains(ptime), let time = PacketTime(milliseconds: String(ptime)) else {
                    throw SessionFileError.invalid(path, "ptime \(ptime): expected milliseconds from 0.125 to 1000")
                }
                stream.packetTime = time
            }
            startText = startText ?? loaded.startAt
            if let text = startText, StartTime.parse(text, now: 0) == nil {
                throw SessionFileError.invalid(path, "start_at '\(text)' is not an ISO 8601 UTC time or +SECONDS")
            }
            session = loaded
        } catch {
            Console.error("audiostreamer: \(error)\n")
            if case SessionFileError.unreadable = error { return ExitCode.noInput }
            return ExitCode.dataError
        }
    }

    do {
        // Every input opened and checked before any SDP is written. `slot` places a track's ports (port + 2 x slot).
        var inputs: [(name: String, source: any FrameSource, slot: Int, ssrc: UInt32?, host: String?)] = []
        if let session, let path = options.sessionPath {
            for (index, track) in session.tracks.enumerated() where track.node == options.node {
                let file = session.resolve(track.file, relativeTo: path)
                let source = try StreamSetup.openWAV(path: file, warn: warn)
                // What the session declares of a track is what other PCs put in their SDP: it must be true.
                let format = source.format
                let natural = format.encoding.naturalNetworkWidth == .bits16 ? "L16" : "L24"
                if track.sampleRate.map({ $0 != format.sampleRate }) ?? false
                    || track.channels.map({ $0 != format.channelCount }) ?? false
                    || track.encoding.map({ $0.uppercased() != natural && options.stream.encoding == nil }) ?? false
                {
                    Console.error(
                        "audiostreamer: \(path): track '\(session.trackName(index))' declares \(track.encoding ?? natural) \(track.sampleRate ?? format.sampleRate) Hz \(track.channels ?? format.channelCount) ch, but \(file) is \(natural) \(format.sampleRate) Hz \(format.channelCount) ch\n"
                    )
                    return ExitCode.dataError
                }
                inputs.append((session.trackName(index), source, index, session.ssrc(index), track.destination))
            }
        } else if options.demo {
            if stream.durationSeconds == nil && !stream.loops {
                stream.durationSeconds = ExactDecimal(numerator: 10)
            }
            let source = try StreamSetup.openWAV(
                source: MemoryByteSource(TestSignal.wav(seconds: 1)), named: "demo", warn: warn)
            stream.loops = true
            inputs.append(("demo", source, 0, nil, nil))
        } else {
            for argument in options.files {
                let paths =
                    FileSystem.isDirectory(argument)
                    ? try StreamSetup.wavFiles(inDirectory: argument, note: warn) : [argument]
                for path in paths {
                    inputs.append(
                        (
                            StreamSetup.trackName(forPath: path), try StreamSetup.openWAV(path: path, warn: warn),
                            inputs.count, nil, nil
                        ))
                }
            }
        }
        // Files are read ahead by one reader thread, off the pacing thread: a ring of at least a second each.
        var readers: [ReadAheadSource] = []
        if !options.demo {
            inputs = inputs.map { input in
                let format = input.source.format
                let reader = ReadAheadSource(
                    input.source, capacity: max(256 * 1024, format.sampleRate * format.bytesPerFrame),
                    maximumFrames: max(1, stream.packetTime.frames(atSampleRate: format.sampleRate)),
                    loops: stream.loops)
                readers.append(reader)
                return (input.name, reader, input.slot, input.ssrc, input.host)
            }
        }

        var seen = Set<String>()
        for input in inputs where !seen.insert(input.name).inserted {
            Console.error("audiostreamer: two tracks are named '\(input.name)'; their SDP files would collide\n")
            return ExitCode.usage
        }

        // The clock: what the kernel says of its synchronisation, and what the SDP may claim about it.
        let clockStatus = clockSyncStatus() ?? ClockSyncStatus.current()
        if !clockStatus.isSynchronized && options.requireSync {
            Console.error(
                "audiostreamer: --require-sync: the system clock is not synchronised (adjtimex); start chrony or ptp4l and wait for it to lock\n"
            )
            return ExitCode.unavailable
        }
        Console.error(clockLine(clockStatus) + "\n")
        stream.referenceClock = ReferenceClock.describe(
            synchronized: clockStatus.isSynchronized, server: options.ntpServer ?? configuredNTPServer())

        // One start for every track: --start-at, or the next 10 ms boundary of the wall clock shortly from now.
        let now = ClockPair.now()
        let startWall: Int64
        if let text = startText, let at = StartTime.parse(text, now: now.wall) {
            guard at > now.wall + 50_000_000 else {
                Console.error("audiostreamer: --start-at \(text) is not in the future (allow 50 ms to set up)\n")
                return ExitCode.usage
            }
            startWall = at
        } else {
            startWall = MediaClock.nextBoundary(after: now.wall + 150_000_000, step: 10_000_000)
        }
        let start = ClockPair(monotonic: now.monotonic + (startWall - now.wall), wall: startWall)

        var random = SystemRandomSource()
        let sessionID = UInt64(now.wall / 1_000_000_000) + 2_208_988_800
        var prepared: [PreparedTrack] = []
        for input in inputs {
            var trackOptions = stream
            trackOptions.port += 2 * input.slot
            trackOptions.rtcpPort = stream.rtcpPort.map { $0 + 2 * input.slot }
            trackOptions.sourcePort = stream.sourcePort.map { $0 + 2 * input.slot }
            trackOptions.ssrc = input.ssrc ?? stream.ssrc
            trackOptions.host = input.host ?? stream.host
            guard trackOptions.port <= 65_534 else {
                Console.error("audiostreamer: --port \(stream.port) leaves no room for track \(input.slot + 1)\n")
                return ExitCode.usage
            }
            prepared.append(
                try StreamSetup.prepare(
                    name: input.name, source: input.source, options: trackOptions, sessionID: sessionID,
                    startWallNanoseconds: startWall, random: &random, warn: warn))
        }
        // The session SDP: this process's tracks, and with --session every other node's too, in the file's order.
        var announcements = prepared.map(\.announcement)
        if let session, let path = options.sessionPath, let origin = prepared.first?.announcement.originHost {
            do {
                announcements = try sessionAnnouncements(
                    session, path: path, own: prepared, options: stream, origin: origin, sessionID: sessionID)
            } catch {
                Console.error("audiostreamer: \(error)\n")
                return ExitCode.dataError
            }
        }
        for track in prepared { try track.writeSDP() }
        if announcements.count > 1,
            let description = StreamAnnouncement.sessionDescription(
                for: announcements, name: session?.name ?? "audiostreamer session")
        {
            try StreamSetup.writeSDP(description, to: stream.sdpDirectory + "/session.sdp")
        }
        let readAhead = ReadAheadThread(sources: readers)
        do {
            try readAhead.start()
        } catch {
            Console.error("audiostreamer: \(error)\n")
            return ExitCode.osError
        }
        let status = play(prepared, options: options, start: start, stop: stop, clock: clockStatus)
        readAhead.finish()
        for (reader, track) in zip(readers, prepared) where reader.underruns.load(ordering: .relaxed) > 0 {
            Console.error(
                "warning: \(track.track.name): the disk fell behind \(reader.underruns.load(ordering: .relaxed)) times; packets waited for it\n"
            )
        }
        return status
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

/// Every track of a session in its order: this node's as prepared, the others' from what the file declares.
func sessionAnnouncements(
    _ session: SessionFile, path: String, own: [PreparedTrack], options: StreamOptions, origin: String,
    sessionID: UInt64
) throws -> [StreamAnnouncement] {
    try session.tracks.indices.map { index in
        let name = session.trackName(index)
        if let mine = own.first(where: { $0.announcement.name == name }) { return mine.announcement }
        let track = session.tracks[index]
        guard let encodingName = track.encoding, let encoding = AudioPayloadEncoding(name: encodingName),
            let rate = track.sampleRate, let channels = track.channels, channels > 0, rate > 0
        else {
            throw SessionFileError.invalid(
                path, "track '\(name)' of node '\(track.node)' needs encoding (L16/L24), sample_rate and channels")
        }
        let host = track.destination ?? options.host
        let address = (try? SocketAddress.resolve(host: host, port: options.port))?.host ?? host
        let sizing = try? PacketSizing(
            packetTime: options.packetTime, sampleRate: rate, bytesPerFrame: channels * encoding.bytesPerSample,
            mtu: options.mtu, ipOverhead: address.contains(":") ? PacketSizing.ipv6Overhead : PacketSizing.ipv4Overhead,
            policy: options.fragmentation)
        let port = options.port + 2 * index
        return StreamAnnouncement(
            name: name, destinationHost: address, port: port,
            payloadType: options.payloadType
                ?? RTPPayloadType.staticType(encoding: encoding, sampleRate: rate, channelCount: channels)
                ?? RTPPayloadType.firstDynamic,
            encoding: encoding, sampleRate: rate, channelCount: channels,
            framesPerPacket: sizing?.framesPerPacket ?? options.packetTime.frames(atSampleRate: rate),
            originHost: origin, sessionID: sessionID,
            rtcpPort: options.rtcpMultiplexed ? port : options.rtcpPort.map { $0 + 2 * index } ?? port + 1,
            rtcpMultiplexed: options.rtcpMultiplexed, referenceClock: options.referenceClock, mediaClockOffset: 0)
    }
}

/// What the clock status means for the take, in one line.
func clockLine(_ status: ClockSyncStatus) -> String {
    status.isSynchronized
        ? "clock: synchronised (adjtimex: estimated error \(status.estimatedErrorMicroseconds) us, maximum \(status.maximumErrorMicroseconds) us)"
        : "warning: clock: NOT synchronised (adjtimex); tracks from other PCs will not line up"
}

/// The kernel's clock status. For tests, AUDIOSTREAMER_CLOCK_STATUS=synchronized|unsynchronized replaces it, or
/// names a file holding one of those words, read at every call (nil when it cannot be read: no news).
func clockSyncStatus() -> ClockSyncStatus? {
    var injected = Console.environment("AUDIOSTREAMER_CLOCK_STATUS")
    if let path = injected, path.hasPrefix("/") {
        guard let word = FileSystem.readText(path)?.split(whereSeparator: \.isWhitespace).first else { return nil }
        injected = String(word)
    }
    return switch injected {
    case "synchronized":
        ClockSyncStatus(isSynchronized: true, estimatedErrorMicroseconds: 0, maximumErrorMicroseconds: 0)
    case "unsynchronized":
        ClockSyncStatus(
            isSynchronized: false, estimatedErrorMicroseconds: 16_000_000, maximumErrorMicroseconds: 16_000_000)
    default: ClockSyncStatus.current()
    }
}

/// The NTP server the local daemon is configured with, if any.
func configuredNTPServer() -> String? {
    let configurations = [
        "/etc/chrony/chrony.conf", "/etc/chrony.conf", "/etc/ntpsec/ntp.conf", "/etc/ntp.conf",
        "/etc/systemd/timesyncd.conf",
    ]
    for path in configurations {
        if let text = FileSystem.readText(path), let server = ReferenceClock.configuredServer(in: text) {
            return server
        }
    }
    return nil
}

/// Streams the prepared tracks until they end or `stop`; `clock` is the clock status read at the start, watched
/// from then on: a change is reported when it happens.
func play(_ prepared: [PreparedTrack], options: Options, start: ClockPair, stop: StopSignal, clock: ClockSyncStatus)
    -> Int32
{
    for item in prepared {
        let announcement = item.announcement
        Console.error(
            "\(item.track.name): \(announcement.encoding.name) \(announcement.sampleRate) Hz \(announcement.channelCount) ch, \(announcement.packetTimeText) ms packets, PT \(announcement.payloadType), SSRC 0x\(String(item.track.packetizer.ssrc, radix: 16)), first RTP timestamp \(item.track.packetizer.initialTimestamp) -> \(item.destination); SDP \(item.sdpPath)\n"
        )
    }
    let bandwidth =
        prepared.map { item in
            RTCPInterval.sessionBandwidth(
                sampleRate: item.announcement.sampleRate, channelCount: item.announcement.channelCount,
                bytesPerSample: item.announcement.encoding.bytesPerSample,
                framesPerPacket: item.announcement.framesPerPacket)
        }.min() ?? 1
    let minimum =
        options.rtcpReducedMinimum
        ? RTCPInterval.reducedMinimum(sessionBandwidth: bandwidth)
        : options.rtcpMinimumSeconds.map { Double($0.scaled(by: 1_000_000)) / 1e6 }
            ?? RTCPInterval.defaultMinimumSeconds
    let sessions = prepared.map(\.rtcp)
    let reporter = RTCPReporter(
        sessions: sessions, interval: RTCPInterval(sessionBandwidth: bandwidth, minimumSeconds: minimum),
        random: SystemRandomSource())
    let tracks = prepared.map(\.track)
    let runner = StreamRunner(tracks: tracks, settings: options.pacing, stop: stop, reporter: reporter)
    var nextStats = 0.0
    var clockSynchronized = clock.isSynchronized
    let live = Console.errorIsTerminal && tracks.count == 1
    do {
        try runner.run(startAt: start, warn: { Console.error($0 + "\n") }) { elapsed, final in
            if !final, let now = clockSyncStatus(), now.isSynchronized != clockSynchronized {
                clockSynchronized = now.isSynchronized
                let line =
                    now.isSynchronized
                    ? "clock: synchronised \(format(elapsed)) s into the stream (adjtimex: estimated error \(now.estimatedErrorMicroseconds) us, maximum \(now.maximumErrorMicroseconds) us); a slewed correction reaches these tracks, a stepped one only after a restart"
                    : "warning: clock: synchronisation lost \(format(elapsed)) s into the stream (adjtimex); the clock runs free, and tracks from other PCs may drift from these"
                Console.error((live ? "\r\u{1B}[K" : "") + line + "\n")
            }
            if let path = options.statsPath, final || elapsed >= nextStats {
                writeStatistics(sessions, start: runner.start, to: path)
                nextStats = elapsed + 2
            }
            guard options.verbose || final else { return }
            let lines = prepared.map(statusLine)
            if live && !final {
                Console.error("\r\u{1B}[K" + lines.joined())
                return
            }
            Console.error((live ? "\r\u{1B}[K" : "") + lines.map { $0 + "\n" }.joined())
            if final || options.verbose {
                for item in prepared {
                    for receiver in item.rtcp.receiverStatistics {
                        Console.error("\(item.track.name): \(receiver.summary)\n")
                    }
                }
            }
        }
    } catch {
        Console.error("audiostreamer: \(error)\n")
        return ExitCode.osError
    }
    var status = ExitCode.ok
    for item in prepared {
        let track = item.track
        let counts = track.counters.snapshot
        if counts.clippedSamples > 0 {
            Console.error(
                "warning: \(track.name): \(counts.clippedSamples) samples clipped to the \(item.announcement.encoding.name) range\n"
            )
        }
        if counts.failedSends > 0 {
            Console.error(
                "warning: \(track.name): \(counts.failedSends) datagrams not sent (last error: \(errorText(counts.lastSendError)))\n"
            )
        }
        if let failure = track.failure {
            Console.error("audiostreamer: \(track.name): read failed: \(failure)\n")
            status = ExitCode.ioError
        }
    }
    return status
}

/// One track's status: media sent of the total, packets, late packets and the worst lateness, send failures.
func statusLine(_ item: PreparedTrack) -> String {
    let track = item.track
    let rate = Double(item.announcement.sampleRate)
    let counts = track.counters.snapshot
    let total = track.plannedFrames.map { format(Double($0) / rate) } ?? "-"
    return
        "\(track.name): \(format(Double(counts.frames) / rate))/\(total) s, \(counts.packets) packets, \(counts.latePackets) late (worst \(format(Double(counts.worstLatenessNanoseconds) / 1e6)) ms), \(counts.refusedSends) refused, \(counts.failedSends) failed"
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
