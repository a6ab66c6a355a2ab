import Application
import Arguments

/// What `record` was told on the command line.
struct RecordArguments: Sendable {
    var take = RecordTake()
    var takeFile: String?
    var statisticsPath: String?
    var reportPath: String?
    var ptpSocket = PTPClient.defaultSocketPath
    var ptpDomain: UInt8?
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
    static let all: [OptionSpec<RecordArguments>] =
        [
            .value(
                ["--output", "-o"], "dir",
                help: "folder for the recording, one WAV per track (default: the current one)"
            ) {
                arguments, value, spelling in
                guard !value.isEmpty else { throw UsageError("\(spelling) needs a folder") }
                arguments.take.output = .directory(value)
                arguments.outputGiven = true
            },
            .value(
                ["--multichannel"], "file.wav", help: "every track interleaved in one WAV instead, in the take's order"
            ) {
                arguments, value, spelling in
                guard !value.isEmpty else { throw UsageError("\(spelling) needs a file") }
                if arguments.outputGiven, case .directory = arguments.take.output {
                    throw UsageError("--output and --multichannel contradict each other")
                }
                arguments.take.output = .multichannel(value)
                arguments.outputGiven = true
            },
            SharedOptions.takeFile(
                \.takeFile,
                help: "record every track of a take file (the one the senders use), expecting what they send"),
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
            SharedOptions.sapAddress(
                \.sapGroup, sap: \.sap, help: "the group SAP listens on (default 239.255.255.255)"),
            SharedOptions.interface(\.take.interface, help: "the interface multicast groups are joined on"),
            SharedOptions.redundantInterface(
                \.take.redundantInterface,
                help: "the interface the second legs of ST 2022-7 streams (a=group:DUP) are joined on"),
            .value(
                ["--rtcp-interval"], "seconds",
                help: "minimum seconds between receiver reports before randomisation (default 5, RFC 3550)"
            ) { arguments, value, spelling in
                arguments.take.rtcpMinimumSeconds = try DecimalValue.parse(
                    value, spelling, ExactDecimal(numerator: 1, denominator: 100)...ExactDecimal(numerator: 3600),
                    unit: "seconds")
            },
            SharedOptions.dscp(
                \.take.dscp, help: "DSCP of the receiver reports (default \(NetworkOptions.defaultDSCP))"),
        ]
        + SharedOptions.portStream(
            port: \.port, encoding: \.encoding, sampleRate: \.sampleRate, channels: \.channels,
            payloadType: \.payloadType)
        + [
            .value(
                ["--latency"], "ms",
                help:
                    "how long a packet may be late and still take its place (default \(RecordTake.Defaults.latencyMilliseconds))"
            ) { arguments, value, spelling in
                guard let latency = ExactDecimal(value), latency.scaled(by: 1) >= 1, latency.scaled(by: 1) <= 10_000
                else {
                    throw UsageError("\(spelling) '\(value)': expected milliseconds from 1 to 10000")
                }
                arguments.take.latencyMilliseconds = latency
            },
            SharedOptions.startAt(
                \.take.start, text: \.startText,
                help: "the take's time zero: ISO 8601 UTC or +SECONDS (default: the first sample)"),
            SharedOptions.duration(\.take.duration, help: "stop after this many seconds from time zero"),
            .value(
                ["--idle"], "seconds",
                help:
                    "stop this long after the last packet, or after the start while none came (default \(RecordTake.Defaults.idleSeconds))"
            ) { arguments, value, spelling in
                arguments.take.idleSeconds = try DecimalValue.positive(
                    value, spelling, maximum: 86_400, unit: "seconds")
            },
            SharedOptions.ptp4lSocket(
                \.ptpSocket,
                help: "ptp4l's management socket, to verify a=ts-refclk:ptp (default \(PTPClient.defaultSocketPath))"),
            SharedOptions.ptpDomain(
                \.ptpDomain, help: "the PTP domain to ask ptp4l about (default: the one it answers in)"),
            SharedOptions.canonicalName(
                \.take.canonicalName, help: "the recorder's RTCP CNAME (default user@local-address)"),
            SharedOptions.statistics(\.statisticsPath, help: "per-track figures as JSON, every 2 s and at the end"),
            SharedOptions.report(
                \.reportPath,
                help:
                    "a page of the take at the end: per track its placement, loss and lateness, its arrival analysed as analyze does, levels over time"
            ),
            SharedOptions.verbose(
                \.verbose,
                help:
                    "on a terminal, a level meter per track redrawn in place (RMS, peak, CLIP, loss); elsewhere a line per track: received, lost, late, jitter, peak"
            ),
            SharedOptions.help(\.help),
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
        request.reportPath = settings.reportPath
        request.ptpSocket = settings.ptpSocket
        request.ptpDomain = settings.ptpDomain
        return request
    }
}
