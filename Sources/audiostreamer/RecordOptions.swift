import Application
import Arguments

/// What `record` was told on the command line.
struct RecordArguments: Sendable {
    var take = RecordTake()
    var takeFile: String?
    var statisticsPath: String?
    var verbose = false
    var help = false
    /// A stream without an SDP: its port and format.
    var port: Int?
    var encoding: AudioPayloadEncoding?
    var sampleRate: Int?
    var channels: Int?
    var payloadType: UInt8?
    var sdpFiles: [String] = []
    var outputGiven = false
    var sap = false
    var sapWait = 35
    var sapGroup: String?
    var startText: String?
}

/// The options of `record`, each declared once.
enum RecordOptions {
    static let all: [OptionSpec<RecordArguments>] = [
        .value(
            ["--output", "-o"], "dir", help: "folder for the recording, one WAV per track (default: the current one)"
        ) {
            arguments, value, spelling in
            guard !value.isEmpty else { throw UsageError("\(spelling) needs a folder") }
            arguments.take.output = .directory(value)
            arguments.outputGiven = true
        },
        .value(["--multichannel"], "file.wav", help: "every track interleaved in one WAV instead, in the take's order")
        {
            arguments, value, spelling in
            guard !value.isEmpty else { throw UsageError("\(spelling) needs a file") }
            if arguments.outputGiven, case .directory = arguments.take.output {
                throw UsageError("--output and --multichannel contradict each other")
            }
            arguments.take.output = .multichannel(value)
            arguments.outputGiven = true
        },
        .value(
            ["--session", "--take"], "take.json",
            help: "record every track of a take file (the one the senders use), expecting what they send"
        ) { arguments, value, _ in arguments.takeFile = value },
        .flag(["--sap"], help: "record the streams announced with SAP: those named as operands, or all") {
            $0.sap = true
        },
        .value(
            ["--sap-wait"], "seconds",
            help:
                "how long --sap listens for announcements, at most (default 35; it stops once every named stream is heard)"
        ) {
            arguments, value, spelling in
            arguments.sapWait = try OptionValue.integer(value, spelling, 1...3600)
        },
        .value(["--sap-address"], "addr", help: "the group SAP listens on (default 239.255.255.255)") {
            arguments, value, spelling in
            arguments.sapGroup = try SendOptions.multicastAddress(value, spelling)
            arguments.sap = true
        },
        .value(["--interface"], "name|addr", help: "the interface multicast groups are joined on") {
            arguments, value, spelling in
            guard !value.isEmpty else { throw UsageError("\(spelling) needs an interface name or address") }
            arguments.take.interface = value
        },
        .value(
            ["--rtcp-interval"], "seconds",
            help: "minimum seconds between receiver reports before randomisation (default 5, RFC 3550)"
        ) { arguments, value, spelling in
            arguments.take.rtcpMinimumSeconds = try DecimalValue.parse(
                value, spelling, ExactDecimal(numerator: 1, denominator: 100)...ExactDecimal(numerator: 3600),
                unit: "seconds")
        },
        .value(["--dscp"], "n", help: "DSCP of the receiver reports (default 34)") { arguments, value, spelling in
            arguments.take.dscp = try OptionValue.integer(value, spelling, 0...63)
        },
        .value(["--port"], "n", help: "without an SDP: the RTP port of a stream (its RTCP on the next one)") {
            arguments, value, spelling in
            arguments.port = try OptionValue.integer(value, spelling, 1...65_534)
        },
        .value(["--format"], "L16|L24", help: "without an SDP: its payload (default L24)") {
            arguments, value, spelling in
            guard let encoding = AudioPayloadEncoding(name: value) else {
                throw UsageError("\(spelling) '\(value)': expected L16 or L24")
            }
            arguments.encoding = encoding
        },
        .value(["--rate"], "hz", help: "without an SDP: its sample rate (default 48000)") {
            arguments, value, spelling in
            arguments.sampleRate = try OptionValue.integer(value, spelling, 1000...768_000)
        },
        .value(["--channels"], "n", help: "without an SDP: its channels (default 2)") { arguments, value, spelling in
            arguments.channels = try OptionValue.integer(value, spelling, 1...64)
        },
        .value(["--payload-type"], "n", help: "without an SDP: its RTP payload type (default 96)") {
            arguments, value, spelling in
            arguments.payloadType = UInt8(try OptionValue.integer(value, spelling, 0...127))
        },
        .value(
            ["--latency"], "ms",
            help:
                "how long a packet may be late and still take its place (default \(RecordTake.Defaults.latencyMilliseconds))"
        ) { arguments, value, spelling in
            guard let latency = ExactDecimal(value), latency.scaled(by: 1) >= 1, latency.scaled(by: 1) <= 10_000 else {
                throw UsageError("\(spelling) '\(value)': expected milliseconds from 1 to 10000")
            }
            arguments.take.latencyMilliseconds = latency
        },
        .value(
            ["--start-at"], "time", help: "the take's time zero: ISO 8601 UTC or +SECONDS (default: the first sample)"
        ) {
            arguments, value, spelling in
            guard let start = StartRequest(value) else {
                throw UsageError("\(spelling) '\(value)': expected an ISO 8601 UTC time or +SECONDS")
            }
            arguments.take.start = start
            arguments.startText = value
        },
        .value(["--duration"], "seconds", help: "stop after this many seconds from time zero") {
            arguments, value, spelling in
            arguments.take.duration = try DecimalValue.positive(
                value, spelling, maximum: DecimalValue.longestDurationSeconds, unit: "seconds")
        },
        .value(
            ["--idle"], "seconds",
            help: "stop this long after the last packet (default \(RecordTake.Defaults.idleSeconds))"
        ) { arguments, value, spelling in
            arguments.take.idleSeconds = try DecimalValue.positive(value, spelling, maximum: 86_400, unit: "seconds")
        },
        .value(["--cname"], "text", help: "the recorder's RTCP CNAME (default user@local-address)") {
            arguments, value, spelling in
            guard !value.isEmpty, value.utf8.count <= 255 else { throw UsageError("\(spelling) needs 1 to 255 bytes") }
            arguments.take.canonicalName = value
        },
        .value(["--stats"], "file.json", help: "per-track figures as JSON, every 2 s and at the end") {
            arguments, value, _ in
            arguments.statisticsPath = value
        },
        .flag(["--verbose", "-v"], help: "a live line per track: received, lost, late, jitter, peak level") {
            $0.verbose = true
        },
        .flag(["--help", "-h"], help: "show this help") { $0.help = true },
    ]

