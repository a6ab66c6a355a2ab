import Arguments
import Planning
import Sender

/// What the benchmark is asked to measure; a bad value is refused with one line, never ignored.
struct BenchOptions: Sendable {
    var seconds = 10
    var packetTimes = ["1", "0.125"]
    /// nil: the command's default.
    var spinMicroseconds: Int?
    /// The pacing threads' priority, as the command's flags set it (default: SCHED_FIFO where permitted).
    var realtime = PacingSettings.RealtimePolicy.wherePermitted
    var bigWAVGigabytes = 2
    /// Below Linux's ephemeral range (32768-60999): no socket the system numbers (the sender's own, anything else on
    /// the machine) holds one of the benchmark's ports by chance.
    var port = 20_000
    /// Track counts for the tracks-per-core run (empty: skip it).
    var trackCounts: [Int] = []
    /// Also run this many `ffmpeg -re` processes for comparison in the tracks run (0: none).
    var ffmpegProcesses = 0
    /// Datagrams per round for the send-cost comparison (0: skip it).
    var sendCostDatagrams = 0
    /// Track counts for the recorder run (empty: skip it).
    var recorderTrackCounts: [Int] = []
    /// Stream counts for `analyze` listening live (empty: skip it).
    var analyzeCounts: [Int] = []
    /// Streams and seconds of the capture `analyze` and tshark read (nil: skip it).
    var captureShape: (streams: Int, seconds: Int)?
    /// Minutes of the soak run (0: skip it), and its tracks.
    var soakMinutes = 0
    var soakTracks = 8
    /// Track counts for the command-line load run (empty: skip it).
    var loadCounts: [Int] = []
    /// Pacing threads the load run asks for (nil: the command's default).
    var pacingThreads: Int?
    /// With `--load`: mono tracks bundled into streams of this many channels (the command's `--bundle`).
    var bundle: Int?
    /// With `--load`: the packet time in milliseconds (default 1).
    var loadPacketTime = "1"

    /// Print the packet size table (and measure nothing).
    var packetSizes = false
    /// Track counts whose shortest kept packet time is sought (empty: skip it).
    var shortestPacketTimeCounts: [Int] = []
    /// Receive only, from another sender (GStreamer, ffmpeg) on `port`, for comparison under the same conditions.
    var listenLabel: String?
    var help = false

