import Foundation
import PCM
import Testing

/// One stream the real receivers must decode bit-exact.
struct InteropCase: CustomTestStringConvertible, Sendable {
    var label: String
    var format: PCMFormat
    var arguments: [String]
    /// What the SDP must announce.
    var rtpmap: String
    var port: Int

    var testDescription: String { label }

    static let all = [
        InteropCase(
            label: "48 kHz stereo 16-bit", format: PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000),
            arguments: [], rtpmap: "a=rtpmap:96 L16/48000/2", port: 41_000),
        InteropCase(
            label: "48 kHz stereo 24-bit", format: PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000),
            arguments: [], rtpmap: "a=rtpmap:96 L24/48000/2", port: 41_010),
        InteropCase(
            label: "44.1 kHz mono 16-bit", format: PCMFormat(encoding: .signed16, channelCount: 1, sampleRate: 44_100),
            arguments: [], rtpmap: "a=rtpmap:11 L16/44100/1", port: 41_020),
        InteropCase(
            label: "96 kHz 8-channel 24-bit",
            format: PCMFormat(encoding: .signed24, channelCount: 8, sampleRate: 96_000),
            arguments: ["--ptime", "0.5"], rtpmap: "a=rtpmap:96 L24/96000/8", port: 41_030),
        InteropCase(
            label: "48 kHz stereo 16-bit, RTCP on the RTP port (RFC 5761)",
            format: PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000),
            arguments: ["--rtcp-mux", "--rtcp-interval", "0.3"], rtpmap: "a=rtpmap:96 L16/48000/2", port: 41_040),
    ]

    /// The raw big-endian format name ffmpeg writes for this payload.
    var ffmpegRaw: (codec: String, format: String) {
        rtpmap.contains("L24") ? ("pcm_s24be", "s24be") : ("pcm_s16be", "s16be")
    }

    var depayloader: String { rtpmap.contains("L24") ? "rtpL24depay" : "rtpL16depay" }
}

extension EndToEnd {
    /// ffmpeg and GStreamer, started before the sender, receive from the SDP audiostreamer writes and must decode
    /// every sample of the file, first to last, bit-exact.
    @Suite(.serialized)
    struct ReceiverInteropTests {
        static let seconds = 2.0

        /// Writes the test file, lets audiostreamer write the SDP (with a 10 ms dry run), checks it, and returns both paths.
        static func prepare(_ testCase: InteropCase, in folder: ScratchFolder, port: Int) throws -> (
            wav: String, sdp: String, wavFile: TestWAV
        ) {
            let wav = TestWAV(format: testCase.format, seconds: seconds)
            let wavPath = folder.path("track.wav")
            try wav.write(to: wavPath)
            let dryRun = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--port", String(port), "--sdp-dir", folder.path("sdp"), "--duration", "0.01"] + testCase.arguments
                    + [wavPath], in: folder.url, label: "dry-run")
            #expect(dryRun.status == 0, "dry run failed: \(dryRun.error)")
            let sdpPath = folder.path("sdp/track.sdp")
            let sdp = try String(contentsOfFile: sdpPath, encoding: .utf8)
            #expect(sdp.contains(testCase.rtpmap + "\r\n"), "SDP lacks \(testCase.rtpmap):\n\(sdp)")
            #expect(sdp.contains("m=audio \(port) RTP/AVP"), "SDP lacks the port:\n\(sdp)")
            return (wavPath, sdpPath, wav)
        }

