import Application
import Interfaces
import Platform
import RTP
import Sender

/// N tracks of 48 kHz stereo 24-bit, 1 ms packets unless told (`framesPerPacket`), from one process and one pacing
/// thread. The first and the last
/// track of every burst are received with kernel timestamps (the last one waits for all the others), so the
/// figures are the lateness of the whole burst; the rest go to a socket nobody reads.
/// Returns the last track's p99 send-time error in microseconds (the whole burst's), the pacing thread's CPU in % of
/// one core, and the packets sent late (a packet time or more) and not at all, of every track.
func measureTracks(_ count: Int, framesPerPacket: Int = 48, options: BenchOptions) throws -> (
    lastP99: Double, cpu: Double, late: Int, failed: Int
) {
    let (path, format, frames) = try silentWAV(seconds: options.seconds, label: "tracks")
    defer { FileSystem.remove(path) }
    let baseline = ResourceUsage.current().peakResidentBytes
    // Where the tracks nobody watches go: bound, so no ICMP comes back, and never read.
    let sink = try UDPSocket(family: .ipv4)
    try sink.bind(to: .loopback(.ipv4, port: options.port + 2))
    defer { withExtendedLifetime(sink) {} }
    let watched = count > 1 ? [0, count - 1] : [0]
    let receivers = try watched.indices.map { index in
        try timestampedReceiver(port: options.port + 4 + 2 * index, timeoutMilliseconds: 500)
    }
    var tracks: [Track] = []
    var readers: [ReadAheadSource] = []
    for index in 0..<count {
        let socket = try UDPSocket(family: .ipv4)
        let port = watched.firstIndex(of: index).map { options.port + 4 + 2 * $0 } ?? options.port + 2
        try socket.connect(to: .loopback(.ipv4, port: port))
        let packetizer = Packetizer(
            source: format.encoding, encoding: .l24, channelCount: 2, framesPerPacket: framesPerPacket, payloadType: 96,
            ssrc: UInt32(index), initialSequenceNumber: 0, initialTimestamp: 0)
        // Read ahead off the pacing thread, as the command line does.
        let source = ReadAheadSource(
            try Inputs.openWAV(path: path, note: { _ in }), capacity: format.sampleRate * format.bytesPerFrame,
            maximumFrames: framesPerPacket, loops: false, clock: MonotonicClock())
        readers.append(source)
        tracks.append(Track(name: "t\(index)", source: source, packetizer: packetizer, sink: socket))
    }
    let collectors = watched.map { _ in TimestampCollector(capacity: frames / framesPerPacket + 1) }
    let threads = try zip(collectors, receivers).map { collector, socket in
        try OSThread { collector.run(socket: socket, firstSequence: 0) }
    }
    let readAhead = ReadAheadLoop(sources: readers)
    readAhead.prime()
    let stopReading = StopSignal()
    let reading = try OSThread { readAhead.run(clock: MonotonicClock(), stop: stopReading) }
    defer {
        stopReading.stop()
        reading.join()
    }
    let runner = StreamRunner(tracks: tracks, settings: options.pacing, clocks: SystemClocks())
    let before = MonotonicClock().now()
    try runner.run(note: { _ in }) { _, _ in }
    let wallSeconds = Double(MonotonicClock().now() - before) / 1e9
    threads.forEach { $0.join() }
    // The first track of a burst shows how late the wake-up was; the last adds the time to send the whole burst.
    let errors = collectors.map { collector in
        (0..<collector.arrivals.count).filter { collector.arrivals[$0] != 0 }.map { index in
            let ideal =
                runner.start.wall + MediaTime.nanoseconds(frames: index * framesPerPacket, sampleRate: 48_000)
            return Double(collector.arrivals[index] - ideal) / 1000
        }
    }
    let first = errors[0].sorted()
    let last = errors[errors.count - 1]
    let sorted = last.sorted()
    let firstTenth = Array(last.prefix(last.count / 20)).sorted()
    let lastTenth = Array(last.suffix(last.count / 20)).sorted()
    let cpu = Double(runner.pacingCPUNanoseconds) / 1e9 / wallSeconds * 100
    let rss = Double(ResourceUsage.current().peakResidentBytes - baseline) / Double(count) / 1024
    // The spread of one media time: from the first track's packet to the last track's, both received.
    let spreads = zip(collectors[0].arrivals, collectors[collectors.count - 1].arrivals).compactMap { first, last in
        first != 0 && last != 0 ? Double(last - first) / 1000 : nil
    }.sorted()
    // One track has no spread, and nothing to compare it with.
    var spreadLines = ""
    if count > 1 {
        let floor = try measureCPUFloor(microseconds: percentile(spreads, 0.5), seconds: options.seconds)
        spreadLines =
            "  spread of one media time (last track - first track) \(percentiles(spreads))\n"
            + "  the machine alone: \(floor)\n"
    }
    let late = tracks.map { $0.counters.snapshot.latePackets }.reduce(0, +)
    let failed = tracks.map { $0.counters.snapshot.failedSends }.reduce(0, +)
    let underruns = readers.map { $0.underruns.load(ordering: .relaxed) }.reduce(0, +)
    Console.output(
        """
        \(count) tracks at \(MediaTime.millisecondsText(frames: framesPerPacket, sampleRate: 48_000)) ms (48 kHz stereo 24-bit), \(options.seconds) s, send-time error (us):
          first track of each burst \(percentiles(first))
          last track of each burst \(percentiles(sorted)), drift \(fixed(percentile(lastTenth, 0.5) - percentile(firstTenth, 0.5))) us; \(late) packets a packet time late, \(failed) sends failed, \(underruns) read-ahead underruns
        \(spreadLines)  pacing thread \(fixed(cpu))% of one core, \(fixed(cpu / Double(count), 2))% per track; RSS \(fixed(rss)) KiB per track

        """)
    return (percentile(sorted, 0.99), cpu, late, failed)
}

