import Foundation
import Glibc
import Platform
import Testing

/// One row of the bad-input article's table (`Sources/Application/Application.docc/BadInput.md`): what a user
/// gives, and what they get.
struct BadInput: Sendable, CustomTestStringConvertible {
    var label: String
    var arguments: [String]
    var status: Int32
    /// The line the user reads (a part of it, as the bad-input article shows it).
    var message: String
    /// What must not exist afterwards (a half-written or stray file), relative to the folder.
    var absent: [String] = ["sdp"]

    var testDescription: String { label }

    /// Every row, in the bad-input article's order.
    static let all: [BadInput] = [
        BadInput(
            label: "a file that does not exist", arguments: ["nope.wav"], status: 66,
            message: "nope.wav: open: No such file or directory"),
        BadInput(
            label: "a folder with no .wav file", arguments: ["nowav"], status: 65,
            message: "nowav: no .wav files in the folder"),
        BadInput(label: "an empty file", arguments: ["empty.wav"], status: 65, message: "empty.wav: empty file"),
        BadInput(
            label: "a text file named .wav", arguments: ["text.wav"], status: 65,
            message: "text.wav: not a RIFF file (no 'RIFF' at the start)"),
        BadInput(
            label: "an A-law WAV", arguments: ["alaw.wav"], status: 65,
            message: "alaw.wav: unsupported format A-law: only PCM and IEEE float can be streamed"),
        BadInput(
            label: "a header cut short", arguments: ["short.wav"], status: 65,
            message: "short.wav: truncated header: needs 20 bytes, file has 16"),
        BadInput(
            label: "a data chunk longer than the file",
            arguments: ["--duration", "0.05", "--port", "29400", "long.wav"],
            status: 0,
            message: "long.wav: data chunk claims 1000000 bytes, the file holds 19200; streaming what is there",
            absent: []),
        BadInput(
            label: "a file name with control characters",
            arguments: ["--duration", "0.05", "--port", "29400", "evil\u{1B}[31mred.wav"],
            status: 0, message: "evil\\u{1b}[31mred", absent: []),
        BadInput(
            label: "an unknown flag", arguments: ["--bogus", "good.wav"], status: 64, message: "unknown option --bogus"),
        BadInput(
            label: "a port out of range", arguments: ["--port", "70000", "good.wav"], status: 64,
            message: "--port '70000': expected a whole number from 1 to 65535"),
        BadInput(
            label: "a packet time below AES67's shortest", arguments: ["--ptime", "0.1", "good.wav"], status: 64,
            message: "--ptime '0.1': expected milliseconds from 0.125 to 1000"),
        BadInput(
            label: "a number with an exponent", arguments: ["--duration", "1e3", "good.wav"], status: 64,
            message: "--duration '1e3': expected seconds above 0 and at most 31536000, written as a plain decimal"),
        BadInput(
            label: "a host that does not resolve", arguments: ["--ip", "no.such.host.invalid", "good.wav"], status: 68,
            message: "--ip: cannot resolve 'no.such.host.invalid'"),
        BadInput(
            label: "a static payload type for the wrong format", arguments: ["--payload-type", "10", "good.wav"],
            status: 64, message: "--payload-type 10 cannot carry L16 48000 Hz 2 ch"),
        BadInput(
            label: "--strict and a packet time the MTU cannot carry",
            arguments: ["--strict", "--ptime", "10", "good.wav"],
            status: 64,
            message:
                "--ptime 10 ms needs 1920 bytes of payload per packet, more than the 1460 that --mtu 1500 allows (--strict)"
        ),
        BadInput(
            label: "one --ssrc for two files", arguments: ["--ssrc", "7", "good.wav", "other.wav"], status: 64,
            message: "--ssrc names one SSRC, and 2 tracks cannot share it"),
        BadInput(
            label: "two files of one name", arguments: ["good.wav", "sub/good.wav"], status: 64,
            message: "two tracks are named 'good'; their SDP files would collide"),
        BadInput(
            label: "ports past 65535", arguments: ["--port", "65534", "good.wav", "other.wav"], status: 64,
            message: "--port 65534 leaves no room for track 2"),
        BadInput(
            label: "--stats where it cannot be written", arguments: ["--stats", "missing/stats.json", "good.wav"],
            status: 73, message: "--stats missing/stats.json: cannot be written"),
        BadInput(
            label: "an SDP path that is a symbolic link", arguments: ["--sdp-dir", "linked", "good.wav"], status: 73,
            message:
                "linked/good.sdp: cannot write SDP: not a regular file (a link, device or folder): it is not replaced",
            absent: []),
        BadInput(
            label: "a session file that is not JSON", arguments: ["--session", "take.json", "--node", "a"], status: 65,
            message: "take.json: not a JSON session description (the text ends inside a value)"),
        BadInput(
            label: "a session file that does not exist", arguments: ["--session", "missing.json", "--node", "a"],
            status: 66, message: "missing.json: cannot read the session file (open: No such file or directory)"),
        BadInput(
            label: "a session file whose format disagrees with the file",
            arguments: ["--session", "mismatch.json", "--node", "a"], status: 65,
            message: "mismatch.json: track 'good' declares L24 48000 Hz 2 ch, but good.wav is L16 48000 Hz 2 ch"),
        BadInput(
            label: "--session without --node", arguments: ["--session", "take.json"], status: 64,
            message: "--session and --node go together"),
        BadInput(
            label: "an interface that does not exist", arguments: ["--interface", "nosuch0", "good.wav"], status: 64,
            message: "--interface nosuch0: no interface has this name or address"),
        BadInput(
            label: "--aes67 to a unicast address", arguments: ["--aes67", "good.wav"], status: 64,
            message: "--aes67: track 'good' sends to 127.0.0.1, not to a multicast group"),
        BadInput(
            label: "--bundle narrower than a file", arguments: ["--bundle", "1", "good.wav"], status: 64,
            message:
                "--bundle 1: 'good' has 2 channels, more than a stream of the bundle carries (a file is never split)"),
        BadInput(
            label: "--bundle over files of two rates", arguments: ["--bundle", "4", "good.wav", "fast.wav"],
            status: 65,
            message:
                "--bundle: 'fast' is 96000 Hz 16-bit, 'good' of the same stream is 48000 Hz 16-bit: the files of one stream share rate and width"
        ),
        BadInput(
            label: "--bundle beyond 64 channels", arguments: ["--bundle", "65", "good.wav"], status: 64,
            message: "--bundle '65': expected a whole number from 1 to 64"),
        BadInput(
            label: "--bundle other than the take file's",
            arguments: ["--session", "mismatch.json", "--node", "a", "--bundle", "2"], status: 64,
            message:
                "--bundle would send other than mismatch.json tells every node and recorder to expect: set \"bundle\" in the file instead"
        ),
        BadInput(
            label: "an ST 2110-30 level that does not exist", arguments: ["--st2110-level", "D", "good.wav"],
            status: 64, message: "--st2110-level 'D': expected A, AX, B, BX, C or CX"),
        BadInput(
            label: "a 96 kHz file under a 48 kHz level", arguments: ["--st2110-level", "A", "fast.wav"], status: 64,
            message:
                "--st2110-level A: 'fast' is 2 channels at 96000 Hz; the level takes streams of up to 8 at 48000 Hz 1 ms (no resampling)"
        ),
        BadInput(
            label: "a second leg's option without --redundant-ip", arguments: ["--redundant-port", "6000", "good.wav"],
            status: 64, message: "--redundant-port, --redundant-interface and --redundant-bind go with --redundant-ip"),
        BadInput(
            label: "a second leg's interface that does not exist",
            arguments: ["--redundant-ip", "127.0.0.2", "--redundant-interface", "nosuch0", "good.wav"], status: 64,
            message: "--redundant-interface nosuch0: no interface has this name or address"),
        BadInput(
            label: "a second leg's host that does not resolve",
            arguments: ["--redundant-ip", "no.such.host.invalid", "good.wav"], status: 68,
            message: "--redundant-ip: cannot resolve 'no.such.host.invalid'"),
        BadInput(
            label: "record: a second leg's interface that does not exist",
            arguments: ["record", "-o", "take", "--redundant-interface", "nosuch0", "ok.sdp"], status: 64,
            message: "--redundant-interface nosuch0: no interface has this name or address", absent: ["take"]),
        BadInput(
            label: "record: a duplication group naming a leg that is not there",
            arguments: ["record", "-o", "take", "dupbad.sdp"], status: 65,
            message: "dupbad.sdp:7: a=group:DUP 1 3 names mid 3, which no audio section has", absent: ["take"]),
        BadInput(
            label: "record: a duplication group whose legs are not copies",
            arguments: ["record", "-o", "take", "dupdiff.sdp"], status: 65,
            message:
                "dupdiff.sdp:10: a=group:DUP 1 2: its legs differ in payload type, format or packet time, so they are not copies of one stream",
            absent: ["take"]),
        BadInput(
            label: "record: an SDP that does not exist", arguments: ["record", "nope.sdp"], status: 66,
            message: "nope.sdp: open: No such file or directory", absent: ["take"]),
        BadInput(
            label: "record: an SDP whose first line is not v=0", arguments: ["record", "-o", "take", "v1.sdp"],
            status: 65, message: "v1.sdp: line 1: the first line must be v=0", absent: ["take"]),
        BadInput(
            label: "record: an SDP of a codec it cannot record", arguments: ["record", "-o", "take", "opus.sdp"],
            status: 65, message: "opus.sdp:6: payload 111 opus/48000/2: only L16 and L24 can be recorded",
            absent: ["take"]),
        BadInput(
            label: "record: a port in use", arguments: ["record", "-o", "take", "busy.sdp"], status: 69,
            message: "port 29404: bind", absent: ["take"]),
        BadInput(
            label: "record: a file that exists", arguments: ["record", "-o", "out", "ok.sdp"], status: 73,
            message: "out/ok.wav exists already; record into another folder or move it away", absent: []),
        BadInput(
            label: "record: a folder that cannot be made", arguments: ["record", "-o", "/proc/forbidden", "ok.sdp"],
            status: 73, message: "/proc/forbidden: cannot create", absent: []),
        BadInput(
            label: "record: a latency of 0", arguments: ["record", "--latency", "0", "ok.sdp"], status: 64,
            message: "--latency '0': expected milliseconds from 1 to 10000", absent: []),
        BadInput(
            label: "analyze: a file that is not a capture", arguments: ["analyze", "text.pcap", "ok.sdp"], status: 65,
            message: "text.pcap: not a pcap or pcapng capture (it begins 0x68656C6C)", absent: []),
        BadInput(
            label: "analyze: a capture cut short", arguments: ["analyze", "cut.pcap", "ok.sdp"], status: 65,
            message: "cut.pcap: record 3 is cut short: 56 of its 58 bytes are there", absent: []),
        BadInput(
            label: "analyze: an empty capture", arguments: ["analyze", "empty.pcap", "ok.sdp"], status: 65,
            message: "empty.pcap: the capture holds no UDP datagram", absent: []),
        BadInput(
            label: "analyze: an SDP that names no stream in the capture",
            arguments: ["analyze", "other.pcap", "ok.sdp"], status: 65,
            message:
                "other.pcap: no packet of the streams described (ports 29402, 29403) is in the capture; its UDP ports: 6000",
            absent: []),
        BadInput(
            label: "analyze: a capture without a description", arguments: ["analyze", "other.pcap"], status: 65,
            message:
                "other.pcap: no SAP announcement in the capture describes a stream; give its SDP files or --port",
            absent: []),
        BadInput(
            label: "analyze: a capture that does not exist", arguments: ["analyze", "nope.pcap", "ok.sdp"], status: 66,
            message: "nope.pcap: open: No such file or directory", absent: []),
        BadInput(
            label: "analyze: an unknown profile", arguments: ["analyze", "--profile", "tight", "other.pcap"],
            status: 64, message: "--profile 'tight': expected narrow, wide or jtnm-2022", absent: []),
    ]
}

