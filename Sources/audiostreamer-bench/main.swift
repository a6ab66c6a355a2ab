import PCM
import Platform
import Streaming
import WAV

/// audiostreamer-bench: how well audiostreamer keeps time, measured from the receiving side.
///
/// It streams a WAV (48 kHz stereo 24-bit, L24) to a receiver on 127.0.0.1 that takes kernel receive
/// timestamps (SO_TIMESTAMPNS), and prints per packet time the send-time error against the ideal schedule
/// (p50/p99/p99.9/max), next to the machine's own timer floor, the drift of that error over the run, late packets, CPU of the pacing thread in % of
/// one core, and peak RSS. Then it reads a large sparse WAV through the same frame reader to show that
/// memory does not grow with the file.
struct BenchOptions {
    var seconds = 10
    var packetTimes = ["1", "0.125"]
    var spinMicroseconds = 0
    var realtime = false
    var bigWAVGigabytes = 2
    var port = 47_000
    /// Track counts for the tracks-per-core run (empty: skip it).
    var trackCounts: [Int] = []
    /// Also run this many `ffmpeg -re` processes for comparison in the tracks run (0: none).
    var ffmpegProcesses = 0
    /// Datagrams per round for the send-cost comparison (0: skip it).
    var sendCostDatagrams = 0
    /// Receive only, from another sender (GStreamer, ffmpeg) on `port`, for comparison under the same conditions.
    var listenLabel: String?

    init(arguments: [String]) {
        var index = 0
        func next() -> String {
            index += 1
            return index < arguments.count ? arguments[index] : ""
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--seconds": seconds = Int(next()) ?? seconds
            case "--ptimes": packetTimes = next().split(separator: ",").map(String.init)
            case "--spin-us": spinMicroseconds = Int(next()) ?? 0
            case "--realtime": realtime = true
            case "--big-wav-gb": bigWAVGigabytes = Int(next()) ?? bigWAVGigabytes
            case "--port": port = Int(next()) ?? port
            case "--listen": listenLabel = next()
            case "--tracks": trackCounts = next().split(separator: ",").compactMap { Int($0) }
            case "--ffmpeg": ffmpegProcesses = Int(next()) ?? 0
            case "--send-cost": sendCostDatagrams = Int(next()) ?? 0
            default:
                Console.error(
                    "usage: audiostreamer-bench [--seconds N] [--ptimes 1,0.125] [--spin-us N] [--realtime] [--big-wav-gb N] [--port P] [--listen LABEL] [--tracks 16,64,128] [--ffmpeg N] [--send-cost N]\n"
                )
                Console.exit(64)
            }
            index += 1
        }
    }
}

/// Kernel receive times of the packets, indexed by sequence number offset from the first.
final class TimestampCollector: @unchecked Sendable {
    // @unchecked: written by the receiver thread only, read after it is joined.
    var arrivals: [Int64]
    var received = 0

    init(capacity: Int) {
        arrivals = [Int64](repeating: 0, count: capacity)
    }

    func run(socket: UDPSocket, firstSequence: UInt16) {
        var buffer = [UInt8](repeating: 0, count: 2048)
        var lastSequence = firstSequence
        var index = 0
        while true {
            let got = try? buffer.withUnsafeMutableBytes { try socket.receive(into: $0) }
            guard let (count, stamp) = got ?? nil else { return }
            guard count >= 12 else { continue }
            let sequence = UInt16(buffer[2]) << 8 | UInt16(buffer[3])
            // Extend the 16-bit sequence number across wraps: step from the last one by the signed difference.
            index += Int(Int16(bitPattern: sequence &- lastSequence))
            lastSequence = sequence
            if index >= 0 && index < arrivals.count && arrivals[index] == 0 {
                arrivals[index] = stamp
                received += 1
            }
        }
    }
}

