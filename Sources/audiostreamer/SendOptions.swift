import Application
import Arguments

/// What `send` and `demo` were told on the command line.
struct SendArguments: Sendable {
    var take = Take()
    var pacing = PacingSettings()
    var statisticsPath: String?
    var requireSync = false
    var ntpServer: String?
    var takeFile: String?
    var node: String?
    var verbose = false
    var help = false
    var showVersion = false
    /// How the packet time was asked for (`--ptime` or `--delay_ms`), to name it in messages.
    var sap = false
    var sapAddress: String?
    var ptpSocket = PTPClient.defaultSocketPath
    var ptpDomain: UInt8?
    /// The second leg (SMPTE ST 2022-7) as the `--redundant-*` options give it, whatever their order.
    var redundantDestination: String?
    var redundantPort: Int?
    var redundantInterface: String?
    var redundantBind: String?
    var packetTimeFlag: String?
    /// The start as written, to name it in messages.
    var startText: String?
    var files: [String] = []

    /// The spelling messages use for the packet time.
    var packetTimeSpelling: String { packetTimeFlag ?? "--ptime" }
}

/// The options of `send` (and of `demo`, but for `--session` and `--node`), each declared once.
enum SendOptions {
    static let all: [OptionSpec<SendArguments>] = [
        .value(
            ["--ip"], "host",
            help: "destination host name or address, IPv4 or IPv6 (default \(Take.Defaults.destination))"
        ) { arguments, value, _ in
            arguments.take.destination = value
        },
        .value(
            ["--port"], "n",
            help:
                "destination RTP port of track 0, track i on port + 2i; use an even one (default \(Take.Defaults.port))"
        ) { arguments, value, spelling in
            arguments.take.port = try OptionValue.integer(value, spelling, 1...TakeRules.highestPort)
        },
        .value(["--delay-ms"], "ms", help: "packet time in milliseconds, as --ptime (also --delay_ms)") {
            arguments, value, spelling in
            try setPacketTime(&arguments, value, spelling)
        },
        .value(
            ["--ptime"], "ms",
            help: "packet time in milliseconds, fractions allowed from 0.125 to 1000 (default \(PacketTime.standard))"
        ) { arguments, value, spelling in try setPacketTime(&arguments, value, spelling) },
        SharedOptions.format(\.take.encoding, help: "payload (default: L16 for 8/16-bit files, L24 for wider ones)"),
        SharedOptions.payloadType(
            \.take.payloadType,
            help:
                "RTP payload type: 96-127, or 10/11 for L16 44100 Hz stereo/mono (default: 10/11 where allowed, else 96)"
        ),
        .value(["--ssrc"], "n", help: "RTP SSRC, decimal or 0x hex (default random)") { arguments, value, spelling in
            arguments.take.ssrc = UInt32(try OptionValue.integer(value, spelling, 0...0xFFFF_FFFF))
        },
        .value(["--seq"], "n", help: "first RTP sequence number, 0-65535 (default random)") {
            arguments, value, spelling in
            arguments.take.initialSequenceNumber = UInt16(try OptionValue.integer(value, spelling, 0...65535))
        },
        .value(["--timestamp"], "n", help: "first RTP timestamp, 0-4294967295 (default: as --timestamps says)") {
            arguments, value, spelling in
            arguments.take.initialTimestamp = UInt32(try OptionValue.integer(value, spelling, 0...0xFFFF_FFFF))
        },
        .value(["--mtu"], "bytes", help: "path MTU in bytes: datagrams never exceed it (default \(Take.Defaults.mtu))")
        { arguments, value, spelling in
            arguments.take.mtu = try OptionValue.integer(value, spelling, 576...65535)
        },
        .value(
            ["--bundle"], "n",
            help:
                "pack the tracks, in order, into streams of at most n channels (1-64), a file never split; stream k to --port + 2k"
        ) { arguments, value, spelling in
            arguments.take.bundle = try OptionValue.integer(value, spelling, 1...64)
        },
        SharedOptions.st2110Level(
            \.take.st2110Level,
            help:
                "what SMPTE ST 2110-30 receivers of that level take: L24, 48 kHz (96 kHz under X), tracks bundled up to the level's channels at 1 ms or 125 us, SAP, PTP"
        ),
        .flag(["--allow-fragmentation"], help: "keep the asked packet time even when IP must fragment it") {
            arguments in
            try setFragmentation(&arguments, .allowFragmentation)
        },
        .flag(["--strict"], help: "refuse to start when the asked packet time does not fit the MTU") { arguments in
            try setFragmentation(&arguments, .strict)
        },
        .value(
            ["--sdp-dir"], "dir",
            help: "folder for the SDP files, one <track>.sdp per stream (default \(Take.Defaults.sdpDirectory))"
        ) { arguments, value, spelling in
            guard !value.isEmpty else { throw UsageError("\(spelling) needs a folder") }
            arguments.take.sdpDirectory = value
        },
        SharedOptions.duration(\.take.duration, help: "stop after this many seconds of media, fractions allowed"),
        .flag(["--loop"], help: "start the file again at its end (until --duration or Ctrl-C)") { arguments in
            arguments.take.loops = true
        },
        .value(["--rtcp-port"], "n", help: "destination RTCP port (default: RTP port + 1); the SDP then carries a=rtcp")
        { arguments, value, spelling in
            guard arguments.take.rtcp != .multiplexed else { throw rtcpContradiction }
            arguments.take.rtcp = .port(try OptionValue.integer(value, spelling, 1...TakeRules.highestPort))
        },
        .flag(["--rtcp-mux"], help: "send RTCP on the RTP port (RFC 5761); the SDP carries a=rtcp-mux") { arguments in
            if case .port = arguments.take.rtcp { throw rtcpContradiction }
            arguments.take.rtcp = .multiplexed
        },
        .value(
            ["--rtcp-interval"], "seconds",
            help: "minimum seconds between RTCP reports before randomisation (default 5, RFC 3550)"
        ) { arguments, value, spelling in
            let seconds = try DecimalValue.parse(
                value, spelling, ExactDecimal(numerator: 1, denominator: 100)...ExactDecimal(numerator: 3600),
                unit: "seconds")
            guard arguments.take.rtcpInterval != .reducedMinimum else { throw intervalContradiction }
            arguments.take.rtcpInterval = .minimum(seconds)
        },
        .flag(["--rtcp-reduced-minimum"], help: "use RFC 3550's reduced minimum interval, 360 / session kbit/s") {
            arguments in
            if case .minimum = arguments.take.rtcpInterval { throw intervalContradiction }
            arguments.take.rtcpInterval = .reducedMinimum
        },
        .value(
            ["--source-port"], "n",
            help: "local port RTP leaves from, RTCP from the next one (default: chosen by the system)"
        ) { arguments, value, spelling in
            arguments.take.sourcePort = try OptionValue.integer(value, spelling, 1...65534)
        },
        SharedOptions.canonicalName(
            \.take.canonicalName, help: "RTCP CNAME for every stream of this process (default user@local-address)"),
        SharedOptions.statistics(
            \.statisticsPath,
            help: "write per-stream and per-receiver statistics as JSON to this file, every 2 s and at the end"),
        SharedOptions.startAt(
            \.take.start, text: \.startText,
            help: "wall-clock start of the first sample: ISO 8601 UTC (2026-11-29T12:00:00.5Z) or +SECONDS"),
        .value(
            ["--timestamps"], "wallclock|random|ptp",
            help: "first RTP timestamp: wallclock (UTC time x rate, the default), random, or ptp (TAI, PTP's time)"
        ) { arguments, value, spelling in
            arguments.take.timestampOrigin = try OptionValue.choice(
                value, spelling, [("wallclock", .wallClock), ("random", .random), ("ptp", .ptp)])
        },
        SharedOptions.dscp(
            \.take.network.dscp,
            help: "DSCP of RTP and RTCP, 0-63 (default \(NetworkOptions.defaultDSCP), AF41, as AES67 asks)"),
        .value(
            ["--ttl"], "n",
            help: "multicast TTL (IPv4) or hop limit (IPv6), 1-255 (default \(NetworkOptions.defaultMulticastTTL))"
        ) { arguments, value, spelling in
            arguments.take.network.ttl = try OptionValue.integer(value, spelling, 1...255)
        },
        SharedOptions.interface(
            \.take.network.interface, help: "the interface multicast leaves by (default: the routing table's)"),
        .flag(["--multicast-loop"], help: "let this host's own sockets hear its multicast") {
            $0.take.network.multicastLoop = true
        },
        .value(["--bind"], "addr", help: "the local address the sending sockets bind to (default: the system's choice)")
        {
            arguments, value, spelling in
            guard IPAddress(value) != nil else {
                throw UsageError("\(spelling) '\(value)': expected a numeric address")
            }
            arguments.take.network.bindAddress = value
        },
        .value(
            ["--redundant-ip"], "host",
            help:
                "SMPTE ST 2022-7: send every packet again, identically and from the same deadline, to this host on a second network"
        ) { arguments, value, spelling in
            guard !value.isEmpty else { throw UsageError("\(spelling) needs a host name or address") }
            arguments.redundantDestination = value
        },
        .value(["--redundant-port"], "n", help: "the second leg's RTP port of track 0 (default: --port)") {
            arguments, value, spelling in
            arguments.redundantPort = try OptionValue.integer(value, spelling, 1...65535)
        },
        SharedOptions.redundantInterface(
            \.redundantInterface, help: "the interface the second leg's multicast leaves by"),
        .value(["--redundant-bind"], "addr", help: "the local address the second leg's sockets bind to") {
            arguments, value, spelling in
            guard IPAddress(value) != nil else {
                throw UsageError("\(spelling) '\(value)': expected a numeric address")
            }
            arguments.redundantBind = value
        },
        .flag(["--sap"], help: "announce every stream with SAP (RFC 2974) to 239.255.255.255:9875, deleted at the end")
        {
            $0.sap = true
        },
        SharedOptions.sapAddress(
            \.sapAddress, sap: \.sap, help: "the multicast group SAP announces to (implies --sap)"),
        .flag(
            ["--aes67"],
            help: "what AES67 receivers accept: multicast --ip, L24, 48 kHz, 1 ms, at most 8 channels, SAP, PTP"
        ) { arguments in
            // What AES67 implies (L24, SAP, PTP time) the planning layer and the send command decide.
            arguments.take.aes67 = true
        },
        SharedOptions.ptp4lSocket(
            \.ptpSocket, help: "ptp4l's management socket (default \(PTPClient.defaultSocketPath))"),
        SharedOptions.ptpDomain(
            \.ptpDomain, help: "the PTP domain to ask ptp4l about (default: the one it answers in)"),
        .value(
            ["--ntp-server"], "host",
            help:
                "the NTP server this host follows, for the SDP's a=ts-refclk (default: from chrony/ntpd configuration)"
        ) { arguments, value, _ in arguments.ntpServer = value },
        .flag(["--require-sync"], help: "refuse to start unless the kernel says the clock is synchronised (adjtimex)") {
            arguments in
            arguments.requireSync = true
        },
        SharedOptions.takeFile(
            \.takeFile,
            help: "a take file shared by every PC: tracks, files, nodes and every setting of the wire (see the docs)"),
        .value(["--node"], "name", help: "which node of --session this PC is: it sends that node's tracks") {
            arguments, value, _ in
            arguments.node = value
        },
        .value(
            ["--spin-us"], "n",
            help:
                "wake this many microseconds before each deadline and spin the rest (default: a tenth of the packet time, at most 60; 0: sleep only)"
        ) { arguments, value, spelling in
            arguments.pacing.spinNanoseconds = Int64(try OptionValue.integer(value, spelling, 0...10_000)) * 1000
        },
        .flag(
            ["--realtime"],
            help: "pace with SCHED_FIFO priority, and warn where it is not permitted (the default asks silently)"
        ) { arguments in
            arguments.pacing.realtime = .required
        },
        .flag(["--no-realtime"], help: "pace with normal priority (where several senders share few cores)") {
            arguments in
            arguments.pacing.realtime = .off
        },
        .value(
            ["--max-late"], "ms",
            help: "after a stall, packets later than this are skipped instead of sent at once (default 200)"
        ) { arguments, value, spelling in
            arguments.pacing.maximumLatenessNanoseconds =
                Int64(try OptionValue.integer(value, spelling, 1...60_000)) * 1_000_000
        },
        .value(
            ["--pacing-threads"], "n",
            help:
                "threads that pace the tracks (default: one per \(PacingSettings.tracksPerThread) tracks, at most one per CPU)"
        ) { arguments, value, spelling in
            arguments.pacing.threads = try OptionValue.integer(value, spelling, 1...64)
        },
        SharedOptions.verbose(\.verbose, help: "show a live status line per stream"),
        SharedOptions.help(\.help),
        .flag(["--version"], help: "show the version") { arguments in arguments.showVersion = true },
    ]