extension EndToEnd {
    /// The bad-input article's table, row by row: the message, the exit code, and nothing half-written or stray
    /// left behind. (The hostile peers of the table have their tests in HardeningTests and RTCPTests; a full disk in
    /// RecorderTests.)
    @Suite(.serialized)
    struct BadInputTests {
        /// The inputs every row draws on, made fresh in the row's folder.
        static func prepare(_ folder: ScratchFolder) throws -> UDPSocket {
            func wav(
                _ name: String, format: UInt16 = 1, bits: UInt16 = 16, frames: Int = 4800, declared: Int? = nil,
                rate: Int = 48_000
            ) throws {
                let blockAlign = 2 * Int(bits) / 8
                let data = [UInt8](repeating: 0x11, count: frames * blockAlign)
                var bytes = Array("RIFF".utf8) + le32(36 + data.count) + Array("WAVEfmt ".utf8) + le32(16)
                bytes += le16(format) + le16(2) + le32(rate) + le32(rate * blockAlign) + le16(UInt16(blockAlign))
                bytes += le16(bits) + Array("data".utf8) + le32(declared ?? data.count) + data
                try Data(bytes).write(to: URL(fileURLWithPath: folder.path(name)))
            }
            func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
            func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
            func text(_ name: String, _ content: String) throws {
                try content.write(toFile: folder.path(name), atomically: true, encoding: .utf8)
            }
            try wav("good.wav")
            try wav("other.wav")
            try wav("fast.wav", rate: 96_000)
            try FileManager.default.createDirectory(atPath: folder.path("sub"), withIntermediateDirectories: true)
            try wav("sub/good.wav")
            try wav("alaw.wav", format: 6, bits: 8)
            try wav("long.wav", declared: 1_000_000)
            try wav("evil\u{1B}[31mred.wav")
            try text("empty.wav", "")
            try text("text.wav", "hello, not a wav file\n")
            try Data(Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WAVEfmt ".utf8))
                .write(to: URL(fileURLWithPath: folder.path("short.wav")))
            try FileManager.default.createDirectory(atPath: folder.path("nowav"), withIntermediateDirectories: true)
            try text("nowav/readme.txt", "x")
            try text("take.json", #"{"name": "t", "tracks": [ {"file": "good.wav", "node": "a"} "#)
            try text(
                "mismatch.json",
                #"{"name": "t", "tracks": [{"file": "good.wav", "node": "a", "encoding": "L24", "sample_rate": 48000, "channels": 2}]}"#
            )
            // "\r\n" is one Character: dropping the first four drops "v=0\r\n".
            let head = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=ok\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            try text(
                "v1.sdp", "v=1\r\n" + head.dropFirst(4) + "m=audio 29402 RTP/AVP 96\r\na=rtpmap:96 L16/48000/2\r\n")
            try text("opus.sdp", head + "m=audio 29402 RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\n")
            try text("ok.sdp", head + "m=audio 29402 RTP/AVP 96\r\na=rtpmap:96 L16/48000/2\r\n")
            try text(
                "dupbad.sdp",
                head + "a=group:DUP 1 3\r\nm=audio 29402 RTP/AVP 96\r\na=rtpmap:96 L16/48000/2\r\na=mid:1\r\n"
                    + "m=audio 29406 RTP/AVP 96\r\na=rtpmap:96 L16/48000/2\r\na=mid:2\r\n")
            try text(
                "dupdiff.sdp",
                head + "a=group:DUP 1 2\r\nm=audio 29402 RTP/AVP 96\r\na=rtpmap:96 L16/48000/2\r\na=mid:1\r\n"
                    + "m=audio 29406 RTP/AVP 96\r\na=rtpmap:96 L24/48000/2\r\na=mid:2\r\n")
            // Captures: text, one whose second record is cut short, a header alone, one datagram to port 6000.
            let frame =
                [UInt8](repeating: 2, count: 12) + [0x08, 0x00, 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1]
                + [127, 0, 0, 1, 0x17, 0x70, 0x17, 0x70, 0, 8, 0, 0]
            let header = le32(0xA1B2_C3D4) + le16(2) + le16(4) + le32(0) + le32(0) + le32(65_535) + le32(1)
            let record = le32(1) + le32(0) + le32(frame.count) + le32(frame.count) + frame
            try text("text.pcap", "hello, not a capture\n")
            try Data(header + record + Array((record + record).dropLast(60))).write(
                to: URL(fileURLWithPath: folder.path("cut.pcap")))
            try Data(header).write(to: URL(fileURLWithPath: folder.path("empty.pcap")))
            try Data(header + record).write(to: URL(fileURLWithPath: folder.path("other.pcap")))
            try text("busy.sdp", head + "m=audio 29404 RTP/AVP 96\r\na=rtpmap:96 L16/48000/2\r\n")
            try FileManager.default.createDirectory(atPath: folder.path("out"), withIntermediateDirectories: true)
            try text("out/ok.wav", "an earlier take\n")
            try FileManager.default.createDirectory(atPath: folder.path("linked"), withIntermediateDirectories: true)
            try text("victim.txt", "precious\n")
            try FileManager.default.createSymbolicLink(
                atPath: folder.path("linked/good.sdp"), withDestinationPath: folder.path("victim.txt"))
            // Port 29404 is taken for the row that needs a port in use.
            return try boundReceiver(.ipv4, port: 29_404)
        }

        @Test(
            "each row of the bad-input article's table: its message, its exit code, nothing left",
            arguments: BadInput.all)
        func row(_ input: BadInput) throws {
            let folder = try ScratchFolder("bad-input")
            let busy = try Self.prepare(folder)
            let result = try withExtendedLifetime(busy) {
                try Subprocess.run(
                    BuiltProduct.audiostreamer, input.arguments, in: folder.url, label: "run", timeout: 20)
            }
            #expect(result.status == input.status, "exit \(result.status): \(result.error)")
            #expect(result.error.contains(input.message), "\(result.error)")
            if input.status != 0 {
                // A refusal is one line (and the usage hint after a usage error), never the clock's lines first.
                let lines = result.error.split(separator: "\n").filter { !$0.hasPrefix("Try 'audiostreamer") }
                let notes = lines.filter { $0.hasPrefix("note: ") }
                #expect(lines.count - notes.count == 1, "\(result.error)")
            }
            for path in input.absent {
                #expect(!FileManager.default.fileExists(atPath: folder.path(path)), "\(path) was left behind")
            }
            #expect(try String(contentsOfFile: folder.path("victim.txt"), encoding: .utf8) == "precious\n")
            #expect(try String(contentsOfFile: folder.path("out/ok.wav"), encoding: .utf8) == "an earlier take\n")
        }

        /// The bad-input article's table says what these rows say, word for word.
        @Test("the bad-input article's table holds every row's message")
        func articleHoldsEveryRow() throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let path = "Sources/Application/Application.docc/BadInput.md"
            let article = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            for input in BadInput.all {
                let shown = input.message.replacingOccurrences(of: "|", with: "\\|")
                #expect(article.contains(shown), "\(path) lacks the row \(input.label): \(shown)")
            }
        }
    }
}
