import Foundation
import PCM
import Testing

extension EndToEnd {
    /// `analyze` on captures tshark wrote of streams nftables thinned on the sender's way out (so the capture never
    /// holds the dropped packets), against tshark's own RTP statistics of the same files.
    @Suite(.serialized)
    struct AnalyzeCaptureTests {
        /// One row of `tshark -q -z rtp,streams`, read from the right (the payload name may hold spaces): packets,
        /// lost, max delta and mean and max jitter in milliseconds.
        struct TsharkStream {
            var destinationPort: Int
            var packets: Int
            var lost: Int
            var maxDelta: Double
            var meanJitter: Double
            var maxJitter: Double
        }

        static func tsharkStreams(_ tshark: String, _ path: String, ports: [Int], folder: ScratchFolder) throws
            -> [TsharkStream]
        {
            let result = try Subprocess.run(
                tshark, ["-r", path, "-q"] + ports.flatMap { ["-d", "udp.port==\($0),rtp"] } + ["-z", "rtp,streams"],
                in: folder.url, label: "tshark-rtp-streams", timeout: 120)
            try #require(result.status == 0, "tshark: \(result.error)")
            return result.output.split(separator: "\n").compactMap { line -> TsharkStream? in
                guard line.contains(" 0x") else { return nil }
                let words = line.split(separator: " ").map(String.init)
                var right = Array(words.reversed())
                if right.first == "X" { right.removeFirst() }
                guard right.count > 12, let maxJitter = Double(right[0]), let meanJitter = Double(right[1]),
                    let maxDelta = Double(right[3]), let lost = Int(right[7]), let packets = Int(right[8]),
                    let port = Int(words[5])
                else { return nil }
                return TsharkStream(
                    destinationPort: port, packets: packets, lost: lost, maxDelta: maxDelta, meanJitter: meanJitter,
                    maxJitter: maxJitter)
            }
        }

        static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

