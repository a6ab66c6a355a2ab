import Foundation
import Glibc
import PCM
import Testing

extension EndToEnd {
    /// Faults a network inflicts, in test hosts of the test's own (network namespaces joined by a veth link): the
    /// route to the receiver removed and restored, the link taken down and brought up, the receiver absent and
    /// then present. The stream keeps its timeline, counts what it could not send, recovers by itself and says
    /// so once, not once per packet.
    @Suite(.serialized)
    struct FaultTests {
        static let stereo16 = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)

        /// The received RTP packets of `port`: sequence number, timestamp and arrival time.
        static func received(_ capture: Capture, port: Int) throws -> [(sequence: Int, timestamp: UInt32, time: Double)]
        {
            try capture.fields(
                "rtp && udp.dstport == \(port)", ["rtp.seq", "rtp.timestamp", "frame.time_epoch"],
                decode: ["udp.port==\(port),rtp"]
            ).compactMap { row in
                guard row.count >= 3, let sequence = Int(row[0]), let timestamp = UInt32(row[1]),
                    let time = Double(row[2])
                else { return nil }
                return (sequence, timestamp, time)
            }
        }

        /// The median of how far each packet arrived from its place on the timeline (arrival - sequence x 1 ms),
        /// in milliseconds, over `packets`.
        static func offset(_ packets: ArraySlice<(sequence: Int, timestamp: UInt32, time: Double)>) -> Double {
            let offsets = packets.map { ($0.time - Double($0.sequence) / 1000) * 1000 }.sorted()
            return offsets.isEmpty ? .nan : offsets[offsets.count / 2]
        }

        /// Streams `seconds` from host 0 to host 1 while `fault` runs 1.5 s in and `repair` `lasting` seconds later; checks that every packet
        /// that arrived is on the original timeline, that what did not arrive was counted as failed, and that the
        /// fault and the recovery were each said once. `inFlight` is how many packets the kernel may have taken and
        /// then lost (a link taken down drops what its queue held). Returns the sender's standard error.
        static func survive(
            _ name: String, id: Int, subnet: Int, inFlight: Int = 0, seconds: Int = 6, lasting: Double = 1.5,
            oneGap: Bool = true,
            fault: (TestNetwork, String, ScratchFolder) throws -> Void,
            repair: (TestNetwork, String, ScratchFolder) throws -> Void
        ) throws -> String {
            let folder = try ScratchFolder("fault-\(name)")
            let network = try TestNetwork(prefix: "asf\(id)", hosts: ["tx", "rx"])
            let (txLink, rxLink) = try network.link(0, "10.\(subnet).1.1", 1, "10.\(subnet).1.2", id: id)
            try TestWAV(format: Self.stereo16, seconds: Double(seconds), seed: UInt64(id)).write(
                to: folder.path("steady.wav"))
            let capture = try Capture(network, host: 1, interface: rxLink, filter: "udp", folder: folder, label: "rx")
            // A receiver bound on the port, so no ICMP port unreachable mixes in.
            let listener = try network.start(
                1,
                [
                    BuiltProduct.audiostreamer, "record", "--port", "29300", "--format", "L16", "-o",
                    folder.path("take"), "--idle", "8",
                ], folder: folder, label: "listener")
            #expect(network.waitForUDPListener(in: 1, port: 29_300, folder: folder), "\(listener.standardError)")
            let sender = try network.start(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "10.\(subnet).1.2", "--port", "29300", "--seq", "0",
                    "--timestamp", "0", "--stats", folder.path("stats.json"), "--sdp-dir", folder.path("sdp"),
                    folder.path("steady.wav"),
                ], folder: folder, label: "sender")
            Thread.sleep(forTimeInterval: 1.5)
            try fault(network, txLink, folder)
            Thread.sleep(forTimeInterval: lasting)
            try repair(network, txLink, folder)
            #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError)")
            listener.interrupt()
            capture.stop()

