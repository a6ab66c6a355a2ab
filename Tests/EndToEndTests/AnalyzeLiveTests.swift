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

        @Test(
            "analyze --sap on a test host: both announced streams found and analysed live, the loss nftables made counted, a progress line each second with --verbose",
            .enabled(if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts"))
        func announcedOnAnotherHost() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let folder = try ScratchFolder("analyze-sap")
            let network = try TestNetwork(prefix: "asanl", hosts: ["tx", "rx"])
            let (txLink, rxLink) = try network.link(0, "10.241.1.1", 1, "10.241.1.2", id: 51)
            try network.must(1, [network.ip, "route", "add", "224.0.0.0/4", "dev", rxLink], folder: folder)
            // The second stream loses packets 200-219 on its way in.
            let rules = """
                table ip thin {
                  counter dropped {}
                  chain input {
                    type filter hook input priority 0; policy accept;
                    udp dport 31602 @th,80,16 200-219 counter name "dropped" drop
                  }
                }
                """
            try network.loadRules(rules, in: 1, folder: folder)
            let format = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)
            for (name, seed) in [("left", UInt64(230)), ("right", 231)] {
                try TestWAV(format: format, seconds: 3, seed: seed).write(to: folder.path("\(name).wav"))
            }
            _ = BuiltProduct.audiostreamer
            let statistics = folder.path("sap.json")
            let analyzer = try network.start(
                1,
                [
                    BuiltProduct.audiostreamer, "analyze", "--sap", "--sap-wait", "15", "--interface", rxLink,
                    "--duration", "7", "--verbose", "--stats", statistics, "left", "right",
                ], folder: folder, label: "analyze")
            #expect(
                network.waitForUDPListener(in: 1, port: 9875, folder: folder), "\(analyzer.standardError)")
            Thread.sleep(forTimeInterval: 0.3)
            // Announced at once; the packets from 2 s later, for 3 s.
            let sender = try network.exec(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "239.77.0.20", "--interface", txLink, "--port", "31600",
                    "--ptime", "1", "--seq", "0", "--sap", "--start-at", "+2", "--no-realtime", "--sdp-dir",
                    folder.path("sdp"), folder.path("left.wav"), folder.path("right.wav"),
                ], folder: folder, label: "sender")
            #expect(sender.status == 0, "\(sender.error)")
            let status = analyzer.wait(seconds: 30)
            #expect(status == 0 || status == 1, "exit \(String(describing: status)): \(analyzer.standardError)")
            let said = analyzer.standardError
            for (name, port) in [("left", 31600), ("right", 31602)] {
                #expect(said.contains("audiostreamer: \(name): SAP from 10.241.1.1, analysed"), "\(said)")
                #expect(said.contains("audiostreamer: \(name): listening on port \(port)"), "\(said)")
            }
            // Standard error is not a terminal: the progress as plain lines, a line per stream each second, its
            // counts growing; the right stream's last one has its loss.
            func progress(_ name: String) -> [String] {
                said.split(separator: "\n").map(String.init).filter {
                    $0.hasPrefix("audiostreamer: \(name): ") && $0.contains(" s, ") && $0.contains(" packets, ")
                }
            }
            let left = progress("left")
            #expect(left.count >= 5, "\(said)")
            #expect(left.last?.contains(", 3000 packets, 0 lost; TS-DF ") == true, "\(said)")
            #expect(progress("right").last?.contains(", 2980 packets, 20 lost; TS-DF ") == true, "\(said)")

            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statistics)))
            let streams = try #require((document as? [String: Any])?["streams"] as? [[String: Any]])
            let figures = Dictionary(
                streams.map { ($0["name"] as? String ?? "", ($0["packets"] as? Int ?? -1, $0["lost"] as? Int ?? -1)) },
                uniquingKeysWith: { first, _ in first })
            #expect(figures["left"]?.0 == 3000 && figures["left"]?.1 == 0, "\(streams)")
            #expect(figures["right"]?.0 == 2980 && figures["right"]?.1 == 20, "\(streams)")
        }
    }
}
