import Foundation
import Glibc
import Interfaces
import PCM
import Platform
import RTP
import Testing

/// Everything a packet receiver in the test sees of one stream.
final class PacketLog {
    let socket: UDPSocket
    var packets: [(header: RTPHeader, arrival: Date)] = []
    var other: [[UInt8]] = []

    init(port: Int) throws {
        socket = try boundReceiver(.ipv4, port: port)
    }

    /// Receives until nothing has come for `quietSeconds` (after something came) or `seconds` pass.
    func collect(quietSeconds: Double = 1.5, seconds: Double = 30) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(seconds)
        var quiet = Date()
        while Date() < deadline && (packets.isEmpty || Date().timeIntervalSince(quiet) < quietSeconds) {
            guard !UDPSocket.waitForReadable([socket], milliseconds: 50).isEmpty else { continue }
            while let (count, _) = buffer.withUnsafeMutableBytes({ socket.receiveNow(into: $0) }) {
                quiet = Date()
                let bytes = Array(buffer[0..<count])
                if let packet = try? RTPPacket(parsing: bytes) {
                    packets.append((packet.header, quiet))
                } else {
                    other.append(bytes)
                }
            }
        }
    }
}

extension EndToEnd {
    /// The defects a new user and a hostile peer found, each fixed and shown here: no hang, no crash, no file
    /// overwritten, nothing from the network or a file name reaching the terminal as it is, signals that end a
    /// run as a user expects, and a stall that is said and does not burst.
    @Suite(.serialized)
    struct HardeningTests {
        static let stereo16 = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)

        static func send(_ arguments: [String], folder: ScratchFolder, label: String = "sender", timeout: Double = 20)
            throws -> (status: Int32, output: String, error: String)
        {
            try Subprocess.run(BuiltProduct.audiostreamer, arguments, in: folder.url, label: label, timeout: timeout)
        }

        // MARK: - Files cut short while streaming

