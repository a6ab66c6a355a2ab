import Application
import Arguments
import Interfaces
import Numbers
import Planning
import Sender
import Testing

@testable import audiostreamer

/// The command line: which command runs, what each option does, and the words for what the library reports.
@Suite struct CommandTests {
    func send(_ arguments: [String]) throws -> SendArguments {
        guard case .send(let settings) = try Command.parse(arguments) else {
            Issue.record("\(arguments) is not a send")
            return SendArguments()
        }
        return settings
    }

    @Test("the seed's command as written is a send")
    func seedCommand() throws {
        let settings = try send([
            "--ip", "192.168.0.125", "--port", "12345", "--delay_ms", "10", "--verbose", "FILE.wav",
        ])
        #expect(settings.take.destination == "192.168.0.125")
        #expect(settings.take.port == 12_345)
        #expect(settings.take.packetTime == PacketTime(milliseconds: "10"))
        #expect(settings.packetTimeSpelling == "--delay_ms")
        #expect(settings.verbose)
        #expect(settings.files == ["FILE.wav"])
    }

    @Test("send, demo and record are subcommands; anything else is send's")
    func subcommands() throws {
        #expect(try send(["send", "a.wav"]).files == ["a.wav"])
        guard case .demo(let demo) = try Command.parse(["demo", "--duration", "2"]) else {
            Issue.record("not a demo")
            return
        }
        #expect(demo.take.duration == ExactDecimal(numerator: 2))
        // As before subcommands: demo after options still means the demo.
        guard case .demo = try Command.parse(["--port", "5006", "demo"]) else {
            Issue.record("--port 5006 demo is not a demo")
            return
        }
        guard case .record(let record) = try Command.parse(["record", "-o", "take", "a.sdp", "b.sdp"]) else {
            Issue.record("record is not a record")
            return
        }
        #expect(record.sdpFiles == ["a.sdp", "b.sdp"] && record.take.output == .directory("take"))
    }

    @Test("realtime pacing where permitted by default; --realtime insists, --no-realtime opts out")
    func realtimePolicy() throws {
        #expect(try send(["a.wav"]).pacing.realtime == .wherePermitted)
        #expect(try send(["--realtime", "a.wav"]).pacing.realtime == .required)
        #expect(try send(["--no-realtime", "a.wav"]).pacing.realtime == .off)
    }

    @Test(
        "a second leg: --redundant-ip with its port, interface and bind address, in any order; alone they are refused")
    func secondLeg() throws {
        let settings = try send([
            "--redundant-port", "6004", "--redundant-ip", "239.70.1.2", "--redundant-interface", "eth1",
            "--redundant-bind", "192.168.1.2", "a.wav",
        ])
        #expect(
            settings.take.redundant
                == RedundantLeg(destination: "239.70.1.2", port: 6004, interface: "eth1", bindAddress: "192.168.1.2"))
        #expect(try send(["a.wav"]).take.redundant == nil)
        #expect(
            throws: UsageError("--redundant-port, --redundant-interface and --redundant-bind go with --redundant-ip")
        ) { try Command.parse(["--redundant-interface", "eth1", "a.wav"]) }
    }

    @Test("-- ends the options: a file may be named -x.wav")
    func doubleDashEndsOptions() throws {
        #expect(try send(["send", "--", "-x.wav", "--port"]).files == ["-x.wav", "--port"])
        #expect(try send(["--port", "5004", "--", "-x.wav"]).files == ["-x.wav"])
        #expect(throws: UsageError("unknown option -x.wav")) { try Command.parse(["send", "-x.wav"]) }
    }

    @Test("--name=value, and _ for - in long names")
    func spellings() throws {
        let settings = try send(["--port=6000", "--rtcp_mux", "--sdp-dir=out", "a.wav"])
        #expect(settings.take.port == 6000 && settings.take.rtcp == .multiplexed && settings.take.sdpDirectory == "out")
        #expect(throws: UsageError("--loop takes no value")) { try Command.parse(["--loop=yes", "a.wav"]) }
        #expect(throws: UsageError("--port needs a value")) { try Command.parse(["a.wav", "--port"]) }
    }

    @Test(
        "bad values and contradictions are refused with the option as written",
        arguments: [
            (["--port", "70000", "a.wav"], "--port '70000': expected a whole number from 1 to 65535"),
            (["--ptime", "0.1", "a.wav"], "--ptime '0.1': expected milliseconds from 0.125 to 1000"),
            (
                ["--ptime", "1", "--delay_ms", "2", "a.wav"],
                "--ptime and --delay_ms both set the packet time; give one"
            ),
            (["--rtcp-mux", "--rtcp-port", "7000", "a.wav"], "--rtcp-mux and --rtcp-port contradict each other"),
            (["--rtcp-port", "7000", "--rtcp-mux", "a.wav"], "--rtcp-mux and --rtcp-port contradict each other"),
            (
                ["--strict", "--allow-fragmentation", "a.wav"],
                "--strict and --allow-fragmentation contradict each other"
            ),
            (["--timestamps", "sometimes", "a.wav"], "--timestamps 'sometimes': expected wallclock, random or ptp"),
            (["--session", "t.json"], "--session and --node go together"),
            (["--session", "t.json", "--node", "a", "x.wav"], "--session names the files; give no FILE or demo"),
            (["demo", "x.wav"], "demo streams its own signal; give no FILE"),
            (["demo", "--session", "t.json"], "unknown option --session"),
            ([], "no FILE.wav given"),
            (["record"], "nothing to record: give SDP files, --session take.json, --port, or --sap"),
            (["record", "--port", "5004", "a.sdp"], "give SDP files, --session or --port, one of them"),
            (
                ["record", "--rate", "44100", "a.sdp"],
                "--format, --rate, --channels and --payload-type describe a --port stream"
            ),
            (
                ["record", "-o", "x", "--multichannel", "y.wav", "a.sdp"],
                "--output and --multichannel contradict each other"
            ),
            (["record", "--latency", "0", "a.sdp"], "--latency '0': expected milliseconds from 1 to 10000"),
        ])
    func refused(arguments: [String], message: String) {
        #expect(throws: UsageError(message)) { try Command.parse(arguments) }
    }

    @Test("each command prints its own usage; the top level lists the commands and send's options")
    func usages() throws {
        guard case .usage(let top) = try Command.parse(["--help"]),
            case .usage(let send) = try Command.parse(["send", "--help"]),
            case .usage(let demo) = try Command.parse(["demo", "--help"])
        else {
            Issue.record("--help is not usage")
            return
        }
        #expect(top.contains("commands:") && top.contains("  record ") && top.contains("--session <take.json>"))
        #expect(
            send.hasPrefix("usage: audiostreamer send") && send.contains("--port <n>") && !send.contains("commands:"))
        #expect(demo.hasPrefix("usage: audiostreamer demo") && !demo.contains("--session"))
        #expect(Set([top, send, demo]).count == 3)
    }
}

