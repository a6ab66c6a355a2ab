import Foundation
import PCM
import Testing

extension EndToEnd {
    /// `analyze` listening live on loopback, by kernel receive times: audiostreamer's own 1 ms stream against
    /// ffmpeg's, each alone on the machine.
    @Suite(.serialized)
    struct AnalyzeLiveTests {
        /// `analyze --duration` on one SDP, and the stream's statistics: its TS-DF median, PIT mean and verdict.
        static func analyze(_ sdp: String, seconds: String, folder: ScratchFolder, label: String) throws -> (
            median: Double, pitMean: Double, verdict: String, packets: Int, line: String
        ) {
            let statistics = folder.path("\(label).json")
            let result = try Subprocess.run(
                BuiltProduct.audiostreamer, ["analyze", "--duration", seconds, "--stats", statistics, sdp],
                in: folder.url, label: "analyze-\(label)", timeout: 60)
            #expect(result.status == 0 || result.status == 1, "\(label): exit \(result.status): \(result.error)")
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statistics)))
            let stream = try #require(((document as? [String: Any])?["streams"] as? [[String: Any]])?.first)
            let median = try #require(((stream["tsdf_us"] as? [String: Any])?["median"] as? NSNumber)?.doubleValue)
            let pit = try #require(((stream["pit_us"] as? [String: Any])?["mean"] as? NSNumber)?.doubleValue)
            return (
                median, pit, stream["verdict"] as? String ?? "none", stream["packets"] as? Int ?? 0,
                result.error
            )
        }

        @Test(
            "audiostreamer's 1 ms stream is narrow or wide with a median TS-DF under a packet time; ffmpeg's is not narrow, its median many times more",
            ExternalTool.ffmpeg.trait)
        func againstFFmpeg() throws {
            let ffmpeg = try ExternalTool.ffmpeg.require()
            let folder = try ScratchFolder("analyze-live")
            try TestWAV(
                format: PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000), seconds: 4, seed: 3
            )
            .write(to: folder.path("take.wav"))
            _ = BuiltProduct.audiostreamer

            // audiostreamer: its SDP written at once, its first packet 1.5 s later, while analyze listens.
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "--ip", "127.0.0.1", "--port", "31500", "--ptime", "1", "--start-at", "+1.5", "--sdp-dir",
                    folder.path("sdp"), folder.path("take.wav"),
                ], in: folder.url, label: "sender")
            #expect(waitForFile(folder.path("sdp/take.sdp")), "\(sender.standardError)")
            let ours = try Self.analyze(folder.path("sdp/take.sdp"), seconds: "6.5", folder: folder, label: "ours")
            #expect(sender.wait(seconds: 20) == 0, "\(sender.standardError)")

            // ffmpeg: 48-frame packets (1 ms) from a sine, paced by -re.
            let theirs = try Subprocess(
                ffmpeg,
                [
                    "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                    "sine=frequency=440:sample_rate=48000", "-t", "6", "-ac", "2", "-af", "asetnsamples=n=48:p=0",
                    "-c:a", "pcm_s24be", "-f", "rtp", "-sdp_file", folder.path("ffmpeg.sdp"),
                    "rtp://127.0.0.1:31510?pkt_size=1400",
                ], in: folder.url, label: "ffmpeg")
            #expect(waitForFile(folder.path("ffmpeg.sdp")), "\(theirs.standardError)")
            let ffmpegs = try Self.analyze(folder.path("ffmpeg.sdp"), seconds: "4", folder: folder, label: "ffmpeg")
            #expect(theirs.wait(seconds: 20) == 0, "\(theirs.standardError)")

            #expect(ours.packets == 4000, "\(ours.line)")
            #expect(ours.verdict == "narrow" || ours.verdict == "wide", "\(ours.line)")
            #expect(ours.median < 1000, "\(ours.line)")
            #expect(abs(ours.pitMean - 1000) <= 10, "\(ours.line)")
            #expect(ffmpegs.packets > 2000, "\(ffmpegs.line)")
            #expect(ffmpegs.verdict != "narrow", "\(ffmpegs.line)")
            #expect(ffmpegs.median >= 10 * max(ours.median, 1), "ffmpeg \(ffmpegs.line); audiostreamer \(ours.line)")
        }
    }
}