        /// A file truncated to its header while it streams: with --loop the run ends by itself (it used to spin a
        /// core forever, deaf to SIGINT), without --loop it says the file was cut short; both exit 74.
        @Test(
            "a file cut to its header mid-stream: one line and exit 74, with and without --loop, never a hang",
            arguments: [false, true])
        func truncatedWhileStreaming(looping: Bool) throws {
            let folder = try ScratchFolder("truncated")
            let path = folder.path("shrinking.wav")
            try TestWAV(format: Self.stereo16, seconds: 6).write(to: path)
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                ["--port", "29200", "--sdp-dir", folder.path("sdp")] + (looping ? ["--loop"] : []) + [path],
                in: folder.url, label: "sender")
            Thread.sleep(forTimeInterval: 1.5)
            try #require(truncate(path, 44) == 0, "truncate: \(errno)")
            let status = sender.wait(seconds: 10)
            if status == nil { sender.send(SIGKILL) }
            #expect(status == 74, "exit \(status.map(String.init) ?? "none: it hung"): \(sender.standardError)")
            #expect(
                sender.standardError.contains("cut short while streaming"),
                "no word of the truncation: \(sender.standardError)")
        }

        // MARK: - Files never written through

        /// An SDP path that is a symbolic link is refused and what it points to is untouched; --stats to a device
        /// is refused at start and the device stays a device; a long track name works (the temporary name no longer
        /// grows with it); and no temporary file is left in the folder.
        @Test("a symlink or a device where a file goes is refused, not written through; long names work; no stray file")
        func filesAreNotWrittenThrough() throws {
            let folder = try ScratchFolder("no-overwrite")
            try TestWAV(format: Self.stereo16, seconds: 0.1).write(to: folder.path("a.wav"))
            try FileManager.default.createDirectory(atPath: folder.path("sdp"), withIntermediateDirectories: true)
            let victim = folder.path("victim.txt")
            try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: folder.path("sdp/a.sdp"), withDestinationPath: victim)
            let linked = try Self.send(
                ["--port", "29202", "--sdp-dir", folder.path("sdp"), folder.path("a.wav")], folder: folder)
            #expect(linked.status == 73, "\(linked.error)")
            #expect(linked.error.contains("not a regular file"), "\(linked.error)")
            #expect(
                try String(contentsOfFile: victim, encoding: .utf8) == "precious\n", "the link's target was written")

            let device = try Self.send(
                ["--port", "29202", "--stats", "/dev/full", "--sdp-dir", folder.path("sdp2"), folder.path("a.wav")],
                folder: folder)
            #expect(device.status == 73, "\(device.error)")
            #expect(device.error.contains("--stats /dev/full"), "\(device.error)")
            var status = stat()
            #expect(stat("/dev/full", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR, "/dev/full was replaced")
            #expect(!FileManager.default.fileExists(atPath: folder.path("sdp2/a.sdp")), "an SDP left by a failed start")

            // 240 bytes of name: within NAME_MAX (255) with ".sdp", which a suffix of the process id used to exceed.
            let long = String(repeating: "n", count: 240)
            try TestWAV(format: Self.stereo16, seconds: 0.1).write(to: folder.path("\(long).wav"))
            let named = try Self.send(
                ["--port", "29202", "--sdp-dir", folder.path("sdp3"), folder.path("\(long).wav")], folder: folder)
            #expect(named.status == 0, "\(named.error)")
            #expect(FileManager.default.fileExists(atPath: folder.path("sdp3/\(long).sdp")))
            let left = try FileManager.default.contentsOfDirectory(atPath: folder.path("sdp3"))
            #expect(left == ["\(long).sdp"], "the folder holds \(left)")
        }

        /// The second track's SDP cannot be written (a folder stands at its name): the start fails with one line and
        /// the first track's SDP, written a moment before, is removed.
        @Test("a start that fails on the second track's SDP leaves no SDP of the first")
        func failedStartLeavesNoSDP() throws {
            let folder = try ScratchFolder("failed-start")
            for name in ["a", "b"] {
                try TestWAV(format: Self.stereo16, seconds: 0.1).write(to: folder.path("\(name).wav"))
            }
            try FileManager.default.createDirectory(atPath: folder.path("sdp/b.sdp"), withIntermediateDirectories: true)
            let result = try Self.send(
                ["--port", "29204", "--sdp-dir", folder.path("sdp"), folder.path("a.wav"), folder.path("b.wav")],
                folder: folder)
            #expect(result.status == 73, "\(result.error)")
            #expect(result.error.contains("b.sdp"), "\(result.error)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("sdp/a.sdp")), "a.sdp was left behind")
        }

        /// --stats where nothing can be written is refused before anything streams, with no SDP left.
        @Test("--stats in a folder that does not exist is refused at start, exit 73, nothing left")
        func statisticsRefusedAtStart() throws {
            let folder = try ScratchFolder("stats-refused")
            try TestWAV(format: Self.stereo16, seconds: 1).write(to: folder.path("a.wav"))
            let began = Date()
            let result = try Self.send(
                [
                    "--port", "29206", "--stats", folder.path("missing/stats.json"), "--sdp-dir", folder.path("sdp"),
                    folder.path("a.wav"),
                ], folder: folder)
            #expect(result.status == 73, "\(result.error)")
            #expect(result.error.contains("--stats"), "\(result.error)")
            #expect(Date().timeIntervalSince(began) < 0.9, "it streamed before refusing")
            #expect(!FileManager.default.fileExists(atPath: folder.path("sdp/a.sdp")))
        }

        // MARK: - Hostile text and hostile peers

        /// A file name with an escape sequence and a line break is printed escaped: the terminal sees no ESC and no
        /// forged line.
        @Test("a file name with control characters is printed escaped")
        func fileNamesAreEscaped() throws {
            let folder = try ScratchFolder("names")
            let name = "evil\u{1B}[31mred\nforged line"
            try TestWAV(format: Self.stereo16, seconds: 0.05).write(to: folder.path("\(name).wav"))
            let result = try Self.send(
                ["--port", "29208", "--sdp-dir", folder.path("sdp"), folder.path("\(name).wav")], folder: folder)
            #expect(result.status == 0, "\(result.error)")
            #expect(!result.error.contains("\u{1B}[31m"), "an escape sequence reached the terminal")
            #expect(!result.error.contains("\nforged line"), "a forged line reached the log")
            #expect(result.error.contains("evil\\u{1b}[31mred\\nforged line"), "\(result.error)")
        }

        /// A peer sends receiver reports with a CNAME full of escape sequences, then 100 000 reports from distinct
        /// SSRCs: the summary shows the CNAME escaped, at most 64 receivers are kept, and the statistics and the
        /// output stay small.
        @Test("a hostile receiver: its CNAME printed escaped, 100 000 SSRCs kept to 64, output and stats bounded")
        func hostileReceivers() throws {
            let folder = try ScratchFolder("hostile")
            try TestWAV(format: Self.stereo16, seconds: 4).write(to: folder.path("a.wav"))
            let log = try PacketLog(port: 29_210)
            let statsPath = folder.path("stats.json")
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "--port", "29210", "--source-port", "29220", "--ssrc", "0x5EED", "--rtcp-interval", "0.2",
                    "--stats", statsPath, "--verbose", "--sdp-dir", folder.path("sdp"), folder.path("a.wav"),
                ], in: folder.url, label: "sender")
            // RTCP listens where RTP leaves from, towards loopback 127.0.0.1, not on every interface.
            #expect(waitForUDPListener(port: 29_221))
            let udp = (try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8)) ?? ""
            let rtcpLine = udp.split(separator: "\n").first { $0.contains(":\(String(format: "%04X", 29_221)) ") }
            #expect(rtcpLine?.contains("0100007F:\(String(format: "%04X", 29_221))") == true, "\(rtcpLine ?? "none")")

            let target = Endpoint.loopback(.ipv4, port: 29_221)
            let peer = try UDPSocket(family: .ipv4)
            func report(from reporter: UInt32, name: String?) -> [UInt8] {
                let block = RTCPReportBlock(
                    ssrc: 0x5EED, fractionLost: 0, cumulativeLost: 0, extendedHighestSequence: 1, jitter: 0,
                    lastSenderReport: 0, delaySinceLastSenderReport: 0)
                var packets: [RTCPPacket] = [.receiverReport(RTCPReceiverReport(ssrc: reporter, reports: [block]))]
                if let name {
                    packets.append(
                        .sourceDescription(
                            RTCPSourceDescription(chunks: [.init(ssrc: reporter, items: [.init(type: 1, text: name)])]))
                    )
                }
                return RTCPPacket.compound(packets)
            }
            let evil = report(from: 0xBAD, name: "\u{1B}]0;owned\u{07}\u{1B}[2J\r\nreceiver 0x1 forged")
            _ = evil.withUnsafeBytes { peer.send($0, to: target) }
            Thread.sleep(forTimeInterval: 0.2)
            for reporter in 1...100_000 {
                let bytes = report(from: UInt32(0x1000_0000 + reporter), name: "peer\(reporter)")
                _ = bytes.withUnsafeBytes { peer.send($0, to: target) }
                if reporter % 2000 == 0 { Thread.sleep(forTimeInterval: 0.01) }
            }
            // The evil one reports again at the end, so it is among the kept receivers whatever came between.
            _ = evil.withUnsafeBytes { peer.send($0, to: target) }
            log.collect()
            #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError.suffix(2000))")
            let error = sender.standardError
            #expect(
                !error.contains("\u{1B}]0;") && !error.contains("\u{1B}[2J"), "escape sequences reached the terminal")
            #expect(!error.contains("\nreceiver 0x1 forged"), "a forged line reached the log")
            #expect(error.contains("\\u{1b}]0;owned"), "the CNAME is not shown escaped: \(error.suffix(3000))")
            let statsSize = (try? FileManager.default.attributesOfItem(atPath: statsPath)[.size] as? Int) ?? nil
            #expect((statsSize ?? .max) < 64 * 1024, "stats file \(statsSize ?? -1) bytes")
            #expect(error.utf8.count < 2 << 20, "\(error.utf8.count) bytes of output")
            let stats = try String(contentsOfFile: statsPath, encoding: .utf8)
            let kept = stats.components(separatedBy: "\"reports\":").count - 1
            #expect(kept <= 64, "\(kept) receivers kept")
            #expect(log.packets.count == 4000, "the stream was disturbed: \(log.packets.count) packets")
        }

        // MARK: - Options

        /// Values far out of range, and port sums that would wrap, are usage errors with one line, never a trap.
        @Test(
            "option values far out of range and port sums past 65535 are usage errors (64), never a crash",
            arguments: [
                ["--duration", "1e300"], ["--duration", "99999999999999999999999"], ["--duration", "1e3"],
                ["--rtcp-interval", "1e30"], ["--rtcp-interval", "100000"], ["--ptime", "1e-400"],
                ["--ptime", "999999999999999999999999"], ["--start-at", "+99999999999999999999"],
                ["--start-at", "9999-12-31T23:59:59Z"], ["--timestamp", "99999999999"], ["--seq", "70000"],
                ["--ssrc", "0x1ffffffff"], ["--mtu", "99999999999999999999"], ["--spin-us", "99999999999999"],
                ["--ttl", "300"], ["--dscp", "64"], ["--max-late", "0"], ["--port", "65534"],
                ["--source-port", "65534"],
                ["--port", "65530", "--rtcp-port", "65535"], ["--ssrc", "7"],
            ])
        func outOfRangeOptions(_ arguments: [String]) throws {
            let folder = try ScratchFolder("ranges")
            for name in ["a", "b"] {
                try TestWAV(format: Self.stereo16, seconds: 0.1).write(to: folder.path("\(name).wav"))
            }
            let result = try Self.send(
                arguments + ["--sdp-dir", folder.path("sdp"), folder.path("a.wav"), folder.path("b.wav")],
                folder: folder, timeout: 10)
            #expect(result.status == 64, "\(arguments): exit \(result.status): \(result.error)")
            #expect(result.error.hasPrefix("audiostreamer: "), "\(result.error)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("sdp")), "\(arguments) left SDP files")
        }

        /// A start far ahead is said at once, with how long the wait is.
        @Test("--start-at a minute ahead says how long it waits")
        func farStartIsSaid() throws {
            let folder = try ScratchFolder("far-start")
            try TestWAV(format: Self.stereo16, seconds: 0.1).write(to: folder.path("a.wav"))
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                ["--port", "29230", "--start-at", "+60", "--sdp-dir", folder.path("sdp"), folder.path("a.wav")],
                in: folder.url, label: "sender")
            let deadline = Date().addingTimeInterval(5)
            while !sender.standardError.contains("waiting") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            #expect(sender.standardError.contains("waiting 59."), "\(sender.standardError)")
            #expect(sender.interrupt() == 0)
        }

        // MARK: - Signals

        /// SIGHUP (the terminal closed) ends the stream like SIGTERM: the last reports and BYE, the summary, exit 0.
        @Test("SIGHUP ends the stream cleanly: BYE sent, the summary printed, exit 0")
        func hangUpEndsCleanly() throws {
            let folder = try ScratchFolder("sighup")
            try TestWAV(format: Self.stereo16, seconds: 5).write(to: folder.path("a.wav"))
            let rtcp = try boundReceiver(.ipv4, port: 29_241)
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                ["--port", "29240", "--sdp-dir", folder.path("sdp"), folder.path("a.wav")], in: folder.url,
                label: "sender")
            Thread.sleep(forTimeInterval: 1)
            sender.send(SIGHUP)
            #expect(sender.wait(seconds: 5) == 0, "\(sender.standardError)")
            #expect(sender.standardError.contains("packets"), "no summary: \(sender.standardError)")
            var buffer = [UInt8](repeating: 0, count: 2048)
            var goodbye = false
            while !goodbye, !UDPSocket.waitForReadable([rtcp], milliseconds: 500).isEmpty,
                let (count, _) = buffer.withUnsafeMutableBytes({ rtcp.receiveNow(into: $0) })
            {
                let packets = (try? RTCPPacket.parseCompound(Array(buffer[0..<count]))) ?? []
                goodbye = packets.contains { if case .goodbye = $0 { true } else { false } }
            }
            #expect(goodbye, "no BYE after SIGHUP")
        }

        /// SIGQUIT (Ctrl-\) stops at once with one line, no backtrace, status 131; so does a second SIGINT.
        @Test("SIGQUIT stops at once: one line, no crash report, status 131")
        func quitStopsAtOnce() throws {
            let folder = try ScratchFolder("sigquit")
            try TestWAV(format: Self.stereo16, seconds: 5).write(to: folder.path("a.wav"))
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                ["--port", "29242", "--sdp-dir", folder.path("sdp"), folder.path("a.wav")], in: folder.url,
                label: "sender")
            Thread.sleep(forTimeInterval: 1)
            sender.send(SIGQUIT)
            #expect(sender.wait(seconds: 3) == 131, "\(sender.standardError)")
            #expect(sender.standardError.contains("SIGQUIT: stopped at once"), "\(sender.standardError)")
            #expect(!sender.standardError.contains("crashed"), "\(sender.standardError)")
        }

        /// Standard error is a pipe whose reader goes away: the stream goes on to its end, every packet sent.
        @Test("a closed stderr pipe stops the status lines, not the stream")
        func brokenStandardError() throws {
            let folder = try ScratchFolder("sigpipe")
            try TestWAV(format: Self.stereo16, seconds: 2).write(to: folder.path("a.wav"))
            let log = try PacketLog(port: 29_244)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: BuiltProduct.audiostreamer)
            process.arguments = ["--port", "29244", "--verbose", "--sdp-dir", folder.path("sdp"), folder.path("a.wav")]
            process.currentDirectoryURL = folder.url
            let pipe = Pipe()
            process.standardError = pipe
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            // The reader reads a little, then closes its end.
            _ = pipe.fileHandleForReading.availableData
            try pipe.fileHandleForReading.close()
            log.collect()
            process.waitUntilExit()
            #expect(
                process.terminationReason == .exit && process.terminationStatus == 0, "\(process.terminationStatus)")
            #expect(log.packets.count == 2000, "\(log.packets.count) of 2000 packets")
        }

        /// The process is stopped for a second (SIGSTOP) and continued: the stall is said once, with its length and
        /// how the backlog went: the last 200 ms of it sent at once, the older packets skipped with their sequence
        /// numbers used; the timestamps stay on the timeline and late never exceeds what was sent.
        @Test(
            "SIGSTOP for a second, then SIGCONT: the stall told once, its backlog capped at 200 ms, the timeline kept")
        func stallIsToldAndCapped() throws {
            let folder = try ScratchFolder("stall")
            try TestWAV(format: Self.stereo16, seconds: 4).write(to: folder.path("a.wav"))
            let log = try PacketLog(port: 29_246)
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "--port", "29246", "--seq", "0", "--timestamp", "0", "--sdp-dir", folder.path("sdp"),
                    folder.path("a.wav"),
                ], in: folder.url, label: "sender")
            Thread.sleep(forTimeInterval: 1)
            sender.send(SIGSTOP)
            Thread.sleep(forTimeInterval: 1)
            sender.send(SIGCONT)
            log.collect(quietSeconds: 2)
            #expect(sender.wait(seconds: 10) == 0, "\(sender.standardError)")
            let error = sender.standardError
            // The stop, a second behind at worst, told once (a loaded machine may add short stalls of its own).
            let stalls = error.split(separator: "\n").filter { $0.contains("stalled") }
            let long = stalls.filter { line in
                guard let range = line.range(of: " s behind at worst") else { return false }
                let worst = line[..<range.lowerBound].split(separator: " ").last.flatMap { Double($0) } ?? 0
                return worst >= 0.9
            }
            #expect(long.count == 1, "the stop told \(long.count) times:\n\(error)")
            // Every packet that came is on the timeline: timestamp = 48 x sequence number.
            #expect(log.packets.allSatisfy { $0.header.timestamp == 48 * UInt32($0.header.sequenceNumber) })
            let sequences = log.packets.map { Int($0.header.sequenceNumber) }
            let missing = 4000 - sequences.count
            #expect(Set(sequences).count == sequences.count && sequences.last == 3999, "duplicates or no end")
            // About 800 packets older than 200 ms were skipped, a little under 200 sent late at once.
            #expect((600...900).contains(missing), "\(missing) packets skipped:\n\(error)")
            #expect(long.first?.contains("\(missing) more than 200 ms late were skipped") == true, "\(error)")
            let summary = error.split(separator: "\n").last { $0.contains(" refused, ") }.map(String.init) ?? ""
            let packets = Int(summary.split(separator: ",")[1].split(separator: " ")[0]) ?? -1
            let late = Int(summary.split(separator: ",")[2].split(separator: " ")[0]) ?? .max
            #expect(packets == 4000 - missing && late <= packets, "\(summary)")
        }
    }
}
