import Application
import Arguments

/// The subcommands, and what runs when the first argument names none.
enum Command {
    case usage(String)
    case version
    case send(SendArguments)
    case demo(SendArguments)
    case record(RecordArguments)
    case analyze(AnalyzeArguments)

    static let versionNumber = "0.2.0"

    /// Which command the arguments ask for, parsed. A first argument that names no command is `send`'s, so the
    /// original tool's command line works as written.
    static func parse(_ arguments: [String]) throws(UsageError) -> Command {
        switch arguments.first {
        case "--help", "-h": return .usage(usage)
        case "--version": return .version
        case "send": return try send(Array(arguments.dropFirst()), usage: sendUsage)
        case "demo": return try demo(Array(arguments.dropFirst()))
        case "record":
            let settings = try RecordOptions.parse(Array(arguments.dropFirst()))
            return settings.help ? .usage(recordUsage) : .record(settings)
        case "analyze":
            let settings = try AnalyzeOptions.parse(Array(arguments.dropFirst()))
            return settings.help ? .usage(analyzeUsage) : .analyze(settings)
        default:
            // Before subcommands, `demo` could also come after options: it still does where no file is named.
            var settings = SendArguments()
            let operands = try ArgumentParser.parse(arguments, options: SendOptions.all, into: &settings)
            if operands == ["demo"] && settings.takeFile == nil {
                return try demo(arguments.filter { $0 != "demo" })
            }
            return try send(arguments, usage: usage)
        }
    }

    static func send(_ arguments: [String], usage: String) throws(UsageError) -> Command {
        let settings = try SendOptions.parse(arguments, demo: false)
        if settings.help { return .usage(usage) }
        return settings.showVersion ? .version : .send(settings)
    }

    static func demo(_ arguments: [String]) throws(UsageError) -> Command {
        let settings = try SendOptions.parse(arguments, demo: true)
        if settings.help { return .usage(demoUsage) }
        return settings.showVersion ? .version : .demo(settings)
    }

    static let commands = """
        commands:
          send      stream WAV files in real time as RTP; what runs when the first argument names no command
          demo      stream a generated 440/660 Hz test tone (10 s unless --duration or --loop)
          record    receive RTP streams into WAV files aligned to the sample, from SDP files or a take file
          analyze   judge RTP audio streams, live or from a pcap/pcapng capture: loss, PIT, TS-DF, verdicts
        """ + "\n"

    static let sendDescription = """
        Streams WAV files in real time as RTP (L16/L24) to --ip, track i to --port + 2i, and writes an SDP
        file per track (and session.sdp with every track) that ffplay, ffmpeg and GStreamer open. A DIR
        stands for its .wav files in name order; after --, every argument is a file, even one starting with -.
        """ + "\n"

    static var usage: String {
        """
        usage: audiostreamer [send] [options] FILE.wav|DIR ...
               audiostreamer demo [options]
               audiostreamer record [options]
               audiostreamer analyze [options]
        """ + "\n\n" + sendDescription + "\n" + commands + "\noptions of send:\n\n"
            + ArgumentParser.help(SendOptions.all)
            + "\nRun 'audiostreamer <command> --help' for one command's options.\n"
    }

    static var sendUsage: String {
        "usage: audiostreamer send [options] [--] FILE.wav|DIR ...\n\n" + sendDescription + "\noptions:\n\n"
            + ArgumentParser.help(SendOptions.all)
    }

    static var recordUsage: String {
        """
        usage: audiostreamer record [options] [--] FILE.sdp ...
               audiostreamer record --session take.json [options]
               audiostreamer record --port <n> [--format L16|L24 --rate <hz> --channels <n>] [options]

        Receives RTP streams (L16/L24) and writes one WAV per track, every sample at its place on one timeline:
        packets reordered by sequence number and placed by RTP timestamp, every lost packet a gap of silence of its
        exact length, counted; tracks placed by RFC 7273 media clocks or by RTCP sender reports, all starting at
        the take's time zero. Receiver reports go back to each sender.
        """ + "\n\noptions:\n\n" + ArgumentParser.help(RecordOptions.all)
    }

    static var analyzeUsage: String {
        """
        usage: audiostreamer analyze [options] [--] FILE.sdp ...
               audiostreamer analyze [options] CAPTURE.pcap|CAPTURE.pcapng|- [FILE.sdp ...]
               audiostreamer analyze --sap [options] [NAME ...]
               audiostreamer analyze --port <n> [--format L16|L24 --rate <hz> --channels <n> --ptime <ms>] [options]

        Tells whether RTP audio streams are right, as a test lab measures them: packets, loss, order and
        duplicates; the packet interval time (PIT); EBU Tech 3337's timestamped delay factor (TS-DF) per
        measurement period; the RTP timestamp against arrival; RFC 3550 jitter; the payload against its
        description; levels per channel; RTCP. Live it listens for --duration (or until Ctrl-C) and times each
        packet by the kernel; from a capture (a file, or - for standard input) it uses the capture's times, and
        the streams are described by the SDP files given or by the SAP announcements in the capture. Each
        stream's timing is narrow (TS-DF below a packet time), wide (at most 17) or outside, as EBU LIST's
        profiles have it. One line per stream on standard error; exit 0 when every stream meets --profile,
        1 when one does not.
        """ + "\n\noptions:\n\n" + ArgumentParser.help(AnalyzeOptions.all)
    }

    static var demoUsage: String {
        """
        usage: audiostreamer demo [options]

        Streams a generated test tone (440 Hz left, 660 Hz right, 48 kHz stereo 16-bit) to --ip and --port,
        writing <sdp-dir>/demo.sdp: 10 s unless --duration or --loop says otherwise.
        """ + "\n\noptions:\n\n" + ArgumentParser.help(SendOptions.demo)
    }
}
