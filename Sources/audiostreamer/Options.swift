import RTP
import Streaming

/// Exit codes from sysexits(3).
enum ExitCode {
    static let ok: Int32 = 0
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let noHost: Int32 = 68
    static let unavailable: Int32 = 69
    static let software: Int32 = 70
    static let osError: Int32 = 71
    static let cannotCreate: Int32 = 73
    static let ioError: Int32 = 74
}

/// A command line that cannot be understood; exit 64.
struct UsageError: Error, CustomStringConvertible {
    var description: String
}

/// The command line, parsed: what to stream and how.
struct Options {
    static let version = "0.1.0"

    var stream = StreamOptions()
    var pacing = PacingSettings()
    var files: [String] = []
    var demo = false
    /// Where to write the statistics JSON, if anywhere.
    var statsPath: String?
    /// The RTCP interval's minimum in seconds; nil is RFC 3550's 5 s.
    var rtcpMinimumSeconds: ExactDecimal?
    var rtcpReducedMinimum = false
    /// `--start-at` as written: ISO 8601 UTC or `+SECONDS`.
    var startAt: String?
    var ntpServer: String?
    var requireSync = false
    var sessionPath: String?
    var node: String?
    var verbose = false
    var help = false
    var showVersion = false

    /// The flags: name (with dashes; `_` in a user's spelling is read as `-`), whether it takes a value, help.
    static let flags: [(name: String, takesValue: Bool, help: String)] = [
        ("--ip", true, "destination host name or address, IPv4 or IPv6 (default 127.0.0.1)"),
        ("--port", true, "destination RTP port; use an even one, RTCP goes to port + 1 (default 5004)"),
        ("--delay-ms", true, "packet time in milliseconds, as --ptime (also --delay_ms)"),
        ("--ptime", true, "packet time in milliseconds, fractions allowed from 0.125 (default 1)"),
        ("--format", true, "payload: L16 or L24 (default: L16 for 8/16-bit files, L24 for wider ones)"),
        (
            "--payload-type", true,
            "RTP payload type: 96-127, or 10/11 for L16 44100 Hz stereo/mono (default: 10/11 where allowed, else 96)"
        ),
        ("--ssrc", true, "RTP SSRC, decimal or 0x hex (default random)"),
        ("--seq", true, "first RTP sequence number, 0-65535 (default random)"),
        ("--timestamp", true, "first RTP timestamp, 0-4294967295 (default: as --timestamps says)"),
        ("--mtu", true, "path MTU in bytes: datagrams never exceed it (default 1500)"),
        ("--allow-fragmentation", false, "keep the asked packet time even when IP must fragment it"),
        ("--strict", false, "refuse to start when the asked packet time does not fit the MTU"),
        ("--sdp-dir", true, "folder for the SDP files, one <track>.sdp per stream (default sdp)"),
        ("--duration", true, "stop after this many seconds of media, fractions allowed"),
        ("--loop", false, "start the file again at its end (until --duration or Ctrl-C)"),
        ("--rtcp-port", true, "destination RTCP port (default: RTP port + 1); the SDP then carries a=rtcp"),
        ("--rtcp-mux", false, "send RTCP on the RTP port (RFC 5761); the SDP carries a=rtcp-mux"),
        ("--rtcp-interval", true, "minimum seconds between RTCP reports before randomisation (default 5, RFC 3550)"),
        ("--rtcp-reduced-minimum", false, "use RFC 3550's reduced minimum interval, 360 / session kbit/s"),
        ("--source-port", true, "local port RTP leaves from, RTCP from the next one (default: chosen by the system)"),
        ("--cname", true, "RTCP CNAME for every stream of this process (default user@local-address)"),
        (
            "--stats", true,
            "write per-stream and per-receiver statistics as JSON to this file, every 2 s and at the end"
        ),
        ("--start-at", true, "wall-clock start of the first sample: ISO 8601 UTC (2026-11-29T12:00:00.5Z) or +SECONDS"),
        ("--timestamps", true, "first RTP timestamp: wallclock (UTC time x rate, the default) or random"),
        (
            "--ntp-server", true,
            "the NTP server this host follows, for the SDP's a=ts-refclk (default: from chrony/ntpd configuration)"
        ),
        ("--require-sync", false, "refuse to start unless the kernel says the clock is synchronised (adjtimex)"),
        ("--session", true, "a take across PCs as JSON: tracks, files, nodes, destination, port, start (see README)"),
        ("--node", true, "which node of --session this PC is: it sends that node's tracks"),
        ("--spin-us", true, "wake this many microseconds before each deadline and spin the rest (default 0)"),
        ("--realtime", false, "pace with SCHED_FIFO priority where permitted"),
        ("--verbose", false, "show a live status line per stream (also -v)"),
        ("--help", false, "show this help (also -h)"),
        ("--version", false, "show the version"),
    ]