    static let options: [OptionSpec<BenchOptions>] = [
        .value(["--seconds"], "n", help: "seconds of media per measurement (default 10)") { options, value, spelling in
            options.seconds = try OptionValue.integer(value, spelling, 1...86_400)
        },
        .value(["--ptimes"], "ms,ms", help: "packet times of the single-track run (default 1,0.125)") {
            options, value, spelling in
            let times = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            for time in times where Double(time).map({ !(0.125...1000).contains($0) }) ?? true {
                throw UsageError("\(spelling) '\(time)': expected milliseconds from 0.125 to 1000")
            }
            options.packetTimes = times
        },
        .value(
            ["--spin-us"], "n",
            help:
                "wake this many microseconds early and spin (default: the command's, a tenth of the packet time up to 60)"
        ) {
            options, value, spelling in
            options.spinMicroseconds = try OptionValue.integer(value, spelling, 0...10_000)
        },
        .flag(["--realtime"], help: "pace with SCHED_FIFO, warning where refused (the default asks silently)") {
            $0.realtime = .required
        },
        .flag(["--no-realtime"], help: "pace with normal priority") { $0.realtime = .off },
        .value(
            ["--big-wav-gb"], "n", help: "size of the sparse WAV read through the read-ahead ring (default 2, 0: skip)"
        ) {
            options, value, spelling in
            options.bigWAVGigabytes = try OptionValue.integer(value, spelling, 0...64)
        },
        .value(
            ["--port"], "n", help: "first loopback port the benchmark uses (default 20000, below the ephemeral range)"
        ) {
            options, value, spelling in
            options.port = try OptionValue.integer(value, spelling, 1024...64_000)
        },
        .value(["--listen"], "label", help: "only receive another sender on --port and report it under this label") {
            options, value, _ in
            options.listenLabel = value
        },
        .value(["--tracks"], "n,n", help: "track counts for the many-tracks run (e.g. 16,64,128)") {
            options, value, spelling in
            options.trackCounts = try counts(value, spelling, 1...1024)
        },
        .value(["--ffmpeg"], "n", help: "with --tracks: also compare the command and n ffmpeg -re processes") {
            options, value, spelling in
            options.ffmpegProcesses = try OptionValue.integer(value, spelling, 0...256)
        },
        .value(["--record"], "n,n", help: "track counts for the recorder run: audiostreamer to audiostreamer record") {
            options, value, spelling in
            options.recorderTrackCounts = try counts(value, spelling, 1...256)
        },
        .value(
            ["--analyze-live"], "n,n",
            help: "stream counts for analyze listening live: audiostreamer to audiostreamer analyze"
        ) { options, value, spelling in
            options.analyzeCounts = try counts(value, spelling, 1...256)
        },
        .value(
            ["--read-capture"], "streams,seconds",
            help:
                "a pcap of that many 1 ms streams for that long, read by analyze and by tshark -z rtp,streams (e.g. 64,60)"
        ) { options, value, spelling in
            let numbers = try counts(value, spelling, 1...3600)
            guard numbers.count == 2 else { throw UsageError("\(spelling) '\(value)': expected streams,seconds") }
            options.captureShape = (numbers[0], numbers[1])
        },
        .value(["--send-cost"], "n", help: "compare send(2), sendto(2) and sendmmsg(2) to n receivers") {
            options, value, spelling in
            options.sendCostDatagrams = try OptionValue.integer(value, spelling, 1...1024)
        },
        .value(
            ["--shortest-ptime"], "n,n",
            help: "for each track count, the shortest packet time (0.125 ms up) kept within one packet time at p99"
        ) { options, value, spelling in
            options.shortestPacketTimeCounts = try counts(value, spelling, 1...1024)
        },
        .value(
            ["--load"], "n,n",
            help:
                "track counts for the load run: the audiostreamer command at 1 ms, every thread, next to the timer floor"
        ) { options, value, spelling in
            options.loadCounts = try counts(value, spelling, 1...1024)
        },
        .value(
            ["--soak"], "minutes",
            help:
                "a long run: the command with --loop into audiostreamer record; RSS, fds, late and lost each minute, drift"
        ) { options, value, spelling in
            options.soakMinutes = try OptionValue.integer(value, spelling, 1...10_080)
        },
        .value(["--soak-tracks"], "n", help: "with --soak: tracks sent to the recorder (default 8)") {
            options, value, spelling in
            options.soakTracks = try OptionValue.integer(value, spelling, 1...256)
        },
        .value(["--pacing-threads"], "n", help: "with --load: the command's --pacing-threads") {
            options, value, spelling in
            options.pacingThreads = try OptionValue.integer(value, spelling, 1...64)
        },
        .value(["--bundle"], "n", help: "with --load: mono tracks bundled into streams of n channels (--bundle n)") {
            options, value, spelling in
            options.bundle = try OptionValue.integer(value, spelling, 1...64)
        },
        .value(["--load-ptime"], "ms", help: "with --load: the packet time (default 1)") { options, value, spelling in
            guard PacketTime.allowed(value) != nil else {
                throw UsageError("\(spelling) '\(value)': expected milliseconds from 0.125 to 1000")
            }
            options.loadPacketTime = value
        },
        .flag(["--packet-sizes"], help: "print the packet size table for every packet time and format, and exit") {
            $0.packetSizes = true
        },
        .flag(["--help", "-h"], help: "show this help") { $0.help = true },
    ]

    static var usage: String {
        "usage: audiostreamer-bench [options]\n\n" + ArgumentParser.help(options, column: 26)
    }

    /// A comma-separated list of whole numbers, each in `range`.
    static func counts(_ value: String, _ spelling: String, _ range: ClosedRange<Int>) throws(UsageError) -> [Int] {
        var counts: [Int] = []
        for text in value.split(separator: ",", omittingEmptySubsequences: false) {
            counts.append(try OptionValue.integer(String(text), spelling, range))
        }
        return counts
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> BenchOptions {
        var options = BenchOptions()
        let operands = try ArgumentParser.parse(arguments, options: Self.options, into: &options)
        if let extra = operands.first { throw UsageError("unexpected argument '\(extra)'") }
        return options
    }
}