            let packets = try Self.received(capture, port: 29_300)
            let error = sender.standardError
            let total = seconds * 1000
            print("\(name): \(packets.count) of \(total) packets arrived")
            // On the timeline: timestamp = 48 x sequence (1 ms of 48 kHz is 48 frames).
            #expect(packets.allSatisfy { $0.timestamp == UInt32(48 * $0.sequence) }, "a packet off the timeline")
            // The same place in time before the fault and after the repair: the schedule did not shift.
            let before = Self.offset(packets.prefix(1000))
            let after = Self.offset(packets.suffix(1000))
            #expect(abs(after - before) < 2, "arrivals moved by \(after - before) ms across the fault")
            // What did not arrive, the sender counted as failed: every sequence number either arrived or failed.
            let stats = try String(contentsOfFile: folder.path("stats.json"), encoding: .utf8)
            let failed =
                stats.range(of: #""failed_sends": (\d+)"#, options: .regularExpression).flatMap {
                    Int(stats[$0].split(separator: " ").last ?? "")
                } ?? -1
            #expect(failed > 500, "only \(failed) sends failed: the fault did not bite")
            #expect(
                (total - inFlight...total).contains(packets.count + failed),
                "\(packets.count) arrived + \(failed) failed, of \(total)")
            // What is missing is one run of sequence numbers, at the fault: everything before it and after it arrived
            // (unless the fault lets some through, as a slow link does: `oneGap` false).
            let heard = Set(packets.map(\.sequence))
            let missing = (0..<total).filter { !heard.contains($0) }
            if oneGap, let first = missing.first, let last = missing.last {
                #expect(last - first + 1 == missing.count, "\(missing.count) missing, from \(first) to \(last)")
            }
            let failing = error.components(separatedBy: " fail (").count - 1
            let recovered = error.components(separatedBy: "go through again").count - 1
            #expect(failing == 1 && recovered == 1, "told \(failing) failures and \(recovered) recoveries:\n\(error)")
            return error
        }

        @Test(
            "the route removed and restored: sends fail, are counted, resume on the timeline, said once each",
            .enabled(if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts"),
            ExternalTool.tshark.trait)
        func routeRemovedAndRestored() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let error = try Self.survive(
                "route", id: 20, subnet: 216,
                fault: { network, link, folder in
                    try network.must(0, [network.ip, "route", "del", "10.216.1.0/24", "dev", link], folder: folder)
                },
                repair: { network, link, folder in
                    try network.must(
                        0,
                        [
                            network.ip, "route", "add", "10.216.1.0/24", "dev", link, "proto", "kernel", "scope",
                            "link",
                            "src", "10.216.1.1",
                        ], folder: folder)
                })
            #expect(error.contains("Network is unreachable"), "\(error)")
        }

        @Test(
            "the link down and up: sends fail, are counted, resume on the timeline, said once each",
            .enabled(if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts"),
            ExternalTool.tshark.trait)
        func linkDownAndUp() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            // The link comes back without its carrier for a while (the kernel tells carrier changes with up to a
            // second's delay, more on a loaded machine): datagrams sent then are taken and dropped without an error,
            // neither failed nor arrived. They are counted as in flight, and the run check above still holds them
            // to the fault.
            _ = try Self.survive(
                "link", id: 21, subnet: 217, inFlight: 2000,
                fault: { network, link, folder in
                    try network.must(0, [network.ip, "link", "set", link, "down"], folder: folder)
                },
                repair: { network, link, folder in
                    try network.must(0, [network.ip, "link", "set", link, "up"], folder: folder)
                })
        }

        /// The way out slower than the stream: a token bucket of 100 kbit/s on the sender's link with room for every
        /// packet, so the socket's send buffer fills and sends fail (EAGAIN) instead of waiting; the bucket opened to
        /// 1 Gbit/s lets what the buffer held leave and the rest go through. The fault lasts 4 s of an 8 s stream:
        /// the sender asks for a 1 MiB buffer (2 MiB of accounting where net.core.wmem_max allows it, as here: 1600 to
        /// 2300 of these packets, by the kernel's accounting), and 2.5 s of packets follow the repair.
        @Test(
            "the send buffer full: sends fail without blocking, are counted, resume on the timeline, said once each",
            .enabled(if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts"),
            ExternalTool.tshark.trait)
        func sendBufferFull() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let tc = "/usr/sbin/tc"
            try #require(FileManager.default.isExecutableFile(atPath: tc), "tc (iproute2) is missing")
            let error = try Self.survive(
                "buffer", id: 23, subnet: 219, seconds: 8, lasting: 4, oneGap: false,
                fault: { network, link, folder in
                    try network.must(
                        0,
                        [
                            tc, "qdisc", "add", "dev", link, "root", "tbf", "rate", "100kbit", "burst", "4kb", "limit",
                            "10mb",
                        ], folder: folder)
                },
                repair: { network, link, folder in
                    try network.must(
                        0,
                        [
                            tc, "qdisc", "change", "dev", link, "root", "tbf", "rate", "1gbit", "burst", "64kb",
                            "limit", "10mb",
                        ], folder: folder)
                })
            #expect(error.contains("the send buffer is full"), "\(error)")
        }

        /// Nobody listens at first (ICMP port unreachable, which the receiving host rate-limits to about one a
        /// second); a recorder starts 2 s in. Every packet is on the wire throughout, the refusal and the listener's
        /// arrival are each said once, and the recorder gets every packet from its start.
        @Test(
            "the receiver absent, then present: every packet on the wire, refusals counted, said once each way",
            .enabled(if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts"),
            ExternalTool.tshark.trait)
        func receiverAbsentThenPresent() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let folder = try ScratchFolder("fault-absent")
            let network = try TestNetwork(prefix: "asf22", hosts: ["tx", "rx"])
            let (_, rxLink) = try network.link(0, "10.218.1.1", 1, "10.218.1.2", id: 22)
            try TestWAV(format: Self.stereo16, seconds: 7, seed: 22).write(to: folder.path("early.wav"))
            let capture = try Capture(network, host: 1, interface: rxLink, filter: "udp", folder: folder, label: "rx")
            let sender = try network.start(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "10.218.1.2", "--port", "29310", "--seq", "0", "--timestamp",
                    "0", "--stats", folder.path("stats.json"), "--sdp-dir", folder.path("sdp"),
                    folder.path("early.wav"),
                ], folder: folder, label: "sender")
            Thread.sleep(forTimeInterval: 2)
            let recorder = try network.start(
                1,
                [
                    BuiltProduct.audiostreamer, "record", "--port", "29310", "--format", "L16", "-o",
                    folder.path("take"), "--idle", "2", "--stats", folder.path("record.json"),
                ], folder: folder, label: "recorder")
            #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError)")
            #expect(recorder.wait(seconds: 10) == 0, "\(recorder.standardError)")
            capture.stop()
            let packets = try Self.received(capture, port: 29_310)
            #expect(packets.count == 7000, "\(packets.count) of 7000 packets on the wire")
            let error = sender.standardError
            #expect(error.components(separatedBy: "nobody listens").count - 1 == 1, "\(error)")
            #expect(error.components(separatedBy: "listens now").count - 1 == 1, "\(error)")
            let stats = try String(contentsOfFile: folder.path("stats.json"), encoding: .utf8)
            #expect(!stats.contains(#""refused_sends": 0,"#), "no refusal counted: \(stats)")
            // The recorder heard everything from its start to the end: nothing lost in between.
            let record = try String(contentsOfFile: folder.path("record.json"), encoding: .utf8)
            #expect(record.contains(#""lost": 0,"#), "\(record)")
            #expect(recorder.standardError.contains("received, 0 lost"), "\(recorder.standardError)")
        }
    }
}