    static var usage: String {
        var text = """
            usage: audiostreamer [options] FILE.wav [FILE.wav | DIR ...]
                   audiostreamer demo [options]

            Streams WAV files in real time as RTP (L16/L24) to --ip, track i to --port + 2i, and writes an SDP
            file per track (and session.sdp with every track) that ffplay, ffmpeg and GStreamer open. A DIR
            stands for its .wav files in name order. `demo` streams a generated 440/660 Hz test tone (10 s
            unless --duration or --loop says otherwise).

            options:

            """
        for flag in flags {
            let name = flag.takesValue ? "\(flag.name) VALUE" : flag.name
            text += "  " + name.padding(to: 26) + flag.help + "\n"
        }
        return text
    }

    /// Parses the arguments after the program name.
    init(arguments: [String]) throws {
        var index = 0
        var packetTimeFlag: String?
        func value(for flag: String, inline: String?) throws -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw UsageError(description: "\(flag) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            defer { index += 1 }
            if argument == "-h" {
                help = true
                continue
            }
            if argument == "-v" {
                verbose = true
                continue
            }
            guard argument.hasPrefix("--") else {
                if argument.hasPrefix("-") && argument != "-" {
                    throw UsageError(description: "unknown option \(argument)")
                }
                if argument == "demo" && files.isEmpty && !demo {
                    demo = true
                } else {
                    files.append(argument)
                }
                continue
            }
            let parts = argument.split(separator: "=", maxSplits: 1)
            let written = String(parts[0])
            let name = "--" + written.dropFirst(2).replacingUnderscores()
            let inline = parts.count > 1 ? String(parts[1]) : nil
            guard let flag = Self.flags.first(where: { $0.name == name }) else {
                throw UsageError(description: "unknown option \(written)")
            }
            if !flag.takesValue, inline != nil {
                throw UsageError(description: "\(written) takes no value")
            }
            switch name {
            case "--ip": stream.host = try value(for: written, inline: inline)
            case "--port": stream.port = try Self.integer(try value(for: written, inline: inline), written, 1...65535)
            case "--delay-ms", "--ptime":
                if let earlier = packetTimeFlag, earlier != written {
                    throw UsageError(description: "\(earlier) and \(written) both set the packet time; give one")
                }
                let text = try value(for: written, inline: inline)
                guard let time = PacketTime(milliseconds: text), time.milliseconds.scaled(by: 1000) >= 125,
                    time.milliseconds.scaled(by: 1) <= 1000
                else {
                    throw UsageError(description: "\(written) '\(text)': expected milliseconds from 0.125 to 1000")
                }
                stream.packetTime = time
                stream.packetTimeFlag = written
                packetTimeFlag = written
            case "--format":
                let text = try value(for: written, inline: inline)
                guard let encoding = AudioPayloadEncoding(name: text) else {
                    throw UsageError(description: "--format '\(text)': expected L16 or L24")
                }
                stream.encoding = encoding
            case "--payload-type":
                stream.payloadType = UInt8(try Self.integer(try value(for: written, inline: inline), written, 0...127))
            case "--ssrc":
                stream.ssrc = UInt32(
                    try Self.integer(try value(for: written, inline: inline), written, 0...0xFFFF_FFFF))
            case "--seq":
                stream.initialSequenceNumber = UInt16(
                    try Self.integer(try value(for: written, inline: inline), written, 0...65535))
            case "--timestamp":
                stream.initialTimestamp = UInt32(
                    try Self.integer(try value(for: written, inline: inline), written, 0...0xFFFF_FFFF))
            case "--mtu": stream.mtu = try Self.integer(try value(for: written, inline: inline), written, 576...65535)
            case "--allow-fragmentation", "--strict":
                let policy: FragmentationPolicy = name == "--strict" ? .strict : .allowFragmentation
                if stream.fragmentation != .fit && stream.fragmentation != policy {
                    throw UsageError(description: "--strict and --allow-fragmentation contradict each other")
                }
                stream.fragmentation = policy
            case "--sdp-dir":
                stream.sdpDirectory = try value(for: written, inline: inline)
                guard !stream.sdpDirectory.isEmpty else { throw UsageError(description: "--sdp-dir needs a folder") }
            case "--duration":
                let text = try value(for: written, inline: inline)
                guard let seconds = ExactDecimal(text), !seconds.isZero else {
                    throw UsageError(description: "--duration '\(text)': expected a positive number of seconds")
                }
                stream.durationSeconds = seconds
            case "--loop": stream.loops = true
            case "--rtcp-port":
                stream.rtcpPort = try Self.integer(try value(for: written, inline: inline), written, 1...65535)
            case "--rtcp-mux": stream.rtcpMultiplexed = true
            case "--start-at":
                let text = try value(for: written, inline: inline)
                guard StartTime.parse(text, now: 0) != nil else {
                    throw UsageError(
                        description:
                            "--start-at '\(text)': expected an ISO 8601 UTC time such as 2026-11-29T12:00:00.5Z, or +SECONDS"
                    )
                }
                startAt = text
            case "--timestamps":
                switch try value(for: written, inline: inline) {
                case "wallclock": stream.timestampOrigin = .wallClock
                case "random": stream.timestampOrigin = .random
                case let other: throw UsageError(description: "--timestamps '\(other)': expected wallclock or random")
                }
            case "--ntp-server": ntpServer = try value(for: written, inline: inline)
            case "--require-sync": requireSync = true
            case "--session": sessionPath = try value(for: written, inline: inline)
            case "--node": node = try value(for: written, inline: inline)
            case "--source-port":
                stream.sourcePort = try Self.integer(try value(for: written, inline: inline), written, 1...65534)
            case "--rtcp-interval":
                let text = try value(for: written, inline: inline)
                guard let seconds = ExactDecimal(text), seconds.scaled(by: 1000) >= 10 else {
                    throw UsageError(description: "--rtcp-interval '\(text)': expected seconds, at least 0.01")
                }
                rtcpMinimumSeconds = seconds
            case "--rtcp-reduced-minimum": rtcpReducedMinimum = true
            case "--cname":
                let text = try value(for: written, inline: inline)
                guard !text.isEmpty, text.utf8.count <= 255 else {
                    throw UsageError(description: "--cname needs 1 to 255 bytes")
                }
                stream.canonicalName = text
            case "--stats":
                statsPath = try value(for: written, inline: inline)
            case "--spin-us":
                pacing.spinNanoseconds =
                    Int64(try Self.integer(try value(for: written, inline: inline), written, 0...10_000)) * 1000
            case "--realtime": pacing.realtime = true
            case "--verbose": verbose = true
            case "--help": help = true
            case "--version": showVersion = true
            default: throw UsageError(description: "unknown option \(written)")
            }
        }
        if help || showVersion { return }
        if stream.rtcpMultiplexed && stream.rtcpPort != nil {
            throw UsageError(description: "--rtcp-mux and --rtcp-port contradict each other")
        }
        if rtcpReducedMinimum && rtcpMinimumSeconds != nil {
            throw UsageError(description: "--rtcp-interval and --rtcp-reduced-minimum contradict each other")
        }
        if demo && !files.isEmpty {
            throw UsageError(description: "demo streams its own signal; give no FILE")
        }
        if (sessionPath == nil) != (node == nil) {
            throw UsageError(description: "--session and --node go together")
        }
        if sessionPath != nil && (demo || !files.isEmpty) {
            throw UsageError(description: "--session names the files; give no FILE or demo")
        }
        if !demo && files.isEmpty && sessionPath == nil { throw UsageError(description: "no FILE.wav given") }
    }

    /// A whole number in `range`, decimal or 0x hexadecimal.
    static func integer(_ text: String, _ flag: String, _ range: ClosedRange<Int>) throws -> Int {
        let value = text.lowercased().hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
        guard let value, range.contains(value) else {
            throw UsageError(
                description:
                    "\(flag) '\(text)': expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}

extension Substring {
    func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
