import Application
import Arguments

/// What `analyze` was told on the command line.
struct AnalyzeArguments: Sendable {
    /// A capture file (or "-"), when the first operand is one.
    var capture: String?
    var sdpFiles: [String] = []
    var profile = Profile.wide
    var level: ST2110Level?
    var duration: ExactDecimal?
    var statisticsPath: String?
    var reportPath: String?
    var interface: String?
    var redundantInterface: String?
    var periodMilliseconds = 1000
    var clockSynchronized = false
    var ptpSocket = PTPClient.defaultSocketPath
    var ptpDomain: UInt8?
    var sap = false
    var sapWait = 35
    var sapGroup: String?
    var verbose = false
    /// A stream without an SDP: its port and format.
    var port: Int?
    var encoding: AudioPayloadEncoding?
    var sampleRate: Int?
    var channels: Int?
    var payloadType: UInt8?
    var packetTime: ExactDecimal?
    var help = false

    /// Whether an operand names a capture rather than an SDP: "-" (standard input) or a .pcap, .pcapng or .cap file.
    static func isCapture(_ operand: String) -> Bool {
        let lower = operand.lowercased()
        return operand == "-" || lower.hasSuffix(".pcap") || lower.hasSuffix(".pcapng") || lower.hasSuffix(".cap")
    }
}

/// The options of `analyze`, each declared once.
enum AnalyzeOptions {
    static let all: [OptionSpec<AnalyzeArguments>] =
        [
            .value(
                ["--profile"], "name",
                help:
                    "what every stream must meet: narrow (TS-DF below 1 packet time), wide (at most 17; the default) or jtnm-2022 (adds the RTP timestamp against arrival and the packet interval limits)"
            ) { arguments, value, spelling in
                guard let profile = Profile(rawValue: value) else {
                    throw UsageError("\(spelling) '\(value)': expected narrow, wide or jtnm-2022")
                }
                arguments.profile = profile
            },
            SharedOptions.st2110Level(
                \.level,
                help:
                    "every stream's description must fit this ST 2110-30 level (rate, channels, packet time, L24, mediaclk:direct=0)"
            ),
            SharedOptions.duration(\.duration, help: "live: listen this many seconds (default: until Ctrl-C)"),
            .value(
                ["--tsdf-period"], "ms",
                help: "TS-DF's measurement period (default 1000, as EBU Tech 3337 recommends; EBU LIST uses 200)"
            ) { arguments, value, spelling in
                arguments.periodMilliseconds = try OptionValue.integer(value, spelling, 10...60_000)
            },
            .flag(
                ["--clock-synchronized"],
                help:
                    "a capture: its timestamps are on the streams' reference clock (PTP or NTP), so RTP timestamps are judged against them"
            ) { $0.clockSynchronized = true },
            .flag(["--sap"], help: "live: the streams announced with SAP, those named as operands or all") {
                $0.sap = true
            },
            .value(["--sap-wait"], "seconds", help: "how long --sap listens for announcements, at most (default 35)") {
                arguments, value, spelling in
                arguments.sapWait = try OptionValue.integer(value, spelling, 1...3600)
            },
            SharedOptions.sapAddress(
                \.sapGroup, sap: \.sap, help: "the group SAP listens on (default 239.255.255.255)"),
            SharedOptions.interface(\.interface, help: "live: the interface multicast groups are joined on"),
            SharedOptions.redundantInterface(
                \.redundantInterface,
                help: "live: the interface the second legs of ST 2022-7 streams (a=group:DUP) are joined on"),
        ]
        + SharedOptions.portStream(
            port: \.port, encoding: \.encoding, sampleRate: \.sampleRate, channels: \.channels,
            payloadType: \.payloadType)
        + [
            .value(["--ptime"], "ms", help: "without an SDP: its packet time (default 1)") {
                arguments, value, spelling in
                arguments.packetTime = try DecimalValue.positive(value, spelling, maximum: 1000, unit: "milliseconds")
            },
            SharedOptions.ptp4lSocket(
                \.ptpSocket,
                help: "ptp4l's management socket, to verify PTP clocks (default \(PTPClient.defaultSocketPath))"
            ),
            SharedOptions.ptpDomain(
                \.ptpDomain, help: "the PTP domain to ask ptp4l about (default: the one it answers in)"),
            SharedOptions.statistics(\.statisticsPath, help: "every stream's figures and verdict as JSON, at the end"),
            SharedOptions.report(
                \.reportPath,
                help: "a page with every stream's figures, verdict and pictures (one HTML file, nothing from elsewhere)"
            ),
            SharedOptions.verbose(
                \.verbose,
                help:
                    "live: the ports listened on, and every stream's packets, loss and TS-DF so far each second (redrawn in place on a terminal)"
            ),
            SharedOptions.help(\.help),
        ]

