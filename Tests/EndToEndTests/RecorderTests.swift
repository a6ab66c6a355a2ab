import Foundation
import Glibc
import Interfaces
import PCM
import Platform
import Testing
import WAV

/// A WAV file the recorder wrote, read back with the project's own reader.
struct RecordedFile {
    let layout: WAVLayout
    let samples: [UInt8]

    init(_ path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        layout = try WAVLayout(parsing: bytes)
        samples = Array(bytes[layout.dataOffset..<(layout.dataOffset + layout.dataByteCount)])
    }

    var frames: Int { layout.frameCount }

    /// Frames `range` of the file's samples.
    func frames(_ range: Range<Int>) -> ArraySlice<UInt8> {
        let size = layout.format.bytesPerFrame
        return samples[(range.lowerBound * size)..<(range.upperBound * size)]
    }
}

/// The recorder's statistics file.
struct RecorderStatistics {
    let json: [String: Any]

    init(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    var start: Int64? { (json["start_unix_ns"] as? NSNumber)?.int64Value }

    func track(_ name: String) throws -> [String: Any] {
        let tracks = try #require(json["tracks"] as? [[String: Any]])
        return try #require(tracks.first { $0["track"] as? String == name }, "no track \(name) in \(json)")
    }

    func int(_ name: String, _ key: String) throws -> Int {
        try #require((try track(name)[key] as? NSNumber)?.intValue, "\(name).\(key)")
    }
}

extension EndToEnd {
    /// `audiostreamer record` judged by its files: every sample at its place, gaps exact and counted, against
    /// audiostreamer's own streams, ffmpeg's and GStreamer's, through loss, reordering and signals.
    @Suite(.serialized)
    struct RecorderTests {
        static let stereo24 = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)

        /// Starts the recorder with `arguments` and waits until it listens on `port`.
        static func recorder(_ arguments: [String], folder: ScratchFolder, port: Int, label: String = "recorder")
            throws -> Subprocess
        {
            let recorder = try Subprocess(
                BuiltProduct.audiostreamer, ["record"] + arguments, in: folder.url, label: label)
            #expect(waitForUDPListener(port: port), "the recorder never bound \(port): \(recorder.standardError)")
            return recorder
        }