@Suite struct MessageTests {
    let messages = SendMessages(arguments: SendArguments(), terminal: false)

    @Test("failures are one line and a sysexits code")
    func failures() {
        #expect(
            messages.failure(.plan(.portOutOfRange(.destination, base: 65_534, slot: 1), takeFile: nil))
                == ("--port 65534 leaves no room for track 2", 64))
        #expect(messages.failure(.plan(.duplicateTrackName("a"), takeFile: nil)).code == 64)
        #expect(
            messages.failure(.plan(.noTrackForNode("pc1"), takeFile: "take.json"))
                == ("take.json: no track for node 'pc1'", 65))
        #expect(messages.failure(.takeFile(path: "t.json", .noTracks)) == ("t.json: no tracks", 65))
        #expect(
            messages.failure(
                .clockNotSynchronized(
                    ClockSyncStatus(isSynchronized: false, estimatedErrorMicroseconds: 0, maximumErrorMicroseconds: 0))
            ).code == 69)
        #expect(messages.failure(.sdpNotWritten(path: "sdp/a.sdp", reason: "no room")).code == 73)
        #expect(messages.failure(.inputUnreadable(path: "a.wav", reason: "open: No such file or directory")).code == 66)
    }

    @Test("a status line: media sent of the total, packets, late, worst lateness, refused and failed sends")
    func statusLine() {
        var counters = TrackCounters().snapshot
        counters.frames = 24_000
        counters.packets = 500
        counters.latePackets = 2
        counters.worstLatenessNanoseconds = 1_234_567
        counters.refusedSends = 3
        let line = SendMessages.statusLine(
            TrackProgress(name: "drums", sampleRate: 48_000, plannedFrames: 48_000, counters: counters, receivers: []))
        #expect(line == "drums: 0.500/1.000 s, 500 packets, 2 late (worst 1.235 ms), 3 refused, 0 failed")
    }

    @Test("the packet-time adjustment names the option the user gave")
    func adjustmentNamesTheOption() throws {
        var arguments = SendArguments()
        arguments.packetTimeFlag = "--delay_ms"
        let time = try #require(PacketTime(milliseconds: "10"))
        let sizing = try PacketSizing(
            packetTime: time, sampleRate: 48_000, bytesPerFrame: 4, mtu: 1500, ipOverhead: 28, policy: .fit)
        let text = SendMessages(arguments: arguments, terminal: false).lines(
            .plan(
                .packetTimeAdjusted(
                    track: "a", requested: time, sizing: sizing, bytesPerFrame: 4, mtu: 1500, sampleRate: 48_000)))
        #expect(
            text
                == "warning: --delay_ms 10 needs 1920 bytes per packet, more than the 1460 that --mtu 1500 allows; sending 5 ms packets (240 frames, 960 bytes) instead\n"
        )
    }
}
