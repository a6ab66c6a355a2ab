import Foundation
import Glibc
import PCM
import Testing
import WAV

extension EndToEnd {
    /// The recorder in a test host of its own, the senders in others (network namespaces joined by veth links, made
    /// here and removed after): takes from several PCs line up to the sample, whatever the network drops.
    @Suite(.serialized)
    struct RecorderNetworkTests {
        static let stereo24 = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)
        /// An ISO 8601 UTC time with milliseconds for `date`.
        static func iso(_ date: Date) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.string(from: date)
        }

        /// Two sender hosts, four tracks each, started 1.3 s apart, one of them with random RTP timestamps (announced
        /// by a non-zero mediaclk offset): every track equals its source sample for sample at its offset.
        @Test(
            "two hosts, four tracks each, started 1.3 s apart, one with --timestamps random: every track exact at its offset",
            .enabled(if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts"))
        func twoHostsLineUpToTheSample() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let folder = try ScratchFolder("record-hosts")
            let network = try TestNetwork(prefix: "asrec", hosts: ["rx", "pc1", "pc2"])
            try network.link(1, "10.202.1.1", 0, "10.202.1.2", id: 1)
            try network.link(2, "10.202.2.1", 0, "10.202.2.2", id: 2)
            let sources = (0..<8).map { TestWAV(format: Self.stereo24, seconds: 3, seed: UInt64(90 + $0)) }
            for (index, source) in sources.enumerated() { try source.write(to: folder.path("t\(index).wav")) }
            // Starts on whole milliseconds, 3 s and 4.3 s from now: pc2's tracks stand 62 400 frames after pc1's.
            // Built first: the starts must still be ahead when the senders run.
            _ = BuiltProduct.audiostreamer
            let first = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000 + 3000).rounded(.down) / 1000)
            let starts = [first, first.addingTimeInterval(1.3)]
            let senders = try [
                (1, "10.202.1.2", 28_100, 0, [String]()), (2, "10.202.2.2", 28_108, 4, ["--timestamps", "random"]),
            ]
            .map { host, address, port, track, extra in
                let (program, arguments) = network.inside(
                    host,
                    [
                        BuiltProduct.audiostreamer, "--no-realtime", "--ip", address, "--port", String(port),
                        "--start-at",
                        Self.iso(starts[host - 1]), "--sdp-dir", folder.path("sdp\(host)"),
                    ] + extra + (track..<track + 4).map { folder.path("t\($0).wav") })
                return try Subprocess(program, arguments, in: folder.url, label: "pc\(host)")
            }
            let sdps = [folder.path("sdp1/session.sdp"), folder.path("sdp2/session.sdp")]
            for sdp in sdps { #expect(waitForFile(sdp), "\(sdp) never came") }
            #expect(try String(contentsOfFile: sdps[1], encoding: .utf8).contains("a=mediaclk:direct=") == true)
            let (program, arguments) = network.inside(
                0,
                [BuiltProduct.audiostreamer, "record", "-o", folder.path("take"), "--stats", folder.path("rec.json")]
                    + sdps)
            let recorder = try Subprocess(program, arguments, in: folder.url, label: "recorder")
            for sender in senders { #expect(sender.wait(seconds: 30) == 0, "\(sender.standardError)") }
            #expect(recorder.wait(seconds: 15) == 0, "\(recorder.standardError)")
            let statistics = try RecorderStatistics(folder.path("rec.json"))
            let zero = try #require(statistics.start)
            #expect(zero == Int64((first.timeIntervalSince1970 * 1000).rounded()) * 1_000_000, "time zero \(zero)")
            for (index, source) in sources.enumerated() {
                let file = try RecordedFile(folder.path("take/t\(index).wav"))
                let offset = index < 4 ? 0 : 62_400
                // Every file as long as the longest: pc2's end, 1.3 s after pc1's.
                #expect(file.frames == 144_000 + 62_400, "t\(index): \(file.frames) frames")
                #expect(file.frames(0..<offset).allSatisfy { $0 == 0 }, "t\(index): not silent before its start")
                #expect(
                    Array(file.frames(offset..<offset + 144_000)) == source.samples,
                    "t\(index) is not its source at frame \(offset)")
                #expect(try statistics.int("t\(index)", "offset_frames") == offset)
                #expect(try statistics.int("t\(index)", "lost") == 0)
            }
        }

        /// nftables in the recorder's host drops 2 % of one track's packets at random: the recorder counts exactly
        /// those, each a gap of silence of a packet's length at its place, the rest bit-exact, the tracks in line.
        @Test(
            "2 % of one track dropped by nftables: exactly those counted lost, each a packet of silence at its place",
            .enabled(
                if: (TestNetwork.available && ExternalTool.nft.path != nil) || ExternalTool.required,
                "needs root, iproute2 and nftables for test hosts"))
        func lossIsExactAndCounted() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let nft = try ExternalTool.nft.require()
            let folder = try ScratchFolder("record-loss")
            let network = try TestNetwork(prefix: "asloss", hosts: ["rx", "pc1"])
            try network.link(1, "10.203.1.1", 0, "10.203.1.2", id: 3)
            let sources = (0..<2).map { TestWAV(format: Self.stereo24, seconds: 4, seed: UInt64(95 + $0)) }
            for (index, source) in sources.enumerated() { try source.write(to: folder.path("l\(index).wav")) }
            // RTP of the second track (port 28122) only, every packet with a 1 in 50 chance, counted, dropped as it
            // reaches the recorder's host: the sender sends (and its sender reports count) every packet, so a loss
            // at either end of the stream is known too. (Dropped in the sender's own output, a packet fails with
            // EPERM and is not counted as sent, so a last packet lost there is invisible to any receiver.)
            let rules = """
                table ip lossy {
                  chain input {
                    type filter hook input priority 0; policy accept;
                    udp dport 28122 numgen random mod 50 == 0 counter drop
                  }
                }
                """
            try network.loadRules(rules, in: 0, folder: folder)
            let (program, arguments) = network.inside(
                1,
                [
                    BuiltProduct.audiostreamer, "--ip", "10.203.1.2", "--port", "28120", "--start-at", "+2",
                    "--sdp-dir", folder.path("sdp"), folder.path("l0.wav"), folder.path("l1.wav"),
                ])
            let sender = try Subprocess(program, arguments, in: folder.url, label: "sender")
            #expect(waitForFile(folder.path("sdp/session.sdp")))
            let (recorderProgram, recorderArguments) = network.inside(
                0,
                [
                    BuiltProduct.audiostreamer, "record", "-o", folder.path("take"), "--stats", folder.path("rec.json"),
                    folder.path("sdp/session.sdp"),
                ])
            let recorder = try Subprocess(recorderProgram, recorderArguments, in: folder.url, label: "recorder")
            #expect(sender.wait(seconds: 30) == 0, "\(sender.standardError)")
            #expect(recorder.wait(seconds: 15) == 0, "\(recorder.standardError)")
            let (listProgram, listArguments) = network.inside(0, [nft, "list", "table", "ip", "lossy"])
            let listing = try Subprocess.run(listProgram, listArguments, in: folder.url, label: "nft-list")
            let counted = try #require(
                listing.output.range(of: #"counter packets (\d+)"#, options: .regularExpression).map {
                    Int(listing.output[$0].split(separator: " ")[2])
                } ?? nil, "\(listing.output)")
            let statistics = try RecorderStatistics(folder.path("rec.json"))
            print(
                "nftables dropped \(counted) of 4000 packets; the recorder counted \(try statistics.int("l1", "lost"))")
            #expect(counted > 20, "nftables dropped only \(counted)")
            #expect(try statistics.int("l1", "lost") == counted)
            #expect(try statistics.int("l0", "lost") == 0)
            let files = try (0..<2).map { try RecordedFile(folder.path("take/l\($0).wav")) }
            #expect(files[0].frames == 192_000 && files[1].frames == 192_000)
            #expect(files[0].samples == sources[0].samples, "the untouched track differs")
            var silent = 0
            for packet in 0..<4000 {
                let recorded = Array(files[1].frames((48 * packet)..<(48 * packet + 48)))
                let sent = Array(sources[1].samples[(288 * packet)..<(288 * (packet + 1))])
                if recorded.allSatisfy({ $0 == 0 }) {
                    silent += 1
                } else if recorded != sent {
                    Issue.record("packet \(packet) is neither its source nor silence")
                    break
                }
            }
            #expect(silent == counted, "\(silent) packets of silence for \(counted) dropped")
            #expect(try statistics.int("l1", "lost_frames") <= 48 * counted)
        }
    }
}
