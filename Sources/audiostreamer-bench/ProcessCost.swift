import Platform

/// What some processes sending `tracks` tracks in all cost in CPU and memory.
struct ProcessCost {
    var tracks: Int
    var usage: ProcessUsage

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
        try socket.bind(to: .loopback(.ipv4, port: base + 2 * index))
        return socket
    }
    let folder = "/tmp/audiostreamer-bench-\(Console.processID)-sdp"
    defer {
        for name in (try? FileSystem.contents(ofDirectory: folder)) ?? [] { FileSystem.remove(folder + "/" + name) }
        FileSystem.remove(folder)
    }
    let executable = siblingExecutable("audiostreamer")
    let result = try withExtendedLifetime(sinks) {
        try runProcesses(
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
    try sink.bind(to: .loopback(.ipv4, port: options.port + 2))
    let result = try withExtendedLifetime(sink) {
        try runProcesses(
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

/// What some child processes used: CPU from wait4(2), memory from /proc while they ran. wait4's ru_maxrss will not
/// do: the kernel counts in it the memory of the process that spawned the child, which for a benchmark dwarfs a
/// small program's own.
struct ProcessUsage: Sendable {
    var cpuNanoseconds: Int64
    /// The largest peak RSS of any one of them (VmHWM): shared library pages count in full in each.
    var peakResidentBytes: Int
    /// The most memory they held together (the sum of their PSS, shared pages split among their users), at the
    /// 20 ms steps it was read at.
    var peakProportionalBytes: Int
    var wallSeconds: Double
}

/// Starts `count` copies of `arguments` at once and waits for all of them, reading their memory every 20 ms.
func runProcesses(count: Int, arguments: [String], quiet: Bool = false) throws -> ProcessUsage {
    let clock = MonotonicClock()
    let start = clock.now()
    var running = try (0..<count).map { _ in try ChildProcess(arguments: arguments, quiet: quiet) }
    var usage = ProcessUsage(cpuNanoseconds: 0, peakResidentBytes: 0, peakProportionalBytes: 0, wallSeconds: 0)
    while !running.isEmpty {
        // VmHWM only grows, so the last reading before a child ends is its peak to within one 20 ms step.
        var together = 0
        for child in running {
            usage.peakResidentBytes = max(
                usage.peakResidentBytes, (child.procKibibytes("VmHWM:", file: "status") ?? 0) * 1024)
            together += (child.procKibibytes("Pss:", file: "smaps_rollup") ?? 0) * 1024
        }
        usage.peakProportionalBytes = max(usage.peakProportionalBytes, together)
        running.removeAll { child in
            guard child.hasEnded() else { return false }
            usage.cpuNanoseconds += child.cpuNanoseconds ?? 0
            return true
        }
        if !running.isEmpty { clock.sleep(until: clock.now() + 20_000_000) }
    }
    usage.wallSeconds = Double(clock.now() - start) / 1e9
    return usage
}
