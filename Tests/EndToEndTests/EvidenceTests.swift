import Foundation
import PCM
import Testing

extension EndToEnd {
    /// The recorder weighing what it is told (SDP files, reference clocks) against what it hears (sender reports,
    /// arrival), on test hosts: a stale description and an unverifiable PTP claim lose to the wire and are said
    /// once; a PTP clock this host follows places the stream by itself.
    @Suite(.serialized)
    struct EvidenceTests {
        static let stereo24 = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)
        static let hosts = ConditionTrait.enabled(
            if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts")

        /// A whole millisecond `seconds` from now.
        static func wholeMillisecond(in seconds: Double) -> Date {
            Date(timeIntervalSince1970: ((Date().timeIntervalSince1970 + seconds) * 1000).rounded(.down) / 1000)
        }

        /// How many lines of `text` contain `fragment`.
        static func lines(_ text: String, containing fragment: String) -> Int {
            text.split(separator: "\n").filter { $0.contains(fragment) }.count
        }

        /// SDP files from a short earlier run with `--timestamps random`, then the real run (new random origins) from
        /// two PCs started 0.25 s apart: the recorder, started on the stale files, follows the sender reports; each
        /// track is bit-exact at its place (0 and 12 000 frames), and each stale media clock is said once.
        @Test("a stale SDP from an earlier random-timestamp run: placed by the sender reports, exact, said once", hosts)
        func staleDescriptions() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let folder = try ScratchFolder("stale-sdp")
            let network = try TestNetwork(prefix: "asevd", hosts: ["rx", "pc1", "pc2"])
            try network.link(1, "10.232.1.1", 0, "10.232.1.2", id: 42)
            try network.link(2, "10.232.2.1", 0, "10.232.2.2", id: 43)
            let sources = [
                TestWAV(format: Self.stereo24, seconds: 2, seed: 180),
                TestWAV(format: Self.stereo24, seconds: 2, seed: 181),
            ]
            for (index, source) in sources.enumerated() { try source.write(to: folder.path("pc\(index + 1).wav")) }
            let pcs = [(1, "10.232.1.2", 29_600), (2, "10.232.2.2", 29_610)]
            _ = BuiltProduct.audiostreamer
            // The earlier run: 50 ms each, to the same ports, with origins of their own.
            for (host, address, port) in pcs {
                let run = try network.exec(
                    host,
                    [
                        BuiltProduct.audiostreamer, "--ip", address, "--port", String(port), "--timestamps", "random",
                        "--duration", "0.05", "--sdp-dir", folder.path("stale\(host)"), folder.path("pc\(host).wav"),
                    ], folder: folder, label: "earlier\(host)")
                #expect(run.status == 0, "\(run.error)")
            }
            let stale = pcs.map { folder.path("stale\($0.0)/pc\($0.0).sdp") }
            let recorder = try network.start(
                0,
                [
                    BuiltProduct.audiostreamer, "record", "-o", folder.path("take"), "--idle", "5", "--stats",
                    folder.path("rec.json"),
                ] + stale, folder: folder, label: "recorder")
            for (_, _, port) in pcs {
                #expect(network.waitForUDPListener(in: 0, port: port, folder: folder), "\(recorder.standardError)")
            }
            // The real run: pc2 started 0.25 s after pc1, each starting its first sample 0.25 s after the other.
            let first = Self.wholeMillisecond(in: 2)
            var senders: [Subprocess] = []
            for (host, address, port) in pcs {
                let start = first.addingTimeInterval(0.25 * Double(host - 1))
                senders.append(
                    try network.start(
                        host,
                        [
                            BuiltProduct.audiostreamer, "--no-realtime", "--ip", address, "--port", String(port),
                            "--timestamps", "random", "--start-at", RecorderNetworkTests.iso(start), "--sdp-dir",
                            folder.path("real\(host)"),
                            folder.path("pc\(host).wav"),
                        ], folder: folder, label: "pc\(host)"))
                if host == 1 { Thread.sleep(forTimeInterval: 0.25) }
            }
            for sender in senders { #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError)") }
            #expect(recorder.wait(seconds: 10) == 0, "\(recorder.standardError)")
            for (host, _, _) in pcs {
                let old = try String(contentsOfFile: stale[host - 1], encoding: .utf8)
                let new = try String(contentsOfFile: folder.path("real\(host)/pc\(host).sdp"), encoding: .utf8)
                let clock = { (text: String) in text.split(separator: "\r\n").first { $0.hasPrefix("a=mediaclk") } }
                #expect(clock(old) != nil && clock(old) != clock(new), "the origins: \(old)\n\(new)")
            }
            let statistics = try RecorderStatistics(folder.path("rec.json"))
            #expect(statistics.start == Int64((first.timeIntervalSince1970 * 1000).rounded()) * 1_000_000)
            for (index, source) in sources.enumerated() {
                let name = "pc\(index + 1)"
                let offset = index * 12_000
                let file = try RecordedFile(folder.path("take/\(name).wav"))
                #expect(file.frames == 96_000 + 12_000, "\(name): \(file.frames) frames")
                #expect(file.frames(0..<offset).allSatisfy { $0 == 0 }, "\(name): not silent before its start")
                #expect(
                    Array(file.frames(offset..<offset + 96_000)) == source.samples, "\(name) not exact at \(offset)")
                #expect(try statistics.int(name, "offset_frames") == offset)
                let segments = try #require(try statistics.track(name)["segments"] as? [[String: Any]])
                #expect(segments.map { $0["mapping"] as? String } == ["sender reports"], "\(segments)")
                // Said once for the track: the stale media clock against the reports followed.
                let said = recorder.standardError.split(separator: "\n").filter {
                    $0.hasPrefix("warning: \(name): by the description's media clock it stands ")
                        && $0.hasSuffix("from where it stands by its sender reports; followed its sender reports")
                }
                #expect(said.count == 1, "\(name): \(recorder.standardError)")
            }
        }