    static func parse(_ arguments: [String]) throws(UsageError) -> AnalyzeArguments {
        var settings = AnalyzeArguments()
        var operands = try ArgumentParser.parse(arguments, options: all, into: &settings)
        if settings.help { return settings }
        if let first = operands.first, AnalyzeArguments.isCapture(first) {
            settings.capture = first
            operands.removeFirst()
            if settings.sap {
                throw UsageError("--sap listens live; a capture's own SAP announcements are read from it")
            }
            if settings.duration != nil { throw UsageError("--duration is for listening live, not for a capture") }
        }
        if let extra = operands.first(where: AnalyzeArguments.isCapture) {
            throw UsageError("\(extra): one capture at a time, given first")
        }
        settings.sdpFiles = operands
        let sources = [!operands.isEmpty && !settings.sap, settings.port != nil, settings.sap].filter { $0 }.count
        if settings.capture == nil && sources != 1 {
            throw UsageError(
                sources == 0
                    ? "nothing to analyze: give a capture, SDP files, --port or --sap"
                    : "give SDP files, --port or --sap, one of them")
        }
        if settings.capture != nil && sources > 1 {
            throw UsageError("give SDP files or --port with a capture, not both")
        }
        if settings.port == nil
            && (settings.encoding != nil || settings.sampleRate != nil || settings.channels != nil
                || settings.payloadType != nil || settings.packetTime != nil)
        {
            throw UsageError("--format, --rate, --channels, --payload-type and --ptime describe a --port stream")
        }
        if settings.clockSynchronized && settings.capture == nil {
            throw UsageError("--clock-synchronized is for a capture; live, the host's own synchronisation is checked")
        }
        return settings
    }

    /// The request the arguments make.
    static func request(_ settings: AnalyzeArguments) -> AnalyzeRequest {
        var streams: RecordRequest.Streams?
        if settings.sap {
            streams = .sap(names: settings.sdpFiles, waitSeconds: settings.sapWait, group: settings.sapGroup)
        } else if let port = settings.port {
            var description = RecordPlanner.portStream(
                port: port, encoding: settings.encoding, sampleRate: settings.sampleRate,
                channelCount: settings.channels, payloadType: settings.payloadType)
            if let packetTime = settings.packetTime {
                description.framesPerPacket = max(1, packetTime.scaled(by: description.sampleRate, dividedBy: 1000))
            }
            streams = .plain(description)
        } else if !settings.sdpFiles.isEmpty {
            streams = .sdpFiles(settings.sdpFiles)
        }
        var request = AnalyzeRequest(input: settings.capture.map { .capture(path: $0) } ?? .live, streams: streams)
        request.profile = settings.profile
        request.level = settings.level
        request.durationNanoseconds = settings.duration.map { Int64($0.scaled(by: 1_000_000_000)) }
        request.statisticsPath = settings.statisticsPath
        request.reportPath = settings.reportPath
        request.interface = settings.interface
        request.redundantInterface = settings.redundantInterface
        request.periodNanoseconds = Int64(settings.periodMilliseconds) * 1_000_000
        request.captureClockSynchronized = settings.clockSynchronized
        request.ptpSocket = settings.ptpSocket
        request.ptpDomain = settings.ptpDomain
        return request
    }
}