    static let rtcpContradiction = UsageError("--rtcp-mux and --rtcp-port contradict each other")
    static let intervalContradiction = UsageError("--rtcp-interval and --rtcp-reduced-minimum contradict each other")

    /// The request the arguments make: `demo` streams the built-in signal, `send` the files or a take file's part.
    static func request(_ settings: SendArguments, demo: Bool) -> SendRequest {
        let tracks: SendRequest.Tracks =
            if demo {
                .testSignal(name: "demo")
            } else if let path = settings.takeFile, let node = settings.node {
                .takeFile(path: path, node: node)
            } else {
                .paths(settings.files)
            }
        var request = SendRequest(take: settings.take, tracks: tracks)
        request.pacing = settings.pacing
        request.statisticsPath = settings.statisticsPath
        request.requireSync = settings.requireSync
        request.ntpServer = settings.ntpServer
        request.sap = settings.sap
        request.sapAddress = settings.sapAddress
        request.ptpSocket = settings.ptpSocket
        request.ptpDomain = settings.ptpDomain
        return request
    }

    /// The options `demo` takes: all of `send`'s but those that name a take file.
    static let demo = all.filter { !$0.names.contains("--session") && !$0.names.contains("--node") }

    static func setPacketTime(_ arguments: inout SendArguments, _ text: String, _ spelling: String) throws(UsageError) {
        if let earlier = arguments.packetTimeFlag, earlier != spelling {
            throw UsageError("\(earlier) and \(spelling) both set the packet time; give one")
        }
        guard let time = PacketTime.allowed(text) else {
            throw UsageError("\(spelling) '\(text)': expected milliseconds from 0.125 to 1000")
        }
        arguments.take.packetTime = time
        arguments.packetTimeFlag = spelling
    }

