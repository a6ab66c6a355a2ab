import JSON
import Platform

/// `--load 16,64,128`: the audiostreamer command itself, as a user runs it, streaming that many tracks of 48 kHz
/// stereo 24-bit at 1 ms from one process to loopback sockets that are bound but never read (so no receiver's own
/// cost is in the figures, and the kernel's delivery up to a full socket buffer is), every thread counted. Next to
/// it, the machine's own floor in the same run: a bare absolute sleep at the same packet time for as long, sending
/// nothing.
func measureLoad(_ count: Int, options: BenchOptions) throws {
    // The floor at the load's own packet time: a wake-up a period late is what a late packet is.
    let period = Int64(((Double(options.loadPacketTime) ?? 1) * 1_000_000).rounded())
    let floor = try timerLateness(seconds: options.seconds, periodNanoseconds: period).sorted()
    let floorLate =
        Double(floor.filter { $0 >= Double(period) / 1000 }.count) / Double(max(1, floor.count)) * 100

    // Bundled: mono files, a stream per `bundle` of them.
    let channels = options.bundle == nil ? 2 : 1
    let streamCount = options.bundle.map { (count + $0 - 1) / $0 } ?? count
    let files = try (0..<count).map {
        try silentWAV(seconds: options.seconds, label: "load\($0)", channels: channels).path
    }
    defer { files.forEach(FileSystem.remove) }
    let base = options.port + 500
    let sinks = try (0..<streamCount).map { index in
        let socket = try UDPSocket(family: .ipv4)
        try socket.bind(to: .loopback(.ipv4, port: base + 2 * index))
        return socket
    }
    let folder = "/tmp/audiostreamer-bench-\(Console.processID)-load"
    let statistics = "/tmp/audiostreamer-bench-\(Console.processID)-load.json"
    defer {
        removeTree(folder)
        FileSystem.remove(statistics)
    }
    let executable = siblingExecutable("audiostreamer")
    var arguments = [
        executable, "--ip", "127.0.0.1", "--port", String(base), "--ptime", options.loadPacketTime, "--format", "L24",
        "--sdp-dir", folder, "--stats", statistics,
    ]
    if let bundle = options.bundle { arguments += ["--bundle", String(bundle)] }
    if let threads = options.pacingThreads { arguments += ["--pacing-threads", String(threads)] }
    if let spin = options.spinMicroseconds { arguments += ["--spin-us", String(spin)] }
    switch options.realtime {
    case .required: arguments.append("--realtime")
    case .off: arguments.append("--no-realtime")
    case .wherePermitted: break
    }
    let clock = MonotonicClock()
    let started = clock.now()
    let child = try withExtendedLifetime(sinks) { () throws -> ChildProcess in
        let child = try ChildProcess(arguments: arguments + files, quiet: true)
        while !child.hasEnded() { clock.sleep(until: clock.now() + 20_000_000) }
        return child
    }
    let wall = Double(clock.now() - started) / 1e9

    // Every stream's counters, from the command's own --stats.
    let document = try JSONValue(parsing: FileSystem.readFile(statistics, limit: 64 << 20))
    guard case .array(let streams)? = document["tracks"] else {
        Console.output("load: \(count) tracks: no statistics (exit \(child.status ?? -1))\n")
        return
    }
    func number(_ stream: JSONValue, _ key: String) -> Double {
        if case .number(let text)? = stream[key] { return Double(text) ?? 0 }
        return 0
    }
    let sent = streams.map { number($0, "packets_sent") }.reduce(0, +)
    let late = streams.map { number($0, "late_packets") }.reduce(0, +)
    let skipped = streams.map { number($0, "skipped_packets") }.reduce(0, +)
    let worst = streams.map { number($0, "worst_lateness_ms") }.max() ?? 0
    let cpu = Double(child.cpuNanoseconds ?? 0) / 1e9 / wall * 100
    let packets = max(1, sent)
    Console.output(
        """
        \(count) tracks at \(options.loadPacketTime) ms (48 kHz \(channels == 1 ? "mono" : "stereo") 24-bit\(options.bundle.map { ", bundled by \($0) into \(streamCount) streams" } ?? "")), \(options.seconds) s, the audiostreamer command (exit \(child.status ?? -1)):
          late \(fixed(late / packets * 100, 3))% (\(Int(late)) of \(Int(sent)) packets a packet time or more late, \(Int(skipped)) skipped), worst \(fixed(worst, 3)) ms
          CPU \(fixed(cpu))% of one core, every thread, \(fixed(cpu / Double(count), 3))% per track; per packet \(fixed(Double(child.userNanoseconds) / packets / 1000, 2)) us user + \(fixed(Double(child.systemNanoseconds) / packets / 1000, 2)) us kernel
          the machine alone, bare \(options.loadPacketTime) ms timer for \(options.seconds) s: wake-up lateness \(percentiles(floor)) us, \(fixed(floorLate, 3))% of wake-ups a period late

        """)
}