        /// Two tracks from audiostreamer, recorded from its session.sdp: bit-exact, one length, a valid WAV with the
        /// take's start in `bext`; the sender sees the recorder as a receiver with nothing lost.
        @Test(
            "audiostreamer's two tracks, recorded from its session.sdp: bit-exact, bext TimeReference, the recorder a receiver",
            ExternalTool.ffmpeg.trait)
        func recordsAudiostreamerBitExact() throws {
            let ffprobe = try #require(
                ExternalTool.ffmpeg.path.map { $0.replacingOccurrences(of: "ffmpeg", with: "ffprobe") })
            let folder = try ScratchFolder("record-own")
            let sources = (0..<2).map { TestWAV(format: Self.stereo24, seconds: 5, seed: UInt64(70 + $0)) }
            for (index, source) in sources.enumerated() { try source.write(to: folder.path("track\(index).wav")) }
            // A start 3 s ahead: the sender writes its SDP files at once, the recorder reads them, then the take starts.
            // Built first (the first end-to-end test builds it, which takes longer than the 3 s ahead).
            _ = BuiltProduct.audiostreamer
            let start = Date().addingTimeInterval(3)
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "--port", "28000", "--sdp-dir", folder.path("sdp"), "--stats", folder.path("send.json"),
                    "--start-at", "+3", folder.path("track0.wav"), folder.path("track1.wav"),
                ], in: folder.url, label: "sender")
            let sdp = folder.path("sdp/session.sdp")
            while !FileManager.default.fileExists(atPath: sdp) && Date() < start { Thread.sleep(forTimeInterval: 0.02) }
            let recorder = try Self.recorder(
                ["-o", folder.path("take"), "--stats", folder.path("rec.json"), sdp], folder: folder, port: 28_002)
            #expect(sender.wait(seconds: 20) == 0, "\(sender.standardError)")
            #expect(recorder.wait(seconds: 10) == 0, "the recorder did not end on the BYEs: \(recorder.standardError)")
            let statistics = try RecorderStatistics(folder.path("rec.json"))
            for (index, source) in sources.enumerated() {
                let file = try RecordedFile(folder.path("take/track\(index).wav"))
                #expect(file.layout.format == Self.stereo24)
                #expect(file.samples == source.samples, "track \(index) differs from its source")
                #expect(try statistics.int("track\(index)", "lost") == 0)
                #expect(try statistics.int("track\(index)", "received") == 5000)
                #expect(try statistics.int("track\(index)", "offset_frames") == 0)
            }
            // ffprobe reads the file, its duration and the bext time reference: the start in samples since midnight.
            let probe = try Subprocess.run(
                ffprobe, ["-hide_banner", "-show_format", folder.path("take/track0.wav")], in: folder.url,
                label: "ffprobe")
            #expect(probe.output.contains("duration=5.000000"), "\(probe.output)")
            let zero = try #require(statistics.start)
            let midnight = zero % 86_400_000_000_000
            let reference = (midnight / 1_000_000_000) * 48_000 + (midnight % 1_000_000_000) * 48_000 / 1_000_000_000
            #expect(probe.output.contains("TAG:time_reference=\(reference)"), "\(probe.output)")
            // The sender's statistics name the recorder as a receiver: nothing lost, a jitter and a round trip.
            let send = try String(contentsOfFile: folder.path("send.json"), encoding: .utf8)
            let sent = try #require(try JSONSerialization.jsonObject(with: Data(send.utf8)) as? [String: Any])
            let streams = try #require(sent["tracks"] as? [[String: Any]])
            for stream in streams {
                let receivers = try #require(stream["receivers"] as? [[String: Any]], "\(send)")
                let recorderEntry = try #require(receivers.first, "no receiver report reached the sender: \(send)")
                #expect((recorderEntry["cumulative_lost"] as? NSNumber)?.intValue == 0, "\(recorderEntry)")
                let jitter = try #require((recorderEntry["jitter_ms"] as? NSNumber)?.doubleValue)
                let roundTrip = try #require((recorderEntry["rtt_ms"] as? NSNumber)?.doubleValue, "\(recorderEntry)")
                #expect(jitter >= 0 && jitter < 5, "jitter \(jitter) ms")
                #expect(roundTrip > 0 && roundTrip < 50, "round trip \(roundTrip) ms")
            }
        }

        /// SIGINT mid-take finishes the file; SIGKILL leaves one that is valid up to its last patch.
        @Test(
            "SIGINT leaves valid WAVs of the right duration; SIGKILL leaves files ffprobe opens, short by at most 1 s",
            ExternalTool.ffmpeg.trait)
        func signalsLeaveValidFiles() throws {
            let ffprobe = try #require(
                ExternalTool.ffmpeg.path.map { $0.replacingOccurrences(of: "ffmpeg", with: "ffprobe") })
            let folder = try ScratchFolder("record-signals")
            let sender = try Subprocess(
                BuiltProduct.audiostreamer, ["demo", "--loop", "--port", "28010", "--sdp-dir", folder.path("sdp")],
                in: folder.url, label: "demo")
            defer { sender.interrupt() }
            func duration(_ path: String) throws -> Double? {
                let probe = try Subprocess.run(
                    ffprobe, ["-hide_banner", "-show_entries", "format=duration", "-of", "csv=p=0", path],
                    in: folder.url, label: "probe")
                return Double(probe.output.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            // SIGINT: the file finished, its duration what the recorder says it wrote.
            let interrupted = try Self.recorder(
                [
                    "--port", "28010", "--format", "L16", "--rate", "48000", "--channels", "2", "-o",
                    folder.path("int"), "--stats", folder.path("int.json"),
                ], folder: folder, port: 28_010, label: "int")
            Thread.sleep(forTimeInterval: 2)
            #expect(interrupted.interrupt() == 0, "\(interrupted.standardError)")
            let written = try RecorderStatistics(folder.path("int.json")).int("port 28010", "frames_written")
            #expect(written > 48_000, "\(written) frames")
            let measured = try #require(try duration(folder.path("int/port 28010.wav")))
            #expect(abs(measured - Double(written) / 48_000) < 0.0001, "ffprobe \(measured) s, written \(written)")
            #expect(try RecordedFile(folder.path("int/port 28010.wav")).frames == written)
            // SIGKILL after 2.5 s: the header was patched within the last second.
            let killed = try Self.recorder(
                [
                    "--port", "28010", "--format", "L16", "--rate", "48000", "--channels", "2", "-o",
                    folder.path("kill"),
                ],
                folder: folder, port: 28_010, label: "kill")
            let began = Date()
            Thread.sleep(forTimeInterval: 2.5)
            killed.send(SIGKILL)
            _ = killed.wait(seconds: 5)
            let elapsed = Date().timeIntervalSince(began)
            let left = try #require(try duration(folder.path("kill/port 28010.wav")), "ffprobe cannot open it")
            #expect(left >= elapsed - 1.0 - 0.5 && left <= elapsed, "\(left) s left of \(elapsed) s")
        }

        /// Every track interleaved in one file, in the take's order.
        @Test("--multichannel: two stereo tracks in one 4-channel WAV, each channel its source")
        func multichannel() throws {
            let folder = try ScratchFolder("record-multi")
            let sources = (0..<2).map { TestWAV(format: Self.stereo24, seconds: 2, seed: UInt64(84 + $0)) }
            for (index, source) in sources.enumerated() { try source.write(to: folder.path("m\(index).wav")) }
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "--port", "28050", "--sdp-dir", folder.path("sdp"), "--start-at", "+2", folder.path("m0.wav"),
                    folder.path("m1.wav"),
                ], in: folder.url, label: "sender")
            #expect(waitForFile(folder.path("sdp/session.sdp")))
            let recorder = try Self.recorder(
                ["--multichannel", folder.path("out/take.wav"), folder.path("sdp/session.sdp")], folder: folder,
                port: 28_052)
            #expect(sender.wait(seconds: 20) == 0, "\(sender.standardError)")
            #expect(recorder.wait(seconds: 10) == 0, "\(recorder.standardError)")
            let file = try RecordedFile(folder.path("out/take.wav"))
            #expect(file.layout.format == PCMFormat(encoding: .signed24, channelCount: 4, sampleRate: 48_000))
            #expect(file.frames == 96_000)
            var expected: [UInt8] = []
            expected.reserveCapacity(96_000 * 12)
            for frame in 0..<96_000 {
                for source in sources { expected += source.samples[(6 * frame)..<(6 * frame + 6)] }
            }
            #expect(file.samples == expected, "the channels are not the sources interleaved")
        }

        /// What the recorder cannot do is one line naming the thing and the problem, a sysexits code, and no file.
        @Test(
            "an SDP it cannot use, a port in use, a file that exists, a folder it cannot write: one line, no file",
            arguments: [
                ("opus", 65, "rec.sdp:6: payload 111 opus/48000/2: only L16 and L24 can be recorded"),
                ("version", 65, "rec.sdp: line 1: the first line must be v=0"),
                ("port", 69, "port 28060: bind"),
                ("exists", 73, "exists already"),
                ("folder", 73, "cannot create"),
            ])
        func badInput(_ label: String, _ status: Int32, _ message: String) throws {
            let folder = try ScratchFolder("record-bad")
            let valid =
                "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=rec\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 28060 RTP/AVP 96\n"
                + "a=rtpmap:96 L16/48000/2\n"
            var sdp = valid
            var output = folder.path("take")
            var holder: UDPSocket?
            switch label {
            case "opus":
                sdp = valid.replacingOccurrences(of: "RTP/AVP 96", with: "RTP/AVP 111")
                    .replacingOccurrences(of: "96 L16/48000/2", with: "111 opus/48000/2")
            case "version": sdp = valid.replacingOccurrences(of: "v=0", with: "v=1")
            case "port":
                holder = try UDPSocket(family: .ipv4)
                try holder?.bind(to: .wildcard(.ipv4, port: 28_060), reusingAddress: false)
            case "exists":
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                try "keep me".write(toFile: output + "/rec.wav", atomically: true, encoding: .utf8)
            default: output = "/proc/audiostreamer-cannot-write-here"
            }
            try sdp.write(toFile: folder.path("rec.sdp"), atomically: true, encoding: .utf8)
            let result = try Subprocess.run(
                BuiltProduct.audiostreamer, ["record", "-o", output, folder.path("rec.sdp")], in: folder.url,
                label: "record", timeout: 20)
            withExtendedLifetime(holder) {}
            #expect(result.status == status, "\(label): exit \(result.status): \(result.error)")
            #expect(result.error.split(separator: "\n").count == 1, "\(label): \(result.error)")
            #expect(result.error.hasPrefix("audiostreamer: ") && result.error.contains(message), "\(result.error)")
            if label == "exists" {
                #expect(try String(contentsOfFile: output + "/rec.wav", encoding: .utf8) == "keep me")
            } else {
                #expect(!FileManager.default.fileExists(atPath: folder.path("take")), "\(label): files were made")
            }
        }

        /// A full disk (a tiny tmpfs): writing stops, the file stays a valid WAV of what was written, exit 74.
        @Test(
            "a full disk stops the recording with exit 74 and leaves a valid WAV",
            .enabled(if: geteuid() == 0 || ExternalTool.required, "needs root to mount a small tmpfs"))
        func fullDisk() throws {
            let folder = try ScratchFolder("record-full")
            let small = folder.path("small")
            try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
            let mounted = try Subprocess.run(
                "/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", small], in: folder.url, label: "mount")
            try #require(mounted.status == 0, "\(mounted.error)")
            defer { _ = try? Subprocess.run("/bin/umount", [small], in: folder.url, label: "umount") }
            let sender = try Subprocess(
                BuiltProduct.audiostreamer, ["demo", "--loop", "--port", "28070", "--sdp-dir", folder.path("sdp")],
                in: folder.url, label: "demo")
            defer { sender.interrupt() }
            let result = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["record", "--port", "28070", "--format", "L16", "--rate", "48000", "--channels", "2", "-o", small],
                in: folder.url, label: "record", timeout: 30)
            #expect(result.status == 74, "exit \(result.status): \(result.error)")
            #expect(
                result.error.contains("writing stopped") && result.error.contains("No space left"), "\(result.error)")
            let file = try RecordedFile(small + "/port 28070.wav")
            #expect(file.frames > 10_000, "\(file.frames) frames")
            #expect(file.layout.format.channelCount == 2)
        }

        /// Finds where `recorded` starts inside `source` (both whole frames of `frameSize` bytes): the frame offset at
        /// which the recording's first 64 frames (past any leading silence) stand in the source.
        static func offset(of recorded: RecordedFile, in source: [UInt8], frameSize: Int) -> (
            recorded: Int, source: Int
        )? {
            let frames = recorded.frames
            guard let first = (0..<frames).first(where: { recorded.frames($0..<$0 + 1).contains { $0 != 0 } }),
                first + 64 <= frames
            else { return nil }
            let probe = Array(recorded.frames(first..<first + 64))
            for start in 0..<(source.count / frameSize - 64)
            where source[start * frameSize] == probe[0]
                && Array(source[(start * frameSize)..<((start + 64) * frameSize)]) == probe
            {
                return (first, start)
            }
            return nil
        }

        /// Every frame the recording and the source have in common is equal; returns how many there are.
        static func overlapEquals(_ recorded: RecordedFile, _ source: [UInt8], frameSize: Int) -> (
            equal: Bool, frames: Int
        ) {
            guard let (first, start) = offset(of: recorded, in: source, frameSize: frameSize) else { return (false, 0) }
            let count = min(recorded.frames - first, source.count / frameSize - start)
            let equal =
                Array(recorded.frames(first..<first + count))
                == Array(source[(start * frameSize)..<((start + count) * frameSize)])
            return (equal, count)
        }

        /// ffmpeg's RTP muxer, described by its own -sdp_file (written by a short run first, so the recorder listens
        /// before the real one starts): recorded bit-exact.
        @Test("ffmpeg -f rtp with its -sdp_file: recorded bit-exact over the overlap", ExternalTool.ffmpeg.trait)
        func recordsFFmpeg() throws {
            let ffmpeg = try ExternalTool.ffmpeg.require()
            let folder = try ScratchFolder("record-ffmpeg")
            let format = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)
            let source = TestWAV(format: format, seconds: 3, seed: 81)
            try source.write(to: folder.path("in.wav"))
            let output = [
                "-c:a", "pcm_s16be", "-f", "rtp", "rtp://127.0.0.1:28020", "-sdp_file", folder.path("ff.sdp"),
            ]
            let dry = try Subprocess.run(
                ffmpeg, ["-nostdin", "-loglevel", "error", "-y", "-t", "0.05", "-i", folder.path("in.wav")] + output,
                in: folder.url, label: "ffmpeg-dry")
            #expect(dry.status == 0, "\(dry.error)")
            let recorder = try Self.recorder(
                ["-o", folder.path("take"), "--idle", "2", "--stats", folder.path("rec.json"), folder.path("ff.sdp")],
                folder: folder, port: 28_020)
            let sender = try Subprocess.run(
                ffmpeg, ["-nostdin", "-loglevel", "error", "-y", "-re", "-i", folder.path("in.wav")] + output,
                in: folder.url, label: "ffmpeg", timeout: 30)
            #expect(sender.status == 0, "\(sender.error)")
            #expect(recorder.wait(seconds: 15) == 0, "\(recorder.standardError)")
            let name = try #require(
                try FileManager.default.contentsOfDirectory(atPath: folder.path("take")).first, "no file written")
            let file = try RecordedFile(folder.path("take/\(name)"))
            #expect(file.layout.format == format)
            let (equal, frames) = Self.overlapEquals(file, source.samples, frameSize: 4)
            #expect(equal, "the recording differs from ffmpeg's source")
            #expect(frames >= 48_000 * 2, "only \(frames) frames in common")
            print(
                "ffmpeg: \(frames) of \(source.frames) frames recorded bit-exact; \(recorder.standardError.split(separator: "\n").last ?? "")"
            )
        }

        /// GStreamer's rtpL24pay into rtpbin (RTP and RTCP), described by a hand-written SDP: recorded bit-exact.
        @Test(
            "GStreamer rtpL24pay into rtpbin with a hand-written SDP: recorded bit-exact", ExternalTool.gstLaunch.trait)
        func recordsGStreamer() throws {
            let gst = try ExternalTool.gstLaunch.require()
            let folder = try ScratchFolder("record-gstreamer")
            let source = TestWAV(format: Self.stereo24, seconds: 3, seed: 82)
            try source.write(to: folder.path("in.wav"))
            let sdp = [
                "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=gstreamer", "c=IN IP4 127.0.0.1", "t=0 0",
                "m=audio 28030 RTP/AVP 96", "a=rtpmap:96 L24/48000/2", "",
            ].joined(separator: "\n")
            try sdp.write(toFile: folder.path("gst.sdp"), atomically: true, encoding: .utf8)
            let recorder = try Self.recorder(
                ["-o", folder.path("take"), "--idle", "2", folder.path("gst.sdp")], folder: folder, port: 28_030)
            let pipeline = [
                "-q", "rtpbin", "name=rtpbin", "filesrc", "location=\(folder.path("in.wav"))", "!", "wavparse", "!",
                "audioconvert", "!", "audio/x-raw,format=S24BE,rate=48000,channels=2", "!", "rtpL24pay", "pt=96", "!",
                "rtpbin.send_rtp_sink_0", "rtpbin.send_rtp_src_0", "!", "udpsink", "host=127.0.0.1", "port=28030",
                "rtpbin.send_rtcp_src_0", "!", "udpsink", "host=127.0.0.1", "port=28031", "sync=false", "async=false",
            ]
            let sender = try Subprocess(gst, pipeline, in: folder.url, label: "gst")
            #expect(recorder.wait(seconds: 20) == 0, "\(recorder.standardError)\ngst: \(sender.standardError)")
            // The recorder ends 2 s after the last packet. gst-launch sometimes never exits after its EOS (rtpbin's
            // RTCP source can hold it): what it sent is what is judged here, so it is stopped if it lingers.
            if sender.wait(seconds: 5) == nil {
                print("gst-launch still running 5 s after the recorder finished: stopped")
                _ = sender.interrupt(waiting: 2)
            }
            let file = try RecordedFile(folder.path("take/gstreamer.wav"))
            let (equal, frames) = Self.overlapEquals(file, source.samples, frameSize: 6)
            #expect(equal, "the recording differs from GStreamer's source")
            #expect(frames >= 48_000 * 2, "only \(frames) frames in common")
        }

        /// A relay between sender and recorder that swaps packets, sends some twice, and holds a few past the window.
        @Test("reordered, duplicated and too-late packets: bit-exact but for the late ones, counted late and filled")
        func reorderedDuplicatedLate() throws {
            let folder = try ScratchFolder("record-relay")
            let source = TestWAV(format: Self.stereo24, seconds: 3, seed: 83)
            try source.write(to: folder.path("t.wav"))
            // The sender writes its SDP for the relay's port; the recorder gets the same with the recorder's port.
            let dry = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--port", "28040", "--sdp-dir", folder.path("sdp"), "--duration", "0.01", folder.path("t.wav")],
                in: folder.url, label: "dry")
            #expect(dry.status == 0, "\(dry.error)")
            let text = try String(contentsOfFile: folder.path("sdp/t.sdp"), encoding: .utf8)
            try text.replacingOccurrences(of: "m=audio 28040 ", with: "m=audio 28044 ")
                .write(toFile: folder.path("rec.sdp"), atomically: true, encoding: .utf8)
            let relay = try Relay(from: 28_040, to: 28_044)
            let recorder = try Self.recorder(
                [
                    "-o", folder.path("take"), "--latency", "50", "--stats", folder.path("rec.json"),
                    folder.path("rec.sdp"),
                ],
                folder: folder, port: 28_044)
            let sender = try Subprocess.run(
                BuiltProduct.audiostreamer, ["--port", "28040", "--sdp-dir", folder.path("sdp"), folder.path("t.wav")],
                in: folder.url, label: "sender", timeout: 30)
            #expect(sender.status == 0, "\(sender.error)")
            relay.finish()
            #expect(recorder.wait(seconds: 15) == 0, "\(recorder.standardError)")
            let file = try RecordedFile(folder.path("take/t.wav"))
            let statistics = try RecorderStatistics(folder.path("rec.json"))
            #expect(file.frames == 144_000)
            // Packet n holds frames 48n ..< 48n + 48: the held ones are silence, every other frame as sent.
            for packet in 0..<3000 {
                let recorded = Array(file.frames((48 * packet)..<(48 * packet + 48)))
                let sent = Array(source.samples[(6 * 48 * packet)..<(6 * 48 * (packet + 1))])
                if relay.held.contains(packet) {
                    #expect(recorded.allSatisfy { $0 == 0 }, "held packet \(packet) is not silence")
                } else if recorded != sent {
                    Issue.record("packet \(packet) differs")
                    break
                }
            }
            #expect(try statistics.int("t", "late") == relay.held.count)
            #expect(try statistics.int("t", "lost_frames") == 48 * relay.held.count)
            #expect(try statistics.int("t", "duplicated") == relay.duplicated)
            #expect(try statistics.int("t", "reordered") >= relay.swapped)
            #expect(try statistics.int("t", "lost") == 0)
        }
    }
}