    static func parse(_ arguments: [String]) throws(UsageError) -> RecordArguments {
        var settings = RecordArguments()
        settings.sdpFiles = try ArgumentParser.parse(arguments, options: all, into: &settings)
        if settings.help { return settings }
        if settings.sap {
            guard settings.takeFile == nil && settings.port == nil else {
                throw UsageError("--sap finds the streams; give no --session or --port")
            }
            return settings
        }
        let sources = [!settings.sdpFiles.isEmpty, settings.takeFile != nil, settings.port != nil].filter { $0 }.count
        guard sources == 1 else {
            throw UsageError(
                sources == 0
                    ? "nothing to record: give SDP files, --session take.json, --port, or --sap"
                    : "give SDP files, --session or --port, one of them")
        }
        if settings.port == nil
            && (settings.encoding != nil || settings.sampleRate != nil || settings.channels != nil
                || settings.payloadType != nil)
        {
            throw UsageError("--format, --rate, --channels and --payload-type describe a --port stream")
        }
        return settings
    }

    /// The request the arguments make.
    static func request(_ settings: RecordArguments) -> RecordRequest {
        var request: RecordRequest
        if settings.sap {
            request = RecordRequest(
                take: settings.take,
                streams: .sap(names: settings.sdpFiles, waitSeconds: settings.sapWait, group: settings.sapGroup))
        } else if let path = settings.takeFile {
            request = RecordRequest(take: settings.take, streams: .takeFile(path))
        } else if let port = settings.port {
            let description = RecordPlanner.portStream(
                port: port, encoding: settings.encoding, sampleRate: settings.sampleRate,
                channelCount: settings.channels, payloadType: settings.payloadType)
            request = RecordRequest(take: settings.take, streams: .plain(description))
        } else {
            request = RecordRequest(take: settings.take, streams: .sdpFiles(settings.sdpFiles))
        }
        request.statisticsPath = settings.statisticsPath
        return request
    }
}
