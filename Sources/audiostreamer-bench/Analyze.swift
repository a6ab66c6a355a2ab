import Interfaces
import JSON
import Platform

/// `--analyze-live N`: `audiostreamer analyze` listening to N tracks of 48 kHz stereo 24-bit at 1 ms that the
/// `audiostreamer` command sends on loopback: its CPU per stream and the datagrams the kernel dropped (its
/// statistics), to set beside the recorder's (`--record N`) in the same run.
func measureAnalyzeLive(_ count: Int, options: BenchOptions) throws {
    let folder = "/tmp/audiostreamer-bench-\(Console.processID)-analyze\(count)"
    try FileSystem.createDirectory(folder)
    defer { removeTree(folder) }
    let files = try (0..<count).map { index in
        try silentWAV(seconds: options.seconds, label: "analyze\(count)-\(index)").path
    }
    defer { files.forEach(FileSystem.remove) }
    let executable = siblingExecutable("audiostreamer")
    let base = options.port + 600 + 4 * count
    let clocks = SystemClocks()
    let sender = try ChildProcess(
        arguments: [
            executable, "--port", String(base), "--format", "L24", "--start-at", "+2", "--sdp-dir", folder + "/sdp",
        ] + files, quiet: true)
    let sdp = folder + "/sdp/session.sdp"
    let waitUntil = clocks.monotonicNow() + 1_500_000_000
    while FileSystem.size(sdp) == nil && clocks.monotonicNow() < waitUntil {
        clocks.sleep(untilMonotonic: clocks.monotonicNow() + 10_000_000)
    }
    let listened = options.seconds + 3
    let analyzer = try ChildProcess(
        arguments: [
            executable, "analyze", "--duration", String(listened), "--stats", folder + "/analyze.json", sdp,
        ], errorPath: folder + "/analyze.err")
    while !sender.hasEnded() || !analyzer.hasEnded() {
        clocks.sleep(untilMonotonic: clocks.monotonicNow() + 50_000_000)
    }
    let statistics = try JSONValue(parsing: FileSystem.readFile(folder + "/analyze.json", limit: 1 << 24))
    func integer(_ value: JSONValue?) -> Int {
        if case .number(let text)? = value { return Int(text) ?? 0 }
        return 0
    }
    var packets = 0
    var lost = 0
    var narrow = 0
    if case .array(let streams)? = statistics["streams"] {
        for stream in streams {
            packets += integer(stream["packets"])
            lost += integer(stream["lost"])
            if case .string("narrow")? = stream["verdict"] { narrow += 1 }
        }
    }
    // Over the span the recorder's figure takes (the run and the 2 s before its start), so the two compare.
    let cpu = Double(analyzer.cpuNanoseconds ?? 0) / 1e9 / Double(options.seconds + 2) * 100
    Console.output(
        """
        analyze live, \(count) streams of 48 kHz stereo 24-bit at 1 ms from one audiostreamer process, \(listened) s listened (exit \(analyzer.status ?? -1)):
          CPU \(fixed(cpu))% of one core over \(options.seconds + 2) s as the recorder's, \(fixed(cpu / Double(count), 3))% per stream; \(packets) packets, \(lost) lost
          datagrams dropped by the kernel: \(integer(statistics["kernel_drops"])); \(narrow) of \(count) streams judged narrow

        """)
}