    static func setFragmentation(_ arguments: inout SendArguments, _ policy: FragmentationPolicy) throws(UsageError) {
        if arguments.take.fragmentation != .fit && arguments.take.fragmentation != policy {
            throw UsageError("--strict and --allow-fragmentation contradict each other")
        }
        arguments.take.fragmentation = policy
    }

    /// Parses `send`'s arguments (or `demo`'s with `demo`) and checks that they go together.
    static func parse(_ arguments: [String], demo: Bool) throws(UsageError) -> SendArguments {
        var settings = SendArguments()
        settings.files = try ArgumentParser.parse(arguments, options: demo ? Self.demo : all, into: &settings)
        if settings.help || settings.showVersion { return settings }
        try validate(settings, demo: demo)
        if let destination = settings.redundantDestination {
            settings.take.redundant = RedundantLeg(
                destination: destination, port: settings.redundantPort, interface: settings.redundantInterface,
                bindAddress: settings.redundantBind)
        } else if settings.redundantPort != nil || settings.redundantInterface != nil || settings.redundantBind != nil {
            throw UsageError("--redundant-port, --redundant-interface and --redundant-bind go with --redundant-ip")
        }
        return settings
    }

    static func validate(_ settings: SendArguments, demo: Bool) throws(UsageError) {
        if demo && !settings.files.isEmpty { throw UsageError("demo streams its own signal; give no FILE") }
        if (settings.takeFile == nil) != (settings.node == nil) { throw UsageError("--session and --node go together") }
        if settings.takeFile != nil && !settings.files.isEmpty {
            throw UsageError("--session names the files; give no FILE or demo")
        }
        if !demo && settings.files.isEmpty && settings.takeFile == nil { throw UsageError("no FILE.wav given") }
    }
}