/// The shortest packet time, of those AES67 and the README list, at which `count` tracks keep time here: the last
/// track of every burst within one packet time of its deadline at p99, no more packets a packet time late than the
/// machine's own bare timer wakes that late at the same period (plus 0.1 % of packets), none failed. Each packet time
/// is shown next to that floor, measured just before it.
func measureShortestPacketTime(_ count: Int, options: BenchOptions) throws {
    for frames in [6, 12, 16, 48, 96, 192] {
        let period = MediaTime.nanoseconds(frames: frames, sampleRate: 48_000)
        let floor = try timerLateness(seconds: options.seconds, periodNanoseconds: period).sorted()
        let floorLate = Double(floor.filter { $0 >= Double(period) / 1000 }.count) / Double(max(1, floor.count)) * 100
        let result = try measureTracks(count, framesPerPacket: frames, options: options)
        let packetMilliseconds = Double(frames) / 48
        let sent = count * (options.seconds * 48_000 / frames)
        let lateShare = Double(result.late) / Double(max(1, sent)) * 100
        let kept = result.lastP99 <= packetMilliseconds * 1000 && lateShare <= floorLate + 0.1 && result.failed == 0
        let time = MediaTime.millisecondsText(frames: frames, sampleRate: 48_000)
        Console.output(
            "  -> \(count) tracks at \(time) ms: p99 \(fixed(result.lastP99)) us (packet time \(fixed(packetMilliseconds * 1000)) us), \(fixed(lateShare, 3))% a packet time late; the machine alone at that period: wake-up p99 \(fixed(percentile(floor, 0.99))) us, \(fixed(floorLate, 3))% a period late: \(kept ? "kept" : "not kept")\n\n"
        )
        if kept {
            Console.output("shortest packet time kept with \(count) tracks: \(time) ms\n\n")
            return
        }
    }
    Console.output("shortest packet time kept with \(count) tracks: none up to 4 ms\n\n")
}

/// The benchmark's answer to "how many tracks per core": the most tracks, of the counts tried, whose every packet
/// (the last of each burst included) left within 100 us of its deadline at p99.
func tracksPerCore(_ results: [(count: Int, lastP99: Double, cpu: Double)]) -> String {
    let passing = results.filter { $0.lastP99 <= 100 }
    guard let best = passing.max(by: { $0.count < $1.count }) else {
        let fewest = results.min { $0.count < $1.count }
        return
            "tracks per core (p99 send-time error <= 100 us for every track): none of the counts tried; with \(fewest?.count ?? 0) the p99 was \(fixed(fewest?.lastP99 ?? 0)) us\n"
    }
    return
        "tracks per core (p99 send-time error <= 100 us for every track): \(best.count) of the counts tried (p99 \(fixed(best.lastP99)) us, \(fixed(best.cpu))% of one core)\n"
}
