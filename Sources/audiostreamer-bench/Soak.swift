import JSON
import Platform

/// `--soak MINUTES`: a long run as a studio leaves it. The `audiostreamer` command streams `--soak-tracks` tracks
/// (8 by default) with --loop for that long to `audiostreamer record` on loopback, and one more track, from a second
/// sender process, to a receiver here that takes kernel timestamps. Every minute it prints both processes' RSS and
/// open file descriptors, the senders' late and failed packets and the recorder's lost ones; at the end, the drift:
/// the median send-time error of the measured track in its last minute against its first (equal within the noise
/// when nothing drifts).
func measureSoak(minutes: Int, tracks: Int, options: BenchOptions) throws {
    let seconds = minutes * 60
    let folder = "/tmp/audiostreamer-bench-\(Console.processID)-soak"
    try FileSystem.createDirectory(folder)
    defer { removeTree(folder) }
    let files = try (0...tracks).map { try silentWAV(seconds: 10, label: "soak\($0)").path }
    defer { files.forEach(FileSystem.remove) }
    let executable = siblingExecutable("audiostreamer")
    let base = options.port + 700
    let clocks = SystemClocks()
    let common = ["--loop", "--duration", String(seconds), "--format", "L24", "--start-at", "+2"]
    let sender = try ChildProcess(
        arguments: [executable, "--port", String(base), "--sdp-dir", folder + "/sdp", "--stats", folder + "/send.json"]
            + common + Array(files.dropLast()), quiet: true)
    let sdp = folder + "/sdp/session.sdp"
    let waitUntil = clocks.monotonicNow() + 1_500_000_000
    while FileSystem.size(sdp) == nil && clocks.monotonicNow() < waitUntil {
        clocks.sleep(untilMonotonic: clocks.monotonicNow() + 10_000_000)
    }
    let recorder = try ChildProcess(
        arguments: [executable, "record", "-o", folder + "/take", "--stats", folder + "/record.json", sdp], quiet: true)
    // The measured track: its own process, to a timestamped receiver on this side.
    let measuredPort = base + 2 * tracks + 10
    let socket = try timestampedReceiver(port: measuredPort, timeoutMilliseconds: 3000)
    let collector = TimestampCollector(capacity: seconds * 1000 + 4000)
    let receiving = try OSThread { collector.run(socket: socket, firstSequence: 0) }
    let measured = try ChildProcess(
        arguments: [
            executable, "--port", String(measuredPort), "--seq", "0", "--timestamp", "0", "--sdp-dir",
            folder + "/sdp-measured", "--stats", folder + "/measured.json",
        ] + common + [files[tracks]], quiet: true)

    func number(_ file: String, _ key: String, in list: String) -> Double {
        guard let bytes = try? FileSystem.readFile(file, limit: 16 << 20),
            let document = try? JSONValue(parsing: bytes), case .array(let items)? = document[list]
        else { return 0 }
        return items.map { item in
            if case .number(let text)? = item[key] { return Double(text) ?? 0 }
            return 0
        }.reduce(0, +)
    }
    func topLevel(_ file: String, _ key: String) -> Double {
        guard let bytes = try? FileSystem.readFile(file, limit: 16 << 20),
            let document = try? JSONValue(parsing: bytes), case .number(let text)? = document[key]
        else { return 0 }
        return Double(text) ?? 0
    }
    func descriptors(_ pid: Int32) -> Int { (try? FileSystem.contents(ofDirectory: "/proc/\(pid)/fd"))?.count ?? 0 }
    func resident(_ child: ChildProcess) -> Int { child.procKibibytes("VmRSS:", file: "status") ?? 0 }

    Console.output(
        "soak: \(tracks) tracks to audiostreamer record and 1 measured track, 48 kHz stereo 24-bit at 1 ms, \(minutes) min\n"
    )
    Console.output("minute | sender RSS KiB, fds | recorder RSS KiB, fds | sent, late, failed | recorder lost, late\n")
    var samples: [(senderRSS: Int, senderFDs: Int, recorderRSS: Int, recorderFDs: Int)] = []
    let begin = clocks.monotonicNow()
    for minute in 1...minutes {
        clocks.sleep(untilMonotonic: begin + Int64(minute) * 60_000_000_000)
        let sample = (resident(sender), descriptors(sender.pid), resident(recorder), descriptors(recorder.pid))
        samples.append(sample)
        let sent = number(folder + "/send.json", "packets_sent", in: "tracks")
        let late = number(folder + "/send.json", "late_packets", in: "tracks")
        let failed = number(folder + "/send.json", "failed_sends", in: "tracks")
        let lost = number(folder + "/record.json", "lost", in: "tracks")
        let recorderLate = number(folder + "/record.json", "late", in: "tracks")
        Console.output(
            "\(minute) | \(sample.0), \(sample.1) | \(sample.2), \(sample.3) | \(Int(sent)), \(Int(late)), \(Int(failed)) | \(Int(lost)), \(Int(recorderLate))\n"
        )
    }
    while !sender.hasEnded() || !measured.hasEnded() {
        clocks.sleep(untilMonotonic: clocks.monotonicNow() + 100_000_000)
    }
    // The recorder ends 10 s after the last packet (its --idle).
    while !recorder.hasEnded() { clocks.sleep(untilMonotonic: clocks.monotonicNow() + 100_000_000) }
    receiving.join()

    // The measured track's send-time error per packet, against its best-fitting start: first minute and last.
    let arrivals = collector.arrivals.enumerated().filter { $0.element != 0 }.map {
        (timestamp: UInt32(truncatingIfNeeded: $0.offset * 48), arrival: $0.element)
    }
    let errors = errorsAgainstBestStart(arrivals: arrivals, sampleRate: 48_000)
    let first = Array(errors.prefix(60_000)).sorted()
    let last = Array(errors.suffix(60_000)).sorted()
    let lateMeasured = number(folder + "/measured.json", "late_packets", in: "tracks")
    Console.output(
        """
        soak done: sender exit \(sender.status ?? -1), recorder exit \(recorder.status ?? -1), measured track \(collector.received) of \(seconds * 1000) packets received
          measured track's send-time error, first minute \(percentiles(first)) us; last minute \(percentiles(last)) us; drift of the median \(fixed(percentile(last, 0.5) - percentile(first, 0.5))) us; \(Int(lateMeasured)) late
          sender RSS \(samples.first?.senderRSS ?? 0) -> \(samples.last?.senderRSS ?? 0) KiB, fds \(samples.first?.senderFDs ?? 0) -> \(samples.last?.senderFDs ?? 0); recorder RSS \(samples.first?.recorderRSS ?? 0) -> \(samples.last?.recorderRSS ?? 0) KiB, fds \(samples.first?.recorderFDs ?? 0) -> \(samples.last?.recorderFDs ?? 0)
          sender: \(Int(number(folder + "/send.json", "packets_sent", in: "tracks"))) sent, \(Int(number(folder + "/send.json", "late_packets", in: "tracks"))) late, \(Int(number(folder + "/send.json", "failed_sends", in: "tracks"))) failed; recorder: \(Int(number(folder + "/record.json", "received", in: "tracks"))) received, \(Int(number(folder + "/record.json", "lost", in: "tracks"))) lost, \(Int(number(folder + "/record.json", "late", in: "tracks"))) late, \(Int(topLevel(folder + "/record.json", "kernel_drops"))) kernel drops

        """)
}
