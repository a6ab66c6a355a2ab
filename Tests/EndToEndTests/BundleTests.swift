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
                ["--bundle", "8", "--port", "29100", "--duration", "0.01", "--sdp-dir", folder.path("sdp")] + files,
                in: folder.url, label: "dry")
            #expect(dry.status == 0, "\(dry.error)")
            for bundle in 0..<2 {
                let text = try String(contentsOfFile: folder.path("sdp/bundle \(bundle + 1).sdp"), encoding: .utf8)
                let labels = names[(8 * bundle)..<(8 * bundle + 8)].joined(separator: ", ")
                for line in [
                    "m=audio \(29_100 + 2 * bundle) RTP/AVP 96", "i=8 channels: \(labels)", "a=rtpmap:96 L24/48000/8",
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
            for port in [29_100, 29_102] { #expect(waitForUDPListener(port: port), "ffmpeg never listened on \(port)") }
            let sender = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--bundle", "8", "--port", "29100", "--start-at", "+1", "--sdp-dir", folder.path("sdp2")] + files,
                in: folder.url, label: "sender")
            #expect(sender.status == 0, "\(sender.error)")
            for decoder in decoders { #expect(decoder.wait(seconds: 10) != nil, "ffmpeg did not stop on the BYE") }
            // Then the recorder, from session.sdp, on the same ports.
            let recorder = try RecorderTests.recorder(
                [
                    "-o", folder.path("take"), "--idle", "3", "--stats", folder.path("rec.json"),
                    folder.path("sdp/session.sdp"),
                ],
                folder: folder, port: 29_102)
            let again = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--bundle", "8", "--port", "29100", "--start-at", "+1", "--sdp-dir", folder.path("sdp3")] + files,
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
    }
}
