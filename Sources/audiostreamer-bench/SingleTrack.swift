import Application
import Interfaces
import PCM
import Planning
import Platform
import RTP
import Sender
import WAV

/// One track of 48 kHz stereo 24-bit at `packetTime`, sent to a receiver on loopback that takes kernel receive
/// timestamps: the send-time error against the ideal schedule, its drift, late packets, CPU and memory.
func measure(packetTime text: String, options: BenchOptions) throws {
    guard let packetTime = PacketTime.allowed(text) else {
        throw BenchError.badArgument("packet time \(text)")
    }
    // Silence is enough: pacing does not depend on the samples. A file on disk, read as any WAV is, so peak
    // RSS is the streamer's own.
    let (path, format, frames) = try silentWAV(seconds: options.seconds, label: "stream")
    defer { FileSystem.remove(path) }
    let source = try Inputs.openWAV(path: path, note: { _ in })
    let framesPerPacket = packetTime.frames(atSampleRate: format.sampleRate)
    let packets = (frames + framesPerPacket - 1) / framesPerPacket

    let receiver = try timestampedReceiver(port: options.port, timeoutMilliseconds: 500)
    let sender = try UDPSocket(family: .ipv4)
    try sender.connect(to: .loopback(.ipv4, port: options.port))
    let firstSequence: UInt16 = 1000
    let packetizer = Packetizer(
        source: format.encoding, encoding: .l24, channelCount: 2, framesPerPacket: framesPerPacket, payloadType: 96,
        ssrc: 0xBE0C_BE0C, initialSequenceNumber: firstSequence, initialTimestamp: 0)
    let track = Track(name: "bench", source: source, packetizer: packetizer, sink: sender)
    let collector = TimestampCollector(capacity: packets)
    let receiving = try OSThread { collector.run(socket: receiver, firstSequence: firstSequence) }

    let runner = StreamRunner(tracks: [track], settings: options.pacing, clocks: SystemClocks())
    let before = MonotonicClock().now()
    try runner.run(note: { _ in }) { _, _ in }
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
          send-time error (us): \(percentiles(sorted)) max \(fixed(sorted.last ?? 0))
          drift (median error, last tenth - first tenth): \(fixed(drift)) us
          late packets (>= one packet time): \(counts.latePackets), worst lateness \(fixed(Double(counts.worstLatenessNanoseconds) / 1000)) us
          pacing thread CPU: \(fixed(cpu))% of one core; peak RSS \(fixed(Double(ResourceUsage.current().peakResidentBytes) / 1_048_576)) MB

        """)
    report(
        label: "  audiostreamer, same measure as --listen",
        errors: errorsAgainstBestStart(arrivals: received, sampleRate: 48_000),
        packets: received.count, seconds: wallSeconds)
}

/// Reads a sparse WAV of `gigabytes` through the read-ahead ring and packetizer, packet by packet, as fast as it
/// goes: memory must not grow with the file.
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
    let file = try Inputs.openWAV(path: path, note: { _ in })
    let reader = ReadAheadSource(
        file, capacity: format.sampleRate * format.bytesPerFrame, maximumFrames: 48, loops: false,
        clock: MonotonicClock())
    let readAhead = ReadAheadLoop(sources: [reader])
    readAhead.prime()
    let stop = StopSignal()
    let thread = try OSThread { readAhead.run(clock: MonotonicClock(), stop: stop) }
    defer {
        stop.stop()
        thread.join()
    }
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

/// Receives another sender's RTP on `port` until it has been quiet for a second, then reports its timing.
func listen(label: String, options: BenchOptions) throws {
    let socket = try timestampedReceiver(port: options.port, timeoutMilliseconds: 1000)
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
        // RTP only: RTCP (on a shared port) is told apart by its packet type (RFC 5761).
        guard count >= RTPHeader.fixedByteCount, MultiplexedPacket(buffer.prefix(2)) == .rtp else { continue }
        let timestamp = UInt32(buffer[4]) << 24 | UInt32(buffer[5]) << 16 | UInt32(buffer[6]) << 8 | UInt32(buffer[7])
        arrivals.append((timestamp, stamp))
    }
    let seconds = Double((arrivals.last?.arrival ?? 0) - (arrivals.first?.arrival ?? 0)) / 1e9
    report(
        label: label, errors: errorsAgainstBestStart(arrivals: arrivals, sampleRate: 48_000), packets: arrivals.count,
        seconds: seconds)
}

/// A benchmark that cannot go on.
enum BenchError: Error, CustomStringConvertible {
    case badArgument(String)
    case sendFailed(String)

    var description: String {
        switch self {
        case .badArgument(let what): "bad argument: \(what)"
        case .sendFailed(let what): what
        }
    }
}

extension BenchOptions {
    /// The pacing settings the options ask for.
    var pacing: PacingSettings {
        var settings = PacingSettings()
        settings.spinNanoseconds = spinMicroseconds.map { Int64($0) * 1000 }
        settings.realtime = realtime
        return settings
    }
}