/// A WAV of `seconds` of 48 kHz stereo 24-bit silence as a sparse file in /tmp: read like any WAV, costing no
/// disk space. The caller removes it.
func silentWAV(seconds: Int, label: String) throws -> (path: String, format: PCMFormat, frames: Int) {
    let format = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)
    let frames = format.sampleRate * seconds
    let path = "/tmp/audiostreamer-bench-\(Console.processID)-\(label).wav"
    let header = WAVHeader.bytes(format: format, dataByteCount: frames * format.bytesPerFrame)
    try FileSystem.createSparseFile(path: path, header: header, size: header.count + frames * format.bytesPerFrame)
    return (path, format, frames)
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let position = Int((fraction * Double(sorted.count - 1)).rounded())
    return sorted[position]
}

func fixed(_ value: Double, _ digits: Int = 1) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((abs(value) * scale).rounded())
    var fraction = String(scaled % Int(scale))
    while fraction.count < digits { fraction = "0" + fraction }
    return (value < 0 ? "-" : "") + "\(scaled / Int(scale))" + (digits > 0 ? ".\(fraction)" : "")
}

func measure(packetTime text: String, options: BenchOptions) throws {
    guard let packetTime = PacketTime(milliseconds: text) else {
        Console.error("audiostreamer-bench: bad packet time \(text)\n")
        Console.exit(64)
    }
    // Silence is enough: pacing does not depend on the samples. A file on disk, read as any WAV is, so peak
    // RSS is the streamer's own.
    let (path, format, frames) = try silentWAV(seconds: options.seconds, label: "stream")
    defer { FileSystem.remove(path) }
    let source = try StreamSetup.openWAV(path: path, warn: { Console.error($0 + "\n") })
    let framesPerPacket = packetTime.frames(atSampleRate: format.sampleRate)
    let packets = (frames + framesPerPacket - 1) / framesPerPacket

    let receiver = try UDPSocket(family: .ipv4)
    try receiver.bind(to: SocketAddress.loopback(.ipv4, port: options.port))
    try receiver.enableReceiveTimestamps()
    receiver.setBufferSize(receive: 8 << 20)
    receiver.setReceiveTimeout(milliseconds: 500)
    let sender = try UDPSocket(family: .ipv4)
    try sender.connect(to: SocketAddress.loopback(.ipv4, port: options.port))
    let firstSequence: UInt16 = 1000
    let packetizer = Packetizer(
        source: format.encoding, encoding: .l24, channelCount: 2, framesPerPacket: framesPerPacket, payloadType: 96,
        ssrc: 0xBE0C_BE0C, initialSequenceNumber: firstSequence, initialTimestamp: 0)
    let track = Track(name: "bench", source: source, packetizer: packetizer, sink: sender)
    let collector = TimestampCollector(capacity: packets)
    let receiving = try PacingThread { collector.run(socket: receiver, firstSequence: firstSequence) }

    var settings = PacingSettings()
    settings.spinNanoseconds = Int64(options.spinMicroseconds) * 1000
    settings.realtime = options.realtime
    let runner = StreamRunner(tracks: [track], settings: settings)
    let before = MonotonicClock().now()
    try runner.run(warn: { Console.error($0 + "\n") }) { _, _ in }
    let wallSeconds = Double(MonotonicClock().now() - before) / 1e9
    receiving.join()

    // Error of packet n: kernel receive time minus start + n x packet duration, both on CLOCK_REALTIME.
    var errors: [Double] = []
    errors.reserveCapacity(packets)
    var firstTenth: [Double] = []
    var lastTenth: [Double] = []
    for index in 0..<packets where collector.arrivals[index] != 0 {
        let ideal =
            runner.start.wall + MediaTime.nanoseconds(frames: index * framesPerPacket, sampleRate: format.sampleRate)
        let error = Double(collector.arrivals[index] - ideal) / 1000
        errors.append(error)
        if index < packets / 10 { firstTenth.append(error) }
        if index >= packets - packets / 10 { lastTenth.append(error) }
    }
    let sorted = errors.sorted()
    let drift = percentile(lastTenth.sorted(), 0.5) - percentile(firstTenth.sorted(), 0.5)
    let received = (0..<packets).filter { collector.arrivals[$0] != 0 }.map { index in
        (timestamp: UInt32(truncatingIfNeeded: index * framesPerPacket), arrival: collector.arrivals[index])
    }
    let counts = track.counters.snapshot
    let cpu = Double(runner.pacingCPUNanoseconds) / 1e9 / wallSeconds * 100
    Console.output(
        """
        ptime \(text) ms: \(collector.received)/\(packets) packets received over \(options.seconds) s
          send-time error (us): p50 \(fixed(percentile(sorted, 0.5))) p99 \(fixed(percentile(sorted, 0.99))) p99.9 \(fixed(percentile(sorted, 0.999))) max \(fixed(sorted.last ?? 0))
          drift (median error, last tenth - first tenth): \(fixed(drift)) us
          late packets (>= one packet time): \(counts.latePackets), worst lateness \(fixed(Double(counts.worstLatenessNanoseconds) / 1000)) us
          pacing thread CPU: \(fixed(cpu))% of one core; peak RSS \(fixed(Double(ResourceUsage.current().peakResidentBytes) / 1_048_576)) MB

        """)
    report(
        label: "  audiostreamer, same measure as --listen",
        errors: errorsAgainstBestStart(arrivals: received, sampleRate: 48_000),
        packets: received.count, seconds: wallSeconds)
}

