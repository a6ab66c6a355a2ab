import Foundation
import PCM
import Testing

extension EndToEnd {
    /// SMPTE ST 2022-7 between two test hosts joined by two links (two networks): audiostreamer sends every packet
    /// on both, nftables on the receiving host drops different packets on each (by RTP sequence number) and one leg
    /// for 2 s, and the recorder merges the legs.
    @Suite(.serialized)
    struct RedundantLegsTests {
        static let stereo24 = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)

        @Test(
            "two legs, each losing its own packets and one down for 2 s: merged bit-exact, per-leg loss as nftables counted",
            .enabled(if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts"))
        func mergedAcrossTwoNetworks() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let folder = try ScratchFolder("st2022-7")
            let network = try TestNetwork(prefix: "asdup", hosts: ["tx", "rx"])
            let (firstOut, firstLink) = try network.link(0, "10.236.1.1", 1, "10.236.1.2", id: 47)
            let (secondOut, secondLink) = try network.link(0, "10.236.2.1", 1, "10.236.2.2", id: 48)
            // The first leg loses 100-109, 500 and 2000-3999 (2 s down); the second 300-309, 500 and 1000. Packet 500
            // is lost on both. RTP's sequence number is the transport payload's bits 16-31 (@th,80,16).
            let rules = """
                table ip legs {
                  counter first {}
                  counter second {}
                  chain input {
                    type filter hook input priority 0; policy accept;
                    iifname "\(firstLink)" udp dport 31300 @th,80,16 100-109 counter name "first" drop
                    iifname "\(firstLink)" udp dport 31300 @th,80,16 500 counter name "first" drop
                    iifname "\(firstLink)" udp dport 31300 @th,80,16 2000-3999 counter name "first" drop
                    iifname "\(secondLink)" udp dport 31310 @th,80,16 300-309 counter name "second" drop
                    iifname "\(secondLink)" udp dport 31310 @th,80,16 500 counter name "second" drop
                    iifname "\(secondLink)" udp dport 31310 @th,80,16 1000 counter name "second" drop
                  }
                }
                """
            try network.loadRules(rules, in: 1, folder: folder)
            let source = TestWAV(format: Self.stereo24, seconds: 5, seed: 220)
            try source.write(to: folder.path("dup.wav"))
            _ = BuiltProduct.audiostreamer
            // Both networks captured at the receiving host: SAP on each, and when each leg's copy of a packet came.
            let captures = try [firstLink, secondLink].enumerated().map { index, link in
                try Capture(network, host: 1, interface: link, filter: "udp", folder: folder, label: "leg\(index + 1)")
            }
            let sender = try network.start(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "10.236.1.2", "--redundant-ip", "10.236.2.2", "--port", "31300",
                    "--redundant-port", "31310", "--seq", "0", "--start-at", "+2.5", "--sdp-dir", folder.path("sdp"),
                    "--sap", "--interface", firstOut, "--redundant-interface", secondOut, folder.path("dup.wav"),
                ], folder: folder, label: "sender")
            let sdp = folder.path("sdp/dup.sdp")
            #expect(waitForFile(sdp), "\(sender.standardError)")
            let text = try String(contentsOfFile: sdp, encoding: .utf8)
            for line in ["a=group:DUP 1 2", "m=audio 31300 RTP/AVP 96", "m=audio 31310 RTP/AVP 96", "a=mid:2"] {
                #expect(text.contains(line + "\r\n"), "\(line) missing:\n\(text)")
            }
            let recorder = try network.start(
                1,
                [
                    BuiltProduct.audiostreamer, "record", "-o", folder.path("take"), "--idle", "3", "--stats",
                    folder.path("rec.json"), sdp,
                ], folder: folder, label: "recorder")
            #expect(sender.wait(seconds: 20) == 0, "\(sender.standardError)")
            #expect(recorder.wait(seconds: 15) == 0, "\(recorder.standardError)")
            for capture in captures { capture.stop() }

            // SAP on both networks, announcing and deleting the one description (one o=).
            let sap = try captures.map { try $0.fields("sap", ["sap.flags.t", "sdp.owner"]) }
            for (index, packets) in sap.enumerated() {
                #expect(packets.contains { $0[0] == "0" || $0[0] == "False" }, "leg \(index + 1): no announcement")
                #expect(packets.contains { $0[0] == "1" || $0[0] == "True" }, "leg \(index + 1): no deletion")
            }
            #expect(Set(sap.flatMap { $0.map { $0[1] } }).count == 1, "o= lines: \(sap)")
            // How far apart the two copies of a packet arrived: the legs' send times apart, and their paths.
            let arrivals = try [(captures[0], 31_300), (captures[1], 31_310)].map { capture, port in
                Dictionary(
                    try capture.fields(
                        "rtp && udp.dstport == \(port)", ["rtp.seq", "frame.time_epoch"],
                        decode: ["udp.port==\(port),rtp"]
                    ).compactMap { fields in
                        Int(fields[0]).flatMap { seq in Double(fields[1]).map { (seq, $0) } }
                    }, uniquingKeysWith: { first, _ in first })
            }
            let apart = arrivals[0].compactMap { seq, time in arrivals[1][seq].map { abs($0 - time) * 1e6 } }.sorted()
            let p99 = apart.isEmpty ? 0 : apart[apart.count * 99 / 100]
            let median = apart.isEmpty ? 0 : apart[apart.count / 2]
            print(
                String(
                    format:
                        "ST 2022-7: the legs' copies of %d packets arrived p50 %.1f us, p99 %.1f us, max %.1f us apart",
                    apart.count, median, p99, apart.last ?? 0))
            #expect(apart.count > 2500, "\(apart.count) packets seen on both legs")

            let first = try network.counted("first", table: "legs", in: 1, folder: folder)
            let second = try network.counted("second", table: "legs", in: 1, folder: folder)
            #expect(first == 2011 && second == 12, "nftables dropped \(first) and \(second)")
            let statistics = try RecorderStatistics(folder.path("rec.json"))
            let track = try statistics.track("dup")
            let legs = try #require(track["legs"] as? [[String: Any]])
            print("ST 2022-7: nftables dropped \(first) and \(second); the recorder's legs: \(legs)")
            #expect(legs.map { ($0["lost"] as? NSNumber)?.intValue } == [first, second], "\(legs)")
            #expect(legs.map { ($0["received"] as? NSNumber)?.intValue } == [5000 - first, 5000 - second])
            #expect(try statistics.int("dup", "lost") == 1)
            #expect(try statistics.int("dup", "lost_frames") == 48)
            // The merged recording: the source, packet 500's 48 frames silent.
            var expected = source.samples
            for index in (500 * 48 * 6)..<(501 * 48 * 6) { expected[index] = 0 }
            let file = try RecordedFile(folder.path("take/dup.wav"))
            expectSame(file.samples, expected, "the merged recording")
            let said = recorder.standardError.split(separator: "\n")
            #expect(said.filter { $0.contains("its first leg is silent") }.count == 1, "\(recorder.standardError)")
            #expect(said.filter { $0.contains("its first leg is heard again") }.count == 1, "\(recorder.standardError)")
        }

        @Test(
            "a second leg with no route: one line naming --redundant-ip, exit 71, no SDP, nothing sent",
            .enabled(if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts"))
        func secondLegWithoutRoute() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let folder = try ScratchFolder("st2022-7-noroute")
            // A test host with loopback alone: the first leg has its route, the second none at all.
            let network = try TestNetwork(prefix: "asnoroute", hosts: ["tx"])
            try TestWAV(format: Self.stereo24, seconds: 1, seed: 221).write(to: folder.path("good.wav"))
            let result = try network.exec(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "127.0.0.1", "--port", "31320", "--redundant-ip", "10.238.2.2",
                    "--sdp-dir", folder.path("sdp"), folder.path("good.wav"),
                ], folder: folder, label: "sender")
            #expect(result.status == 71, "exit \(result.status): \(result.error)")
            let lines = result.error.split(separator: "\n")
            #expect(
                lines == ["audiostreamer: --redundant-ip 10.238.2.2: connect: Network is unreachable"],
                "\(result.error)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("sdp")), "an SDP folder was left behind")
        }
    }
}