        @Test(
            "tshark's pcapng and pcap of streams nftables thinned: packets, lost and max delta as tshark counts them, jitter within 1 % or 1 us",
            .enabled(if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts"),
            ExternalTool.tshark.trait)
        func againstTshark() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let folder = try ScratchFolder("analyze-capture")
            let network = try TestNetwork(prefix: "asana", hosts: ["tx", "rx"])
            let (out, into) = try network.link(0, "10.240.1.1", 1, "10.240.1.2", id: 50)
            // Dropped on the sender's way out: 100-109, 500 and 1200-1249 of the 44.1 kHz stream (61 packets).
            let rules = """
                table ip thin {
                  counter dropped {}
                  chain output {
                    type filter hook output priority 0; policy accept;
                    udp dport 31400 @th,80,16 100-109 counter name "dropped" drop
                    udp dport 31400 @th,80,16 500 counter name "dropped" drop
                    udp dport 31400 @th,80,16 1200-1249 counter name "dropped" drop
                  }
                }
                """
            try network.loadRules(rules, in: 0, folder: folder)
            try TestWAV(
                format: PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 44_100), seconds: 3, seed: 1
            )
            .write(to: folder.path("cd.wav"))
            try TestWAV(
                format: PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000), seconds: 3, seed: 2
            )
            .write(to: folder.path("studio.wav"))
            _ = BuiltProduct.audiostreamer
            let captures = try [false, true].map { pcap in
                try Capture(
                    network, host: 1, interface: into, filter: "udp", folder: folder, label: "thinned", pcap: pcap)
            }
            // The 44.1 kHz stream on PT 10 (a clock rate tshark knows); the 48 kHz one announced with SAP on the
            // link, so tshark learns its rate from the announcement.
            let first = try network.start(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "10.240.1.2", "--port", "31400", "--seq", "0",
                    "--no-realtime", "--sdp-dir", folder.path("sdp1"), folder.path("cd.wav"),
                ], folder: folder, label: "sender-cd")
            let second = try network.start(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "10.240.1.2", "--port", "31402", "--no-realtime", "--sap",
                    "--interface", out, "--sdp-dir", folder.path("sdp2"), folder.path("studio.wav"),
                ], folder: folder, label: "sender-studio")
            #expect(first.wait(seconds: 20) == 0, "\(first.standardError)")
            #expect(second.wait(seconds: 20) == 0, "\(second.standardError)")
            for capture in captures { capture.stop() }
            let dropped = try network.counted("dropped", table: "thin", in: 0, folder: folder)
            #expect(dropped == 61)

            for capture in captures {
                Thread.sleep(forTimeInterval: 0.5)
                let statistics = folder.path("\(capture.path.hasSuffix("ng") ? "ng" : "pcap").json")
                let result = try Subprocess.run(
                    BuiltProduct.audiostreamer,
                    [
                        "analyze", capture.path, folder.path("sdp1/cd.sdp"), folder.path("sdp2/studio.sdp"), "--stats",
                        statistics,
                    ], in: folder.url, label: "analyze", timeout: 60)
                // Exit 0 or 1 (a verdict); not an error.
                #expect(result.status == 0 || result.status == 1, "\(result.status): \(result.error)")
                let document = try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: statistics)))
                let streams = try #require((document as? [String: Any])?["streams"] as? [[String: Any]])
                #expect(streams.count == 2, "\(result.error)")
                let theirs = try Self.tsharkStreams(
                    capture.tshark, capture.path, ports: [31400, 31402], folder: folder)
                // Without a description: the 48 kHz stream, announced with SAP on the link, is found in the
                // capture itself; the 44.1 kHz one, never announced, is not analysed.
                let announced = try Subprocess.run(
                    BuiltProduct.audiostreamer, ["analyze", capture.path, "--stats", statistics + ".sap"],
                    in: folder.url, label: "analyze-sap", timeout: 60)
                #expect(announced.status == 0 || announced.status == 1, "\(announced.error)")
                #expect(announced.error.contains("studio: SAP from 10.240.1.1, analysed"), "\(announced.error)")
                let found = try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: statistics + ".sap")))
                let sapStreams = try #require((found as? [String: Any])?["streams"] as? [[String: Any]])
                #expect(sapStreams.count == 1 && sapStreams.first?["name"] as? String == "studio", "\(sapStreams)")
                #expect(
                    (sapStreams.first?["packets"] as? Int ?? 0) >= 2900,
                    "\(sapStreams.first?["packets"] ?? "none") packets of the announced stream")
                for (ours, port) in zip(streams, [31400, 31402]) {
                    let label = "\(capture.path.hasSuffix("ng") ? "pcapng" : "pcap") port \(port)"
                    let tshark = try #require(theirs.first { $0.destinationPort == port }, "\(label): no tshark row")
                    #expect(ours["packets"] as? Int == tshark.packets, "\(label): \(ours) against \(tshark)")
                    #expect(ours["lost"] as? Int == tshark.lost, "\(label): \(ours) against \(tshark)")
                    if port == 31400 { #expect(tshark.lost == dropped, "\(label)") }
                    let pit = ours["pit_us"] as? [String: Any]
                    let maxDelta = try #require(Self.number(pit?["max"])) / 1000
                    // tshark prints milliseconds to three places: the capture's microseconds, rounded.
                    #expect(
                        abs(maxDelta - tshark.maxDelta) <= 0.0015,
                        "\(label): max delta \(maxDelta) against \(tshark.maxDelta) ms")
                    let jitter = ours["jitter_us"] as? [String: Any]
                    let meanJitter = try #require(Self.number(jitter?["mean"])) / 1000
                    let maxJitter = try #require(Self.number(jitter?["max"])) / 1000
                    // Within 1 % or 1 us (tshark prints 1 us steps), but for one thing: Wireshark turns a clock rate
                    // into ticks per millisecond by integer division (ui/tap-rtp-analysis.c: clock_rate / 1000), so
                    // at 44.1 kHz it expects each 44-frame packet 1/44 ms per frame apart instead of 1/44.1, and its
                    // jitter, mean and largest, carries up to that difference, 2.27 us a packet, above ours; at 48 kHz
                    // the division is exact and the two must agree.
                    let bias = port == 31400 ? 44.0 / 44.0 - 44.0 / 44.1 : 0
                    for (what, measured, reported) in [
                        ("mean", meanJitter, tshark.meanJitter), ("max", maxJitter, tshark.maxJitter),
                    ] {
                        let tolerance = max(0.0015, reported * 0.01)
                        #expect(
                            reported - measured >= -tolerance && reported - measured <= bias + tolerance,
                            "\(label): \(what) jitter \(measured) against tshark's \(reported) ms")
                    }
                }
            }
        }
    }
}