/// Reads a sparse WAV of `gigabytes` through the frame reader, packet by packet, as fast as it goes.
func measureLargeFile(gigabytes: Int) throws {
    guard gigabytes > 0 else { return }
    let path = "/tmp/audiostreamer-bench-\(Console.processID).wav"
    let format = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)
    let dataBytes = gigabytes << 30 - (gigabytes << 30) % format.bytesPerFrame
    let header = WAVHeader.bytes(format: format, dataByteCount: dataBytes)
    try FileSystem.createSparseFile(path: path, header: header, size: header.count + dataBytes)
    defer { FileSystem.remove(path) }
    let before = ResourceUsage.current().peakResidentBytes
    // Through the same read-ahead ring and reader thread the command line uses.
    let file = try StreamSetup.openWAV(path: path, warn: { _ in })
    let reader = ReadAheadSource(
        file, capacity: format.sampleRate * format.bytesPerFrame, maximumFrames: 48, loops: false)
    let readAhead = ReadAheadThread(sources: [reader])
    try readAhead.start()
    defer { readAhead.finish() }
    let packetizer = Packetizer(
        source: format.encoding, encoding: .l24, channelCount: 2, framesPerPacket: 48, payloadType: 96, ssrc: 1,
        initialSequenceNumber: 0, initialTimestamp: 0)
    var frames = 0
    let clock = MonotonicClock()
    let start = clock.now()
    while true {
        let chunk = try reader.nextFrames(48)
        if chunk.isEmpty { break }
        _ = packetizer.packet(from: chunk)
        frames += chunk.count / format.bytesPerFrame
    }
    let seconds = Double(clock.now() - start) / 1e9
    let peak = ResourceUsage.current().peakResidentBytes
    Console.output(
        """
        large file: \(gigabytes) GB WAV (\(fixed(Double(frames) / 48_000 / 3600, 2)) h of 48 kHz stereo 24-bit) read and packetized in \(fixed(seconds)) s
          peak RSS \(fixed(Double(peak) / 1_048_576)) MB (before opening it: \(fixed(Double(before) / 1_048_576)) MB)

        """)
}

/// Send-time error of any RTP sender, from the receiving side alone: packet i's media time is its RTP timestamp
/// relative to the first; the ideal schedule is the best-fitting start (the one that makes the earliest packet
/// exactly on time), so a sender is judged by its jitter and drift, not by when it began.
func errorsAgainstBestStart(arrivals: [(timestamp: UInt32, arrival: Int64)], sampleRate: Int) -> [Double] {
    guard let first = arrivals.first else { return [] }
    let media = arrivals.map { entry -> (Int64, Int64) in
        let frames = Int(entry.timestamp &- first.timestamp)
        return (MediaTime.nanoseconds(frames: frames, sampleRate: sampleRate), entry.arrival)
    }
    let start = media.map { $0.1 - $0.0 }.min() ?? 0
    return media.map { Double($0.1 - $0.0 - start) / 1000 }
}

