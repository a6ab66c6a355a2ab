import Foundation
import PCM
import Testing

extension EndToEnd {
    /// Tracks bundled into multichannel streams as studio receivers subscribe to them (`--bundle`), judged by ffmpeg
    /// from each stream's SDP and by the recorder, which splits each stream back into its files.
    @Suite(.serialized)
    struct BundleTests {
        static let mono24 = PCMFormat(encoding: .signed24, channelCount: 1, sampleRate: 48_000)

        /// 16 mono files with `--bundle 8`: two 8-channel streams, channel k of stream b file 8b + k. ffmpeg decodes
        /// each stream from its SDP bit-exact; the SDP gives the ST 2110-30 channel order and the channels' names;
        /// the recorder, from session.sdp, writes the 16 files back bit-exact, all from the take's first frame.
        @Test(
            "16 mono files, --bundle 8: two 8-channel streams ffmpeg decodes bit-exact; recorded back as 16 exact files",
            ExternalTool.ffmpeg.trait)
        func sixteenMonoFilesInTwoBundles() throws {
            let ffmpeg = try ExternalTool.ffmpeg.require()
            let folder = try ScratchFolder("bundle16")
            let names = (1...16).map { "t" + ($0 < 10 ? "0" : "") + String($0) }
            let sources = names.indices.map { TestWAV(format: Self.mono24, seconds: 1, seed: UInt64(300 + $0)) }
            for (name, source) in zip(names, sources) { try source.write(to: folder.path("\(name).wav")) }
            let files = names.map { folder.path("\($0).wav") }
            // A 10 ms run writes the SDP files the receivers start from.
            let dry = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--bundle", "8", "--port", "31100", "--duration", "0.01", "--sdp-dir", folder.path("sdp")] + files,
                in: folder.url, label: "dry")
            #expect(dry.status == 0, "\(dry.error)")
            for bundle in 0..<2 {
                let text = try String(contentsOfFile: folder.path("sdp/bundle \(bundle + 1).sdp"), encoding: .utf8)
                let labels = names[(8 * bundle)..<(8 * bundle + 8)].joined(separator: ", ")
                for line in [
                    "m=audio \(31_100 + 2 * bundle) RTP/AVP 96", "i=8 channels: \(labels)", "a=rtpmap:96 L24/48000/8",
                    "a=fmtp:96 channel-order=SMPTE2110.(M,M,M,M,M,M,M,M)",
                ] {
                    #expect(text.contains(line + "\r\n"), "bundle \(bundle + 1) lacks \(line):\n\(text)")
                }
            }
            let decoders = try (1...2).map { bundle in
                try Subprocess(
                    ffmpeg,
                    [
                        "-nostdin", "-loglevel", "warning", "-protocol_whitelist", "file,udp,rtp", "-i",
                        folder.path("sdp/bundle \(bundle).sdp"), "-c:a", "pcm_s24be", "-f", "s24be", "-y",
                        folder.path("bundle\(bundle).raw"),
                    ], in: folder.url, label: "ffmpeg\(bundle)")
            }
            for port in [31_100, 31_102] { #expect(waitForUDPListener(port: port), "ffmpeg never listened on \(port)") }
            let sender = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--bundle", "8", "--port", "31100", "--start-at", "+1", "--sdp-dir", folder.path("sdp2")] + files,
                in: folder.url, label: "sender")
            #expect(sender.status == 0, "\(sender.error)")
            for decoder in decoders { #expect(decoder.wait(seconds: 10) != nil, "ffmpeg did not stop on the BYE") }
            // Then the recorder, from session.sdp, on the same ports.
            let recorder = try RecorderTests.recorder(
                [
                    "-o", folder.path("take"), "--idle", "3", "--stats", folder.path("rec.json"),
                    folder.path("sdp/session.sdp"),
                ],
                folder: folder, port: 31_102)
            let again = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--bundle", "8", "--port", "31100", "--start-at", "+1", "--sdp-dir", folder.path("sdp3")] + files,
                in: folder.url, label: "sender-again")
            #expect(again.status == 0, "\(again.error)")
            #expect(recorder.wait(seconds: 10) == 0, "\(recorder.standardError)")

            for bundle in 0..<2 {
                // Frame f of the stream: the 8 files' sample f, in order, each big-endian.
                let members = sources[(8 * bundle)..<(8 * bundle + 8)].map(\.expectedBigEndian)
                var expected: [UInt8] = []
                expected.reserveCapacity(48_000 * 8 * 3)
                for frame in 0..<48_000 {
                    for member in members { expected += member[(3 * frame)..<(3 * frame + 3)] }
                }
                expectSame(
                    NetworkTests.raw(folder.path("bundle\(bundle + 1).raw")), expected, "ffmpeg, bundle \(bundle + 1)")
            }
            let statistics = try RecorderStatistics(folder.path("rec.json"))
            for stream in ["audiostreamer session 1", "audiostreamer session 2"] {
                #expect(try statistics.int(stream, "offset_frames") == 0, "\(stream)")
                #expect(try statistics.int(stream, "lost") == 0, "\(stream)")
            }
            for (name, source) in zip(names, sources) {
                let file = try RecordedFile(folder.path("take/\(name).wav"))
                #expect(file.layout.format.channelCount == 1, "\(name)")
                #expect(file.samples == source.samples, "\(name): \(file.frames) frames, not its source")
            }
        }