        /// ptp4l in two test hosts (the recorder's the grandmaster, the sender's following it), one sender with two
        /// PTP-timestamped tracks. One recorder, asking a socket where no ptp4l answers, gets an SDP whose media
        /// clock stands 30 s from the packets: said once, placed by what it heard, no 30 s of silence. Another,
        /// asking the grandmaster's ptp4l, gets the honest SDP: placed by the media clock, exact.
        @Test(
            "a PTP media clock: 30 s off and unverifiable, said and placed by what is heard; verified by ptp4l, followed",
            hosts, ExternalTool.ptp4l.trait)
        func ptpClaims() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let ptp4l = try ExternalTool.ptp4l.require()
            let folder = try ScratchFolder("ptp-claims")
            let network = try TestNetwork(prefix: "asevp", hosts: ["gm", "tx"])
            let (gmLink, txLink) = try network.link(0, "10.233.1.1", 1, "10.233.1.2", id: 44)
            let gmSocket = folder.path("gm.uds")
            let txSocket = folder.path("tx.uds")
            _ = try writePTPConfiguration(
                "gm", domain: 7, socket: gmSocket, grandmaster: "001dc1.fffe.0000c3", folder: folder)
            _ = try writePTPConfiguration("tx", domain: 7, socket: txSocket, grandmaster: nil, folder: folder)
            let grandmaster = try network.start(
                0, [ptp4l, "-f", folder.path("gm.cfg"), "-i", gmLink, "-m"], folder: folder, label: "ptp4l-gm")
            let follower = try network.start(
                1, [ptp4l, "-f", folder.path("tx.cfg"), "-i", txLink, "-m"], folder: folder, label: "ptp4l-tx")
            defer {
                grandmaster.interrupt()
                follower.interrupt()
            }
            let deadline = Date().addingTimeInterval(20)
            while !follower.standardOutput.contains("selected best master clock 001dc1.fffe.0000c3")
                && Date() < deadline
            {
                Thread.sleep(forTimeInterval: 0.1)
            }
            try #require(
                follower.standardOutput.contains("selected best master clock 001dc1.fffe.0000c3"),
                "ptp4l did not settle:\n\(grandmaster.standardOutput)\n\(follower.standardOutput)")

            let sources = [
                TestWAV(format: Self.stereo24, seconds: 2, seed: 190),
                TestWAV(format: Self.stereo24, seconds: 2, seed: 191),
            ]
            try sources[0].write(to: folder.path("told.wav"))
            try sources[1].write(to: folder.path("honest.wav"))
            _ = BuiltProduct.audiostreamer
            let start = Self.wholeMillisecond(in: 3)
            let sender = try network.start(
                1,
                [
                    BuiltProduct.audiostreamer, "--ip", "10.233.1.1", "--port", "29620", "--ptp4l-socket", txSocket,
                    "--timestamps", "ptp", "--start-at", RecorderNetworkTests.iso(start), "--sdp-dir",
                    folder.path("sdp"),
                    folder.path("told.wav"), folder.path("honest.wav"),
                ], folder: folder, label: "sender")
            let told = folder.path("sdp/told.sdp")
            let honest = folder.path("sdp/honest.sdp")
            #expect(waitForFile(told) && waitForFile(honest), "\(sender.standardError)")
            let text = try String(contentsOfFile: told, encoding: .utf8)
            try #require(text.contains("a=ts-refclk:ptp=IEEE1588-2008:00-1D-C1-FF-FE-00-00-C3:7\r\n"), "\(text)")
            try #require(text.contains("a=mediaclk:direct=0\r\n"), "\(text)")
            // 30 s of samples more in the offset: the media clock puts the stream 30 s before its packets.
            let off = folder.path("off.sdp")
            try text.replacingOccurrences(of: "a=mediaclk:direct=0\r\n", with: "a=mediaclk:direct=1440000\r\n")
                .write(toFile: off, atomically: true, encoding: .utf8)
            let recorders = try [
                ("off", off, folder.path("no-ptp4l.uds")), ("honest", honest, gmSocket),
            ]
            .map { label, sdp, socket in
                try network.start(
                    0,
                    [
                        BuiltProduct.audiostreamer, "record", "-o", folder.path(label), "--idle", "5",
                        "--ptp4l-socket", socket, "--stats", folder.path("\(label).json"), sdp,
                    ], folder: folder, label: "record-\(label)")
            }
            #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError)")
            for recorder in recorders { #expect(recorder.wait(seconds: 10) == 0, "\(recorder.standardError)") }
            let zero = Int64((start.timeIntervalSince1970 * 1000).rounded()) * 1_000_000
            for ((label, track, mapping), source) in zip(
                [("off", "told", "sender reports"), ("honest", "honest", "mediaclk")], sources)
            {
                let file = try RecordedFile(folder.path("\(label)/\(track).wav"))
                #expect(file.samples == source.samples, "\(label): \(file.frames) frames, not its source")
                let statistics = try RecorderStatistics(folder.path("\(label).json"))
                #expect(statistics.start == zero, "\(label): time zero \(statistics.start ?? 0), sent at \(zero)")
                let segments = try #require(try statistics.track(track)["segments"] as? [[String: Any]])
                #expect(segments.map { $0["mapping"] as? String } == [mapping], "\(label): \(segments)")
            }
            let offRecorder = recorders[0].standardError
            #expect(
                Self.lines(
                    offRecorder,
                    containing:
                        "told: by the description's media clock it stands -1440000 samples (-30.000 s) from where it stands by its sender reports; followed its sender reports"
                ) == 1, "\(offRecorder)")
            #expect(
                !recorders[1].standardError.contains("warning:"),
                "the honest stream: \(recorders[1].standardError)")
        }
    }
}