func report(label: String, errors: [Double], packets: Int, seconds: Double) {
    let sorted = errors.sorted()
    let tenth = max(1, errors.count / 10)
    let drift =
        percentile(Array(errors.suffix(tenth)).sorted(), 0.5) - percentile(Array(errors.prefix(tenth)).sorted(), 0.5)
    Console.output(
        """
        \(label): \(packets) packets over \(fixed(seconds)) s, error against the best-fitting start (us): p50 \(fixed(percentile(sorted, 0.5))) p99 \(fixed(percentile(sorted, 0.99))) p99.9 \(fixed(percentile(sorted, 0.999))) max \(fixed(sorted.last ?? 0)); drift \(fixed(drift)) us

        """)
}

/// Receives another sender's RTP on `port` until it has been quiet for a second, then reports its timing.
func listen(label: String, options: BenchOptions) throws {
    let socket = try UDPSocket(family: .ipv4)
    try socket.bind(to: SocketAddress.loopback(.ipv4, port: options.port))
    try socket.enableReceiveTimestamps()
    socket.setBufferSize(receive: 8 << 20)
    socket.setReceiveTimeout(milliseconds: 1000)
    var arrivals: [(timestamp: UInt32, arrival: Int64)] = []
    arrivals.reserveCapacity(options.seconds * 8000)
    var buffer = [UInt8](repeating: 0, count: 65_536)
    var waited = 0
    while true {
        let got = try buffer.withUnsafeMutableBytes { try socket.receive(into: $0) }
        guard let (count, stamp) = got else {
            waited += 1
            if arrivals.isEmpty && waited < 30 { continue }
            break
        }
        guard count >= 12, buffer[1] & 0x7F < 72 || buffer[1] & 0x7F > 76 else { continue }  // skip stray RTCP
        let timestamp = UInt32(buffer[4]) << 24 | UInt32(buffer[5]) << 16 | UInt32(buffer[6]) << 8 | UInt32(buffer[7])
        arrivals.append((timestamp, stamp))
    }
    let seconds = Double((arrivals.last?.arrival ?? 0) - (arrivals.first?.arrival ?? 0)) / 1e9
    report(
        label: label, errors: errorsAgainstBestStart(arrivals: arrivals, sampleRate: 48_000), packets: arrivals.count,
        seconds: seconds)
}