        /// `--st2110-level C` with 64 mono 24-bit files, from one test host to another: one 64-channel stream at
        /// 0.125 ms (level C's largest), decoded bit-exact by ffmpeg from its SDP and recorded back bit-exact into
        /// the 64 files. No ptp4l runs: said, and sent on the system clock.
        @Test(
            "--st2110-level C, 64 mono files: one 64-channel stream at 0.125 ms, ffmpeg and record bit-exact",
            .enabled(if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts"),
            ExternalTool.ffmpeg.trait)
        func levelC() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let ffmpeg = try ExternalTool.ffmpeg.require()
            let folder = try ScratchFolder("level-c")
            let network = try TestNetwork(prefix: "aslvc", hosts: ["tx", "rx"])
            let (txLink, _) = try network.link(0, "10.235.1.1", 1, "10.235.1.2", id: 46)
            // SAP (on at a level) leaves by the link, and stays between these hosts.
            try network.must(0, [network.ip, "route", "add", "224.0.0.0/4", "dev", txLink], folder: folder)
            let names = (0..<64).map { "c" + ($0 < 10 ? "0" : "") + String($0) }
            let sources = names.indices.map { TestWAV(format: Self.mono24, seconds: 0.5, seed: UInt64(400 + $0)) }
            for (name, source) in zip(names, sources) { try source.write(to: folder.path("\(name).wav")) }
            let files = names.map { folder.path("\($0).wav") }
            _ = BuiltProduct.audiostreamer
            func send(_ extra: [String], label: String) throws -> (status: Int32, output: String, error: String) {
                try network.exec(
                    0,
                    [
                        BuiltProduct.audiostreamer, "--st2110-level", "C", "--ip", "10.235.1.2", "--port", "31200",
                        "--ptp4l-socket", folder.path("no-ptp4l"),
                    ] + extra + files, folder: folder, label: label)
            }
            let dry = try send(["--duration", "0.01", "--sdp-dir", folder.path("sdp")], label: "dry")
            #expect(dry.status == 0, "\(dry.error)")
            #expect(dry.error.contains("warning: ptp: no ptp4l answered"), "\(dry.error)")
            let sdp = folder.path("sdp/bundle 1.sdp")
            let text = try String(contentsOfFile: sdp, encoding: .utf8)
            for line in ["a=rtpmap:96 L24/48000/64", "a=ptime:0.125", "a=framecount:6"] {
                #expect(text.contains(line + "\r\n"), "\(line) missing:\n\(text)")
            }
            #expect(!FileManager.default.fileExists(atPath: folder.path("sdp/bundle 2.sdp")), "more than one stream")
            let decoder = try network.start(
                1,
                [
                    ffmpeg, "-nostdin", "-loglevel", "warning", "-protocol_whitelist", "file,udp,rtp", "-i", sdp,
                    "-c:a", "pcm_s24be", "-f", "s24be", "-y", folder.path("level-c.raw"),
                ], folder: folder, label: "ffmpeg")
            #expect(network.waitForUDPListener(in: 1, port: 31_200, folder: folder), "\(decoder.standardError)")
            let first = try send(["--start-at", "+1", "--sdp-dir", folder.path("sdp2")], label: "send")
            #expect(first.status == 0, "\(first.error)")
            #expect(decoder.wait(seconds: 10) != nil, "ffmpeg did not stop on the BYE")
            var expected: [UInt8] = []
            let members = sources.map(\.expectedBigEndian)
            for frame in 0..<24_000 {
                for member in members { expected += member[(3 * frame)..<(3 * frame + 3)] }
            }
            expectSame(NetworkTests.raw(folder.path("level-c.raw")), expected, "ffmpeg, 64 channels at 0.125 ms")

            let recorder = try network.start(
                1, [BuiltProduct.audiostreamer, "record", "-o", folder.path("take"), "--idle", "3", sdp],
                folder: folder, label: "recorder")
            #expect(network.waitForUDPListener(in: 1, port: 31_200, folder: folder), "\(recorder.standardError)")
            let second = try send(["--start-at", "+1", "--sdp-dir", folder.path("sdp3")], label: "send-again")
            #expect(second.status == 0, "\(second.error)")
            #expect(recorder.wait(seconds: 10) == 0, "\(recorder.standardError)")
            for (name, source) in zip(names, sources) {
                let file = try RecordedFile(folder.path("take/\(name).wav"))
                #expect(file.samples == source.samples, "\(name): \(file.frames) frames, not its source")
            }
        }
    }
}