/// A UDP relay on loopback for RTP (and RTCP on the next ports, passed as it comes): it swaps every tenth packet with
/// the next, sends every fifteenth twice, and holds five packets for 400 ms, past a 50 ms window (all of them back
/// before the stream ends: one that comes after the recorder has finished is lost to it, not late).
final class Relay: @unchecked Sendable {
    // @unchecked: the counts are written by the relay thread and read after `finish` joins it.
    let held: Set<Int> = [500, 1200, 1201, 2000, 2500]
    private(set) var duplicated = 0
    private(set) var swapped = 0
    private let stop = StopSignal()
    private var thread: OSThread?

    init(from input: Int, to output: Int) throws {
        let rtpIn = try boundReceiver(.ipv4, port: input)
        let rtcpIn = try boundReceiver(.ipv4, port: input + 1)
        let rtpOut = try UDPSocket(family: .ipv4)
        try rtpOut.connect(to: .loopback(.ipv4, port: output))
        let rtcpOut = try UDPSocket(family: .ipv4)
        try rtcpOut.connect(to: .loopback(.ipv4, port: output + 1))
        thread = try OSThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var index = 0
            var swapping: [UInt8]?
            var delayed: [(due: Date, bytes: [UInt8])] = []
            let deadline = Date().addingTimeInterval(60)
            while !stop.isStopped && Date() < deadline {
                for (due, bytes) in delayed where due <= Date() { _ = bytes.withUnsafeBytes { rtpOut.send($0) } }
                delayed.removeAll { $0.due <= Date() }
                for socket in UDPSocket.waitForReadable([rtpIn, rtcpIn], milliseconds: 5) {
                    guard let (count, _) = try? buffer.withUnsafeMutableBytes({ try socket.receive(into: $0) }) else {
                        continue
                    }
                    let bytes = Array(buffer[0..<count])
                    if socket === rtcpIn {
                        _ = bytes.withUnsafeBytes { rtcpOut.send($0) }
                        continue
                    }
                    defer { index += 1 }
                    if held.contains(index) {
                        delayed.append((Date().addingTimeInterval(0.4), bytes))
                        continue
                    }
                    if let earlier = swapping {
                        _ = bytes.withUnsafeBytes { rtpOut.send($0) }
                        _ = earlier.withUnsafeBytes { rtpOut.send($0) }
                        swapping = nil
                        swapped += 1
                        continue
                    }
                    if index % 10 == 3 && !held.contains(index + 1) {
                        swapping = bytes
                        continue
                    }
                    _ = bytes.withUnsafeBytes { rtpOut.send($0) }
                    if index % 15 == 7 {
                        _ = bytes.withUnsafeBytes { rtpOut.send($0) }
                        duplicated += 1
                    }
                }
            }
            for (_, bytes) in delayed { _ = bytes.withUnsafeBytes { rtpOut.send($0) } }
        }
    }

    /// Sends what it still holds and stops.
    func finish() {
        Thread.sleep(forTimeInterval: 0.5)
        stop.stop()
        thread?.join()
    }
}
