import Interfaces
import JSON
import Platform
import WAV

/// The recorder under load: `count` tracks of 48 kHz stereo 24-bit at 1 ms sent by the `audiostreamer` command to
/// `audiostreamer record` on loopback, both built next to this benchmark. It reports the recorder's CPU per track and
/// its peak RSS, the datagrams the kernel dropped (from the recorder's statistics), and how far behind the wall clock
/// the samples stand in the files on disk, read every 50 ms: the time from a packet's arrival to its samples being
/// written, which is the jitter buffer's window plus the writer's pace.
func measureRecorder(_ count: Int, options: BenchOptions) throws {
    let folder = "/tmp/audiostreamer-bench-\(Console.processID)-record\(count)"
    try FileSystem.createDirectory(folder)
    defer { removeTree(folder) }
    let files = try (0..<count).map { index in
        try silentWAV(seconds: options.seconds, label: "record\(count)-\(index)").path
    }
    defer { files.forEach(FileSystem.remove) }
    let executable = siblingExecutable("audiostreamer")
    // Ports of their own for each run, clear of the other measures'.
    let base = options.port + 400 + 4 * count
    let clocks = SystemClocks()
    // The take starts 2 s from now: time to write the SDP, start the recorder and let it bind every port.
    let start = clocks.wallNow() + 2_000_000_000
    let startText = "+" + fixed(2.0, 3)
    let sender = try ChildProcess(
        arguments: [
            executable, "--port", String(base), "--format", "L24", "--start-at", startText, "--sdp-dir",
            folder + "/sdp",
        ] + files, quiet: true)
    let sdp = folder + "/sdp/session.sdp"
    let waitUntil = clocks.monotonicNow() + 1_500_000_000
    while FileSystem.size(sdp) == nil && clocks.monotonicNow() < waitUntil {
        clocks.sleep(untilMonotonic: clocks.monotonicNow() + 10_000_000)
    }
    let recorder = try ChildProcess(
        arguments: [executable, "record", "-o", folder + "/take", "--stats", folder + "/rec.json", sdp],
        errorPath: folder + "/record.err")
    /// The recorder's last line: why it ended, where it failed.
    func recorderSaid() -> String {
        let text = (try? FileSystem.readFile(folder + "/record.err", limit: 1 << 20)).map {
            String(decoding: $0, as: UTF8.self)
        }
        return text?.split(separator: "\n").last.map(String.init) ?? "nothing"
    }
    // Samples on disk against the wall clock, for the first track and the last, until the sender is done.
    let header = WAVFileLayout(
        format: .init(encoding: .signed24, channelCount: 2, sampleRate: 48_000),
        broadcast: BroadcastExtension(
            description: "", originator: "audiostreamer", startUnixNanoseconds: start, sampleRate: 48_000,
            format: .init(encoding: .signed24, channelCount: 2, sampleRate: 48_000))
    ).dataOffset
    // The recorder names each file after its track, the sender's file name.
    let watched = Set([0, count - 1]).sorted().map { index in
        folder + "/take/" + (files[index].split(separator: "/").last.map { String($0.dropLast(4)) } ?? "") + ".wav"
    }
    var delays: [Double] = []
    var peakResident = 0
    while !sender.hasEnded() {
        clocks.sleep(untilMonotonic: clocks.monotonicNow() + 50_000_000)
        peakResident = max(peakResident, (recorder.procKibibytes("VmHWM:", file: "status") ?? 0) * 1024)
        let now = clocks.wallNow()
        guard now > start + 1_000_000_000 else { continue }
        for path in watched {
            guard let size = FileSystem.size(path) else { continue }
            let written = Double(max(0, Int64(size) - header)) / 6 / 48_000
            delays.append(Double(now - start) / 1e9 - written)
        }
    }
    let ended = clocks.monotonicNow() + 20_000_000_000
    while !recorder.hasEnded() && clocks.monotonicNow() < ended {
        clocks.sleep(untilMonotonic: clocks.monotonicNow() + 20_000_000)
    }
    guard recorder.hasEnded() else { throw BenchError.sendFailed("the recorder did not end 20 s after the sender") }
    guard recorder.status == 0 else {
        throw BenchError.sendFailed("the recorder ended with status \(recorder.status ?? -1): \(recorderSaid())")
    }
    let statistics = try? JSONValue(parsing: FileSystem.readFile(folder + "/rec.json", limit: 1 << 24))
    let drops = statistics?["kernel_drops"].flatMap { value -> Int? in
        if case .number(let text) = value { return Int(text) }
        return nil
    }
    var lost = 0
    if case .array(let tracks)? = statistics?["tracks"] {
        for track in tracks { if case .number(let text)? = track["lost"] { lost += Int(text) ?? 0 } }
    }
    let cpu = Double(recorder.cpuNanoseconds ?? 0) / 1e9 / Double(options.seconds + 2) * 100
    let sorted = delays.sorted()
    guard !sorted.isEmpty else {
        throw BenchError.sendFailed("the recorder wrote none of \(watched); it said: \(recorderSaid())")
    }
    Console.output(
        """
        recorder, \(count) tracks of 48 kHz stereo 24-bit at 1 ms from one audiostreamer process, \(options.seconds) s:
          CPU \(fixed(cpu))% of one core, \(fixed(cpu / Double(count), 2))% per track; peak RSS \(fixed(Double(peakResident) / 1_048_576)) MB
          datagrams dropped by the kernel: \(drops.map(String.init) ?? "?"); packets lost: \(lost)
          samples on disk behind the wall clock (ms): \(percentiles(sorted.map { $0 * 1000 })) (the window is 200 ms)

        """)
}

/// Removes a folder and what it holds, two levels deep (the benchmark's own scratch folders).
func removeTree(_ path: String) {
    for name in (try? FileSystem.contents(ofDirectory: path)) ?? [] {
        let child = path + "/" + name
        if FileSystem.isDirectory(child) {
            for inner in (try? FileSystem.contents(ofDirectory: child)) ?? [] { FileSystem.remove(child + "/" + inner) }
        }
        FileSystem.remove(child)
    }
    FileSystem.remove(path)
}