/// `--read-capture STREAMS,SECONDS`: a pcap of that many 48 kHz stereo L24 streams at 1 ms for that long, written
/// here (Ethernet, IPv4, UDP; arrivals on time give or take a few microseconds), read by `audiostreamer analyze` and
/// by `tshark -q -z rtp,streams`, one after the other: packets per second of each, from their wall time.
func measureCaptureReading(streams: Int, seconds: Int, options: BenchOptions) throws {
    let folder = "/tmp/audiostreamer-bench-\(Console.processID)-capture"
    try FileSystem.createDirectory(folder)
    defer { removeTree(folder) }
    let capture = folder + "/streams.pcap"
    let base = options.port + 2000
    let packets = try writeCapture(capture, streams: streams, seconds: seconds, basePort: base)
    var sdp = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=bench\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
    for index in 0..<streams {
        sdp += "m=audio \(base + 2 * index) RTP/AVP 96\r\ni=stream \(index)\r\na=rtpmap:96 L24/48000/2\r\na=ptime:1\r\n"
    }
    try FileSystem.writeAtomically(Array(sdp.utf8), to: folder + "/streams.sdp")
    let size = Double(FileSystem.size(capture) ?? 0) / 1_048_576
    Console.output(
        "capture: \(streams) streams x \(seconds) s at 1 ms = \(packets) packets, \(fixed(size)) MB (pcap)\n")

    let clocks = SystemClocks()
    func run(_ arguments: [String], output: String) throws -> (seconds: Double, cpu: Double, status: Int32) {
        let started = clocks.monotonicNow()
        let child = try ChildProcess(arguments: arguments, errorPath: output + ".err", outputPath: output)
        while !child.hasEnded() { clocks.sleep(untilMonotonic: clocks.monotonicNow() + 20_000_000) }
        let wall = Double(clocks.monotonicNow() - started) / 1e9
        return (wall, Double(child.cpuNanoseconds ?? 0) / 1e9, child.status ?? -1)
    }
    let ours = try run(
        [
            siblingExecutable("audiostreamer"), "analyze", capture, folder + "/streams.sdp", "--stats",
            folder + "/a.json",
        ],
        output: folder + "/analyze.out")
    let theirs = try run(
        [
            "tshark", "-r", capture, "-q", "-d", "udp.port==\(base)-\(base + 2 * streams),rtp", "-z", "rtp,streams",
        ], output: folder + "/tshark.out")
    let rows =
        ((try? FileSystem.readFile(folder + "/tshark.out", limit: 1 << 24)).map { String(decoding: $0, as: UTF8.self) }
        ?? "").split(separator: "\n").filter { $0.contains(" 0x") }.count
    let statistics = try? JSONValue(parsing: FileSystem.readFile(folder + "/a.json", limit: 1 << 24))
    var counted = 0
    if case .array(let all)? = statistics?["streams"] {
        for stream in all { if case .number(let text)? = stream["packets"] { counted += Int(text) ?? 0 } }
    }
    let ourRate = Double(packets) / ours.seconds
    let theirRate = Double(packets) / theirs.seconds
    Console.output(
        """
          audiostreamer analyze: \(fixed(ours.seconds, 2)) s, \(fixed(ourRate / 1e6, 2)) M packets/s, CPU \(fixed(ours.cpu, 2)) s (exit \(ours.status), \(counted) packets counted)
          tshark -z rtp,streams: \(fixed(theirs.seconds, 2)) s, \(fixed(theirRate / 1e6, 3)) M packets/s, CPU \(fixed(theirs.cpu, 2)) s (exit \(theirs.status), \(rows) streams listed)
          audiostreamer \(fixed(ourRate / theirRate)) times tshark's rate

        """)
}

/// Writes the benchmark's capture; returns how many packets it holds.
func writeCapture(_ path: String, streams: Int, seconds: Int, basePort: Int) throws -> Int {
    func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    func be16(_ value: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)] }
    func be32(_ value: Int) -> [UInt8] { (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    let payload = 48 * 6
    let datagram = 12 + payload
    // Ethernet, IPv4 (checksum left 0), UDP: everything but the ports, sequence, timestamp and SSRC is fixed.
    let frameLength = 14 + 20 + 8 + datagram
    var template = [UInt8](repeating: 0x02, count: 12) + [0x08, 0x00]
    template += [0x45, 0] + be16(20 + 8 + datagram) + [0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
    template += [0, 0, 0, 0] + be16(8 + datagram) + [0, 0]
    template += [0x80, 96] + [UInt8](repeating: 0, count: 10) + [UInt8](repeating: 0, count: payload)
    var out = le32(0xA1B2_C3D4) + [2, 0, 4, 0] + le32(0) + le32(0) + le32(65_535) + le32(1)
    let file = try NewFile(creating: path)
    var written: Int64 = 0
    func flush() throws {
        try out.withUnsafeBytes { try file.write($0, at: written) }
        written += Int64(out.count)
        out.removeAll(keepingCapacity: true)
    }
    var count = 0
    var state: UInt64 = 0x5EED
    for millisecond in 0..<(seconds * 1000) {
        for stream in 0..<streams {
            // A few microseconds of jitter, from a fixed-seed generator.
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let arrival = 1_700_000_000_000_000 + millisecond * 1000 + stream * 3 + Int(state >> 61)
            var frame = template
            let port = be16(basePort + 2 * stream)
            frame[34] = port[0]
            frame[35] = port[1]
            frame[36] = port[0]
            frame[37] = port[1]
            let sequence = be16(millisecond)
            frame[44] = sequence[0]
            frame[45] = sequence[1]
            let timestamp = be32(48 * millisecond)
            for (offset, byte) in (timestamp + be32(0x1000 + stream)).enumerated() { frame[46 + offset] = byte }
            out += le32(arrival / 1_000_000) + le32(arrival % 1_000_000) + le32(frameLength) + le32(frameLength)
            out += frame
            count += 1
        }
        if out.count > 8 << 20 { try flush() }
    }
    try flush()
    return count
}