        /// Streams the file to `port` while `receiver` runs, then stops the receiver: ffmpeg stops by itself on the
        /// RTCP BYE that follows the last packet (without it, only its 10 s read timeout would end it), GStreamer on SIGINT.
        static func stream(
            _ wavPath: String, port: Int, arguments: [String], folder: ScratchFolder, receiver: Subprocess,
            receiverStopsByItself: Bool = false
        ) throws {
            #expect(waitForUDPListener(port: port), "the receiver never bound port \(port): \(receiver.standardError)")
            let sender = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--port", String(port), "--sdp-dir", folder.path("sdp")] + arguments + [wavPath], in: folder.url,
                label: "sender", timeout: seconds + 20)
            #expect(sender.status == 0, "sender failed: \(sender.error)")
            if receiverStopsByItself {
                // Well under ffmpeg's 10 s timeout: only the BYE can end it this soon.
                #expect(receiver.wait(seconds: 5) != nil, "\(receiver.command) did not stop within 5 s of the BYE")
            } else {
                // Let the receiver drain its buffers (GStreamer's jitter buffer holds 200 ms), then stop it.
                Thread.sleep(forTimeInterval: 1.0)
                receiver.interrupt()
            }
        }

        static func expectBitExact(_ received: Data, _ expected: [UInt8], _ label: String) {
            #expect(
                received.count == expected.count,
                "\(label): received \(received.count) bytes, expected \(expected.count)")
            if let first = zip(received, expected).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
                Issue.record("\(label): first differing byte at \(first.offset)")
            }
        }

        /// Every received channel equals a distinct sent channel, sample for sample.
        static func expectBitExactChannels(
            _ received: Data, _ expected: [UInt8], format: PCMFormat, width: Int, _ label: String
        ) {
            #expect(
                received.count == expected.count,
                "\(label): received \(received.count) bytes, expected \(expected.count)")
            guard received.count == expected.count else { return }
            func columns(_ bytes: [UInt8]) -> [[UInt8]] {
                (0..<format.channelCount).map { channel in
                    stride(from: channel * width, to: bytes.count, by: width * format.channelCount).flatMap {
                        bytes[$0..<$0 + width]
                    }
                }
            }
            let sent = columns(expected)
            var unmatched = Set(0..<format.channelCount)
            for (index, column) in columns([UInt8](received)).enumerated() {
                guard let match = unmatched.first(where: { sent[$0] == column }) else {
                    Issue.record("\(label): received channel \(index) matches no sent channel")
                    continue
                }
                unmatched.remove(match)
            }
        }

        @Test("ffmpeg decodes the whole file bit-exact", ExternalTool.ffmpeg.trait, arguments: InteropCase.all)
        func ffmpegDecodesBitExact(_ testCase: InteropCase) throws {
            let ffmpeg = try ExternalTool.ffmpeg.require()
            let folder = try ScratchFolder("ffmpeg")
            let port = testCase.port
            let (wavPath, sdpPath, wav) = try Self.prepare(testCase, in: folder, port: port)
            let output = folder.path("received.raw")
            let raw = testCase.ffmpegRaw
            let receiver = try Subprocess(
                ffmpeg,
                [
                    "-nostdin", "-loglevel", "warning", "-protocol_whitelist", "file,udp,rtp", "-i", sdpPath, "-c:a",
                    raw.codec,
                    "-f", raw.format, "-y", output,
                ], in: folder.url, label: "ffmpeg")
            try Self.stream(
                wavPath, port: port, arguments: testCase.arguments, folder: folder, receiver: receiver,
                receiverStopsByItself: true)
            let received = try Data(contentsOf: URL(fileURLWithPath: output))
            Self.expectBitExact(received, wav.expectedBigEndian, "ffmpeg, \(testCase.label)")
        }

        @Test(
            "GStreamer (sdpdemux) decodes the whole file bit-exact", ExternalTool.gstLaunch.trait,
            arguments: InteropCase.all)
        func gstreamerDecodesBitExact(_ testCase: InteropCase) throws {
            let gstLaunch = try ExternalTool.gstLaunch.require()
            let folder = try ScratchFolder("gstreamer")
            let port = testCase.port + 2
            let (wavPath, sdpPath, wav) = try Self.prepare(testCase, in: folder, port: port)
            let output = folder.path("received.raw")
            let receiver = try Subprocess(
                gstLaunch,
                [
                    "-e", "filesrc", "location=\(sdpPath)", "!", "sdpdemux", "!", testCase.depayloader, "!", "filesink",
                    "location=\(output)",
                ], in: folder.url, label: "gstreamer")
            try Self.stream(wavPath, port: port, arguments: testCase.arguments, folder: folder, receiver: receiver)
            let received = try Data(contentsOf: URL(fileURLWithPath: output))
            if testCase.format.channelCount <= 2 {
                Self.expectBitExact(received, wav.expectedBigEndian, "GStreamer, \(testCase.label)")
            } else {
                // rtpL16depay/rtpL24depay give more than two channels the positions of a DV layout and reorder them
                // to GStreamer's canonical order, so the channels may come out permuted: every channel must still
                // arrive bit-exact, first sample to last.
                Self.expectBitExactChannels(
                    received, wav.expectedBigEndian, format: testCase.format,
                    width: testCase.rtpmap.contains("L24") ? 3 : 2,
                    "GStreamer, \(testCase.label)")
            }
        }

        /// The seed's command line, exactly as its usage wrote it (with a loopback address): `--delay_ms 10` does
        /// not fit a 1500-byte MTU for 48 kHz stereo 16-bit, so it warns, sends 5 ms packets, and ffmpeg still
        /// gets every sample.
        @Test("the seed's command as written streams bit-exact", ExternalTool.ffmpeg.trait)
        func seedCommandStreamsBitExact() throws {
            let ffmpeg = try ExternalTool.ffmpeg.require()
            let folder = try ScratchFolder("seed")
            let port = 41_100
            let wav = TestWAV(
                format: PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000), seconds: Self.seconds)
            try FileManager.default.createDirectory(atPath: folder.path("sdp"), withIntermediateDirectories: true)
            let wavPath = folder.path("FILE.wav")
            try wav.write(to: wavPath)
            // The SDP the seed command writes (into ./sdp of the working folder) is what ffmpeg opens.
            let sdpPath = folder.path("sdp/FILE.sdp")
            let sdp = StreamSDPFixture.text(port: port, payloadType: 96, rtpmap: "L16/48000/2", ptime: "5")
            try sdp.write(toFile: sdpPath, atomically: true, encoding: .utf8)
            let output = folder.path("received.raw")
            let receiver = try Subprocess(
                ffmpeg,
                [
                    "-nostdin", "-loglevel", "warning", "-protocol_whitelist", "file,udp,rtp", "-i", sdpPath, "-c:a",
                    "pcm_s16be",
                    "-f", "s16be", "-y", output,
                ], in: folder.url, label: "ffmpeg")
            #expect(waitForUDPListener(port: port))
            let sender = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--ip", "127.0.0.1", "--port", String(port), "--delay_ms", "10", "--verbose", "FILE.wav"],
                in: folder.url,
                label: "seed", timeout: Self.seconds + 20)
            #expect(sender.status == 0, "\(sender.error)")
            #expect(
                sender.error.contains("--delay_ms 10 needs 1920 bytes per packet"), "no MTU warning: \(sender.error)")
            #expect(sender.error.contains("sending 5 ms packets (240 frames, 960 bytes)"), "\(sender.error)")
            #expect(sender.error.contains("400 packets"), "expected 400 packets of 5 ms: \(sender.error)")
            let written = try String(contentsOfFile: sdpPath, encoding: .utf8)
            #expect(written.contains("a=ptime:5\r\n"), "the SDP must carry the packet time used:\n\(written)")
            #expect(receiver.wait(seconds: 5) != nil, "ffmpeg did not stop on the BYE")
            Self.expectBitExact(
                try Data(contentsOf: URL(fileURLWithPath: output)), wav.expectedBigEndian, "seed command")
        }
    }
}

/// An SDP text written by hand for a receiver that must be running before the sender writes its own.
enum StreamSDPFixture {
    static func text(port: Int, payloadType: Int, rtpmap: String, ptime: String) -> String {
        [
            "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=fixture", "c=IN IP4 127.0.0.1", "t=0 0",
            "m=audio \(port) RTP/AVP \(payloadType)", "a=rtpmap:\(payloadType) \(rtpmap)", "a=ptime:\(ptime)",
            "a=recvonly",
        ].map { $0 + "\r\n" }.joined()
    }
}