/// N tracks of 48 kHz stereo 24-bit at 1 ms from one process and one pacing thread. The first and the last
/// track of every burst are received with kernel timestamps (the last one waits for all the others), so the
/// figures are the lateness of the whole burst; the rest go to a socket nobody reads.
/// Returns the last track's p99 send-time error in microseconds (the whole burst's) and the pacing thread's CPU
/// in % of one core.
func measureTracks(_ count: Int, options: BenchOptions) throws -> (lastP99: Double, cpu: Double) {
    let (path, format, frames) = try silentWAV(seconds: options.seconds, label: "tracks")
    defer { FileSystem.remove(path) }
    let baseline = ResourceUsage.current().peakResidentBytes
    // Where the tracks nobody watches go: bound, so no ICMP comes back, and never read.
    let sink = try UDPSocket(family: .ipv4)
    try sink.bind(to: SocketAddress.loopback(.ipv4, port: options.port + 2))
    defer { withExtendedLifetime(sink) {} }
    let watched = count > 1 ? [0, count - 1] : [0]
    let receivers = try watched.indices.map { index in
        let socket = try UDPSocket(family: .ipv4)
        try socket.bind(to: SocketAddress.loopback(.ipv4, port: options.port + 4 + 2 * index))
        try socket.enableReceiveTimestamps()
        socket.setBufferSize(receive: 8 << 20)
        socket.setReceiveTimeout(milliseconds: 500)
        return socket
    }
    var tracks: [Track] = []
    var readers: [ReadAheadSource] = []
    for index in 0..<count {
        let socket = try UDPSocket(family: .ipv4)
        let port = watched.firstIndex(of: index).map { options.port + 4 + 2 * $0 } ?? options.port + 2
        try socket.connect(to: SocketAddress.loopback(.ipv4, port: port))
        let packetizer = Packetizer(
            source: format.encoding, encoding: .l24, channelCount: 2, framesPerPacket: 48, payloadType: 96,
            ssrc: UInt32(index), initialSequenceNumber: 0, initialTimestamp: 0)
        // Read ahead off the pacing thread, as the command line does.
        let source = ReadAheadSource(
            try StreamSetup.openWAV(path: path, warn: { _ in }),
            capacity: format.sampleRate * format.bytesPerFrame, maximumFrames: 48, loops: false)
        readers.append(source)
        tracks.append(Track(name: "t\(index)", source: source, packetizer: packetizer, sink: socket))
    }
    let collectors = watched.map { _ in TimestampCollector(capacity: frames / 48) }
    let threads = try zip(collectors, receivers).map { collector, socket in
        try PacingThread { collector.run(socket: socket, firstSequence: 0) }
    }
    let readAhead = ReadAheadThread(sources: readers)
    try readAhead.start()
    defer { readAhead.finish() }
    var settings = PacingSettings()
    settings.spinNanoseconds = Int64(options.spinMicroseconds) * 1000
    settings.realtime = options.realtime
    let runner = StreamRunner(tracks: tracks, settings: settings)
    let before = MonotonicClock().now()
    try runner.run(warn: { Console.error($0 + "\n") }) { _, _ in }
    let wallSeconds = Double(MonotonicClock().now() - before) / 1e9
    threads.forEach { $0.join() }
    // The first track of a burst shows how late the wake-up was; the last adds the time to send the whole burst.
    let errors = collectors.map { collector in
        (0..<collector.arrivals.count).filter { collector.arrivals[$0] != 0 }.map { index in
            let ideal = runner.start.wall + MediaTime.nanoseconds(frames: index * 48, sampleRate: 48_000)
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
            "  spread of one media time (last track - first track) p50 \(fixed(percentile(spreads, 0.5))) p99 \(fixed(percentile(spreads, 0.99))) p99.9 \(fixed(percentile(spreads, 0.999)))\n"
            + "  the machine alone: \(floor)\n"
    }
    let late = tracks.map { $0.counters.snapshot.latePackets }.reduce(0, +)
    let failed = tracks.map { $0.counters.snapshot.failedSends }.reduce(0, +)
    let underruns = readers.map { $0.underruns.load(ordering: .relaxed) }.reduce(0, +)
    Console.output(
        """
        \(count) tracks at 1 ms (48 kHz stereo 24-bit), \(options.seconds) s, send-time error (us):
          first track of each burst p50 \(fixed(percentile(first, 0.5))) p99 \(fixed(percentile(first, 0.99))) p99.9 \(fixed(percentile(first, 0.999)))
          last track of each burst p50 \(fixed(percentile(sorted, 0.5))) p99 \(fixed(percentile(sorted, 0.99))) p99.9 \(fixed(percentile(sorted, 0.999))), drift \(fixed(percentile(lastTenth, 0.5) - percentile(firstTenth, 0.5))) us; \(late) packets a packet time late, \(failed) sends failed, \(underruns) read-ahead underruns
        \(spreadLines)  pacing thread \(fixed(cpu))% of one core, \(fixed(cpu / Double(count), 2))% per track; RSS \(fixed(rss)) KiB per track

        """)
    return (percentile(sorted, 0.99), cpu)
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

/// What some processes sending `tracks` tracks in all cost in CPU and memory.
struct ProcessCost {
    var tracks: Int
    var usage: ChildProcesses.Usage

    /// Percent of one core, all threads of all the processes.
    var cpuPercent: Double { Double(usage.cpuNanoseconds) / 1e9 / usage.wallSeconds * 100 }
    var cpuPerTrack: Double { cpuPercent / Double(tracks) }
    /// The memory they held together (PSS: a shared library page counts once in all), per track.
    var memoryPerTrack: Double { Double(usage.peakProportionalBytes) / Double(tracks) }

    var summary: String {
        "\(fixed(cpuPercent))% of one core in all, \(fixed(cpuPerTrack, 2))% per track; peak RSS of one process \(fixed(Double(usage.peakResidentBytes) / 1024)) KiB, all together (PSS) \(fixed(Double(usage.peakProportionalBytes) / 1024)) KiB, \(fixed(memoryPerTrack / 1024)) KiB per track"
    }
}

/// The audiostreamer command itself (built next to this benchmark) streaming `count` tracks in one process, every
/// thread counted (pacing, read-ahead, RTCP, status), to loopback sockets nobody reads.
func measureCommandLine(_ count: Int, options: BenchOptions) throws -> ProcessCost {
    let files = try (0..<count).map { try silentWAV(seconds: options.seconds, label: "cli\($0)").path }
    defer { files.forEach(FileSystem.remove) }
    let base = options.port + 300
    let sinks = try (0..<count).map { index in
        let socket = try UDPSocket(family: .ipv4)
        try socket.bind(to: SocketAddress.loopback(.ipv4, port: base + 2 * index))
        return socket
    }
    let folder = "/tmp/audiostreamer-bench-\(Console.processID)-sdp"
    defer {
        for name in (try? FileSystem.contents(ofDirectory: folder)) ?? [] { FileSystem.remove(folder + "/" + name) }
        FileSystem.remove(folder)
    }
    let executable =
        (CommandLine.arguments[0].split(separator: "/", omittingEmptySubsequences: false).dropLast()
        + ["audiostreamer"]).joined(separator: "/")
    let result = try withExtendedLifetime(sinks) {
        try ChildProcesses.run(
            count: 1,
            arguments: [
                executable, "--ip", "127.0.0.1", "--port", String(base), "--ptime", "1", "--format", "L24",
                "--sdp-dir", folder,
            ] + files, quiet: true)
    }
    let cost = ProcessCost(tracks: count, usage: result)
    Console.output("audiostreamer, one process with \(count) tracks, \(options.seconds) s: \(cost.summary)\n\n")
    return cost
}

/// `count` ffmpeg -re processes, each streaming the same kind of file as RTP: their CPU and RSS per track, and
/// how that compares with one audiostreamer process sending as many tracks.
func measureFFmpeg(_ count: Int, options: BenchOptions) throws {
    guard count > 0 else { return }
    let ours = try measureCommandLine(count, options: options)
    let (path, _, _) = try silentWAV(seconds: options.seconds, label: "ffmpeg")
    defer { FileSystem.remove(path) }
    let sink = try UDPSocket(family: .ipv4)
    try sink.bind(to: SocketAddress.loopback(.ipv4, port: options.port + 2))
    let result = try withExtendedLifetime(sink) {
        try ChildProcesses.run(
            count: count,
            arguments: [
                "ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-i", path, "-c:a", "pcm_s24be", "-f", "rtp",
                "rtp://127.0.0.1:\(options.port + 2)",
            ])
    }
    let theirs = ProcessCost(tracks: count, usage: result)
    Console.output(
        """
        \(count) ffmpeg -re processes, \(options.seconds) s: \(theirs.summary)
          ffmpeg / audiostreamer per track: CPU \(fixed(theirs.cpuPerTrack / ours.cpuPerTrack)) times, memory \(fixed(theirs.memoryPerTrack / ours.memoryPerTrack)) times

        """)
}

/// What one packet costs to send on loopback, three ways: `count` connected sockets with send(2) each (what
/// audiostreamer does), one unconnected socket with sendto(2) per destination, and one sendmmsg(2) call for all.
/// Each round sends one 300-byte datagram to each of `count` receivers, which are emptied before every round.
func measureSendCost(_ count: Int, options: BenchOptions) throws {
    guard count > 0 else { return }
    let destinations = (0..<count).map { SocketAddress.loopback(.ipv4, port: options.port + 200 + 2 * $0) }
    let receivers = try destinations.map { address in
        let socket = try UDPSocket(family: .ipv4)
        try socket.bind(to: address)
        socket.setBufferSize(receive: 1 << 20)
        return socket
    }
    let connected = try destinations.map { address in
        let socket = try UDPSocket(family: .ipv4)
        try socket.connect(to: address)
        return socket
    }
    let unconnected = try UDPSocket(family: .ipv4)
    let batch = DatagramBatch(destinations: destinations, datagramSize: 300)
    let datagram = UnsafeRawBufferPointer(rebasing: batch.bytes[0..<300])
    var scratch = [UInt8](repeating: 0, count: 2048)
    let clock = MonotonicClock()
    let methods: [(name: String, round: () -> Int)] = [
        (
            "send(2) on a connected socket per track",
            { connected.reduce(0) { $0 + ($1.send(datagram) == .sent ? 1 : 0) } }
        ),
        (
            "sendto(2) on one socket",
            { destinations.reduce(0) { $0 + (unconnected.send(datagram, to: $1) == .sent ? 1 : 0) } }
        ),
        ("one sendmmsg(2) for all", { batch.send(on: unconnected) }),
    ]
    // The methods take turns round by round, so a slow spell of the machine falls on all of them alike.
    var perPacket = methods.map { _ in [Double]() }
    for _ in 0..<1_000 {
        for (index, method) in methods.enumerated() {
            for receiver in receivers {
                while scratch.withUnsafeMutableBytes({ receiver.receiveNow(into: $0) }) != nil {}
            }
            let before = clock.now()
            let sent = method.round()
            let elapsed = clock.now() - before
            guard sent == count else {
                Console.error("audiostreamer-bench: \(method.name): only \(sent) of \(count) datagrams sent\n")
                Console.exit(74)
            }
            perPacket[index].append(Double(elapsed) / Double(count))
        }
    }
    let lines = zip(methods, perPacket).map { method, values in
        let sorted = values.sorted()
        return
            "  \(method.name): min \(fixed(sorted[0] / 1000, 2)) p50 \(fixed(percentile(sorted, 0.5) / 1000, 2)) us a packet"
    }
    Console.output(
        "send cost, \(count) datagrams of 300 bytes to \(count) loopback receivers, 1000 rounds:\n"
            + lines.joined(separator: "\n") + "\n\n")
}

/// The machine's own steadiness: the same plain arithmetic (no system call, no memory traffic), `microseconds`
/// long when the CPU is all ours, done at every 1 ms deadline. How much longer it sometimes takes is how much
/// the (virtual) CPU slows down under the host's load: no sender can burst faster than that.
func measureCPUFloor(microseconds: Double, seconds: Int) throws -> String {
    let count = seconds * 1000
    let durations = Measurements(count: count)
    let thread = try PacingThread {
        try? ThreadTuning.setTimerSlack(nanoseconds: 1)
        let clock = MonotonicClock()
        // Calibrate as the measure itself runs, one wake-up every 1 ms: the median of 200 runs of 100 000 steps,
        // so the machine's slow spells do not skew it.
        var samples: [Int64] = []
        let calibration = clock.now() + 1_000_000
        for index in 0..<200 {
            clock.sleep(until: calibration + Int64(index) * 1_000_000)
            let before = clock.now()
            blackHole(arithmetic(steps: 100_000, seed: UInt32(truncatingIfNeeded: before)))
            samples.append(clock.now() - before)
        }
        let median = Double(samples.sorted()[samples.count / 2])
        let steps = max(1, Int(microseconds * 1000 / median * 100_000))
        let start = clock.now() + 1_000_000
        for index in 0..<count {
            clock.sleep(until: start + Int64(index) * 1_000_000)
            let before = clock.now()
            blackHole(arithmetic(steps: steps, seed: UInt32(truncatingIfNeeded: index)))
            durations.values[index] = Double(clock.now() - before) / 1000
        }
    }
    thread.join()
    let sorted = durations.values.sorted()
    let median = percentile(sorted, 0.5)
    let slowed = Double(sorted.filter { $0 >= 3 * median }.count) / Double(count) * 100
    return
        "the same CPU time of plain arithmetic every 1 ms takes p50 \(fixed(median)) p99 \(fixed(percentile(sorted, 0.99))) p99.9 \(fixed(percentile(sorted, 0.999))) us; \(fixed(slowed))% of them 3 times as long or more"
}

/// Figures a measuring thread writes and the caller reads once it has joined it.
final class Measurements: @unchecked Sendable {
    // @unchecked: one thread writes, and the reader waits for it to end.
    var values: [Double]

    init(count: Int) {
        values = [Double](repeating: 0, count: count)
    }
}

/// A linear congruential walk: work the optimiser cannot remove or shorten.
@inline(never)
func arithmetic(steps: Int, seed: UInt32) -> UInt32 {
    var value = seed
    for _ in 0..<steps { value = value &* 1_664_525 &+ 1_013_904_223 }
    return value
}

@inline(never)
func blackHole(_ value: UInt32) {
    if value == 0x5EED_F00D { Console.output("") }
}

/// The machine's own floor: how late a bare absolute sleep wakes (timer slack 1 ns), sending nothing.
func measureTimerFloor(seconds: Int) throws {
    let count = seconds * 1000
    let thread = try PacingThread {
        try? ThreadTuning.setTimerSlack(nanoseconds: 1)
        let clock = MonotonicClock()
        var lateness = [Double](repeating: 0, count: count)
        let start = clock.now() + 1_000_000
        for index in 0..<count {
            let deadline = start + Int64(index) * 1_000_000
            clock.sleep(until: deadline)
            lateness[index] = Double(clock.now() - deadline) / 1000
        }
        let sorted = lateness.sorted()
        Console.output(
            "timer floor (bare clock_nanosleep, 1 ms, \(seconds) s): wake-up lateness p50 \(fixed(percentile(sorted, 0.5))) p99 \(fixed(percentile(sorted, 0.99))) p99.9 \(fixed(percentile(sorted, 0.999))) max \(fixed(sorted.last ?? 0)) us\n\n"
        )
    }
    thread.join()
}

let options = BenchOptions(arguments: Array(CommandLine.arguments.dropFirst()))
if let label = options.listenLabel {
    do {
        try listen(label: label, options: options)
    } catch {
        Console.error("audiostreamer-bench: \(error)\n")
        Console.exit(74)
    }
    Console.exit(0)
}
do {
    if options.sendCostDatagrams > 0 {
        try measureSendCost(options.sendCostDatagrams, options: options)
        Console.exit(0)
    }
    if !options.trackCounts.isEmpty {
        var results: [(count: Int, lastP99: Double, cpu: Double)] = []
        for count in options.trackCounts {
            let (lastP99, cpu) = try measureTracks(count, options: options)
            results.append((count, lastP99, cpu))
        }
        Console.output(tracksPerCore(results) + "\n")
        try measureFFmpeg(options.ffmpegProcesses, options: options)
        Console.exit(0)
    }
    // The large file first, so its peak RSS is not hidden by anything measured before it.
    try measureLargeFile(gigabytes: options.bigWAVGigabytes)
    try measureTimerFloor(seconds: options.seconds)
    for packetTime in options.packetTimes {
        try measure(packetTime: packetTime, options: options)
    }
} catch {
    Console.error("audiostreamer-bench: \(error)\n")
    Console.exit(74)
}
