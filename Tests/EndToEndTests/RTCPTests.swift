import Foundation
import Interfaces
import PCM
import Platform
import RTP
import Testing

extension EndToEnd {
    /// RTCP as receivers see it: sender reports that agree with the packets and the wall clock, compounds that
    /// Wireshark dissects, reports from receivers parsed defensively, and a BYE at every kind of end.
    @Suite(.serialized)
    struct RTCPTests {
        static let format = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)

        /// A loopback receiver for RTP on `port` and RTCP on `port + 1`, with kernel receive times.
        final class Receiver {
            let rtp: UDPSocket
            let rtcp: UDPSocket
            var packets: [(packet: RTPPacket, arrival: Int64, payload: [UInt8])] = []
            var reports: [(packets: [RTCPPacket], arrival: Int64)] = []

            init(port: Int) throws {
                rtp = try boundReceiver(.ipv4, port: port)
                rtcp = try boundReceiver(.ipv4, port: port + 1)
                try rtp.enableReceiveTimestamps()
                try rtcp.enableReceiveTimestamps()
            }

            /// Receives until both sockets have been quiet for `quietMilliseconds` or a BYE came and RTP is quiet.
            func collect(quietMilliseconds: Int = 1500, until deadline: Date = Date().addingTimeInterval(30)) throws {
                var buffer = [UInt8](repeating: 0, count: 65_536)
                var quiet = Date()
                while Date() < deadline && Date().timeIntervalSince(quiet) * 1000 < Double(quietMilliseconds) {
                    let ready = UDPSocket.waitForReadable([rtp, rtcp], milliseconds: 50)
                    for socket in ready {
                        // The kernel's receive time (SO_TIMESTAMPNS), not when this thread got round to reading.
                        guard let (count, arrival) = try buffer.withUnsafeMutableBytes({ try socket.receive(into: $0) })
                        else { continue }
                        quiet = Date()
                        let bytes = Array(buffer[0..<count])
                        if socket === rtp {
                            let packet = try RTPPacket(parsing: bytes)
                            packets.append((packet, arrival, Array(bytes[packet.payloadRange])))
                        } else {
                            reports.append((try RTCPPacket.parseCompound(bytes), arrival))
                        }
                    }
                }
            }

            var senderReports: [(report: RTCPSenderReport, arrival: Int64)] {
                reports.compactMap { entry in
                    guard case .senderReport(let report) = entry.packets.first else { return nil }
                    return (report, entry.arrival)
                }
            }
        }

        @Test("sender reports agree with the packets' timeline within 100 us and with the wall clock within 1 ms")
        func senderReportsAgreeWithTheStream() throws {
            let folder = try ScratchFolder("sr")
            let wav = TestWAV(format: Self.format, seconds: 4)
            try wav.write(to: folder.path("t.wav"))
            let receiver = try Receiver(port: 26_100)
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                ["--port", "26100", "--rtcp-interval", "0.5", "--sdp-dir", folder.path("sdp"), folder.path("t.wav")],
                in: folder.url, label: "sender")
            try receiver.collect()
            #expect(sender.wait(seconds: 10) == 0, "\(sender.standardError)")
            #expect(receiver.packets.map(\.payload).flatMap { $0 } == wav.expectedBigEndian)
            let reports = receiver.senderReports
            #expect(reports.count >= 4, "expected several SRs at a 0.5 s minimum interval, got \(reports.count)")
            // Each packet says when media time `timestamp` was due, give or take its own lateness, which is never
            // negative: the earliest-arriving estimate is closest to the true timeline.
            var worstTimeline: Int64 = 0
            var worstWallClock: Int64 = 0
            defer {
                print(
                    "SR agreement over \(reports.count) SRs: timeline within \(worstTimeline) ns, wall clock within \(worstWallClock) ns"
                )
            }
            for (report, arrival) in reports {
                let ntp = report.ntpTimestamp.unixNanoseconds
                var best = Int64.max
                for (packet, packetArrival, _) in receiver.packets {
                    let frames = Int64(Int32(bitPattern: packet.header.timestamp &- report.rtpTimestamp))
                    let implied = packetArrival - frames * 1_000_000_000 / 48_000
                    best = min(best, implied - ntp)
                }
                #expect(abs(best) < 100_000, "SR at RTP \(report.rtpTimestamp): timeline off by \(best) ns")
                worstTimeline = max(worstTimeline, abs(best))
                worstWallClock = max(worstWallClock, abs(arrival - ntp))
                #expect(abs(arrival - ntp) < 1_000_000, "SR NTP time \(arrival - ntp) ns from the receiver's clock")
                #expect(report.ssrc == receiver.packets.first?.packet.header.ssrc)
            }
            // The final SR counts everything sent.
            if let last = reports.last?.report {
                #expect(Int(last.packetCount) == receiver.packets.count)
                #expect(Int(last.octetCount) == wav.expectedBigEndian.count)
            }
            // The first SR comes right after the first packet, well before the second second of media.
            if let first = reports.first, let firstPacket = receiver.packets.first {
                #expect(
                    first.arrival - firstPacket.arrival < 50_000_000,
                    "first SR \(first.arrival - firstPacket.arrival) ns after the first packet")
            }
        }

        @Test("receiver reports are parsed into --stats, malformed RTCP is dropped and counted, the stream goes on")
        func receiverReportsAndMalformedRTCP() throws {
            let folder = try ScratchFolder("rr")
            let wav = TestWAV(format: Self.format, seconds: 2.5)
            try wav.write(to: folder.path("t.wav"))
            let receiver = try Receiver(port: 26_110)
            let statsPath = folder.path("stats.json")
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "--port", "26110", "--rtcp-interval", "0.3", "--stats", statsPath, "--cname", "sender@test",
                    "--sdp-dir", folder.path("sdp"), folder.path("t.wav"),
                ], in: folder.url, label: "sender")
            // Wait for the first SR: its source is the sender's RTCP socket, where replies go.
            let deadline = Date().addingTimeInterval(10)
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var source: Endpoint?
            var ssrc: UInt32 = 0
            while source == nil && Date() < deadline {
                for socket in UDPSocket.waitForReadable([receiver.rtp, receiver.rtcp], milliseconds: 50) {
                    guard let (count, from) = buffer.withUnsafeMutableBytes({ socket.receiveNow(into: $0) }) else {
                        continue
                    }
                    let bytes = Array(buffer[0..<count])
                    if socket === receiver.rtp {
                        let packet = try RTPPacket(parsing: bytes)
                        receiver.packets.append((packet, 0, Array(bytes[packet.payloadRange])))
                    } else if case .senderReport(let report) = try RTCPPacket.parseCompound(bytes).first {
                        source = from
                        ssrc = report.ssrc
                        receiver.reports.append((try RTCPPacket.parseCompound(bytes), 0))
                    }
                }
            }
            let target = try #require(source, "no SR arrived")
            let corpus: [[UInt8]] = [
                [],  // empty
                [0x80, 0xC9, 0x00],  // shorter than a header
                [0x40, 0xC9, 0x00, 0x01, 0, 0, 0, 1],  // version 1
                [0x81, 0xC9, 0x00, 0x07, 0, 0, 0, 1],  // RR whose length runs past the datagram
                [0x80, 0xC9, 0x00, 0x00, 0xFF, 0xFF],  // zero-length RR with bytes after it that are no packet
                [0x9F, 0xC9, 0x00, 0x01, 0, 0, 0, 1],  // RR claiming 31 report blocks in 4 bytes
                [0xBF, 0xCB, 0x00, 0x01, 0, 0, 0, 1],  // BYE claiming 31 sources, padding bit set
                [0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 0],  // padding bit with a padding count of 0
                [0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 9],  // padding count beyond the packet
            ]
            let sendSocket = receiver.rtcp
            for datagram in corpus {
                _ = datagram.withUnsafeBytes { sendSocket.send($0, to: target) }
            }
            // A valid report: RR from SSRC 0xCAFE with one block about the stream, then SDES CNAME.
            let block = RTCPReportBlock(
                ssrc: ssrc, fractionLost: 0, cumulativeLost: 0, extendedHighestSequence: 1000, jitter: 96,
                lastSenderReport: 0, delaySinceLastSenderReport: 0)
            let report = RTCPPacket.compound([
                .receiverReport(RTCPReceiverReport(ssrc: 0xCAFE, reports: [block])),
                .sourceDescription(
                    RTCPSourceDescription(chunks: [.init(ssrc: 0xCAFE, items: [.init(type: 1, text: "rx@test")])])),
            ])
            _ = report.withUnsafeBytes { sendSocket.send($0, to: target) }
            try receiver.collect()
            #expect(sender.wait(seconds: 10) == 0, "\(sender.standardError)")
            #expect(receiver.packets.map(\.payload).flatMap { $0 } == wav.expectedBigEndian, "the stream was disturbed")
            let stats = try String(contentsOfFile: statsPath, encoding: .utf8)
            #expect(stats.contains("\"rtcp_dropped\": \(corpus.count)"), "\(stats)")
            #expect(stats.contains("\"cname\": \"rx@test\""), "\(stats)")
            #expect(stats.contains("\"ssrc\": \(0xCAFE)"), "\(stats)")
            #expect(stats.contains("\"jitter_ms\": 2.000"), "96 / 48 kHz = 2 ms: \(stats)")
            #expect(stats.contains("\"cumulative_lost\": 0"), "\(stats)")
            #expect(stats.contains("\"cname\": \"sender@test\""), "\(stats)")
        }

        /// Waits for the first sender report on `receiver`'s RTCP port: where replies go, and the stream's SSRC.
        static func firstSenderReport(_ receiver: Receiver) throws -> (source: Endpoint, ssrc: UInt32) {
            let deadline = Date().addingTimeInterval(10)
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while Date() < deadline {
                for socket in UDPSocket.waitForReadable([receiver.rtp, receiver.rtcp], milliseconds: 50) {
                    guard let (count, from) = buffer.withUnsafeMutableBytes({ socket.receiveNow(into: $0) }) else {
                        continue
                    }
                    guard socket === receiver.rtcp,
                        case .senderReport(let report) = try RTCPPacket.parseCompound(Array(buffer[0..<count])).first
                    else { continue }
                    return (from, report.ssrc)
                }
            }
            throw RTCPTestError.noSenderReport
        }

        enum RTCPTestError: Error { case noSenderReport }

        /// A receiver report from `reporter` about `ssrc`, with its SDES CNAME.
        static func receiverReport(from reporter: UInt32, about ssrc: UInt32, lost: Int32, cname: String) -> [UInt8] {
            let block = RTCPReportBlock(
                ssrc: ssrc, fractionLost: 0, cumulativeLost: lost, extendedHighestSequence: 1000, jitter: 48,
                lastSenderReport: 0, delaySinceLastSenderReport: 0)
            return RTCPPacket.compound([
                .receiverReport(RTCPReceiverReport(ssrc: reporter, reports: [block])),
                .sourceDescription(
                    RTCPSourceDescription(chunks: [.init(ssrc: reporter, items: [.init(type: 1, text: cname)])])),
            ])
        }

        @Test(
            "an ST 2022-7 stream: sender reports on each leg, receivers report back on each, --stats keeps the legs apart"
        )
        func receiverReportsOnBothLegs() throws {
            let folder = try ScratchFolder("rr-legs")
            try TestWAV(format: Self.format, seconds: 2.5).write(to: folder.path("t.wav"))
            let legs = [try Receiver(port: 26_140), try Receiver(port: 26_150)]
            let statsPath = folder.path("stats.json")
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "--port", "26140", "--redundant-ip", "127.0.0.1", "--redundant-port", "26150", "--rtcp-interval",
                    "0.3", "--stats", statsPath, "--no-realtime", "--sdp-dir", folder.path("sdp"), folder.path("t.wav"),
                ], in: folder.url, label: "sender")
            // Each leg's SR comes from that leg's RTCP socket; a receiver on each network answers there.
            for (leg, (reporter, lost, cname)) in zip(
                legs, [(UInt32(0xA1), Int32(3), "first@test"), (0xB2, 7, "second@test")])
            {
                let (source, ssrc) = try Self.firstSenderReport(leg)
                let report = Self.receiverReport(from: reporter, about: ssrc, lost: lost, cname: cname)
                _ = report.withUnsafeBytes { leg.rtcp.send($0, to: source) }
            }
            #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError)")
            let said = sender.standardError
            #expect(said.contains("t: receiver 'first@test' (127.0.0.1:26141): lost 3"), "\(said)")
            #expect(said.contains("t: receiver 'second@test' (127.0.0.1:26151): lost 7"), "\(said)")

            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statsPath)))
            let track = try #require(((document as? [String: Any])?["tracks"] as? [[String: Any]])?.first)
            let firstLeg = try #require(track["receivers"] as? [[String: Any]])
            let secondLeg = try #require(track["second_leg"] as? [String: Any])
            let secondReceivers = try #require(secondLeg["receivers"] as? [[String: Any]])
            #expect(firstLeg.map { $0["cname"] as? String } == ["first@test"], "\(track)")
            #expect(firstLeg.first?["cumulative_lost"] as? Int == 3, "\(track)")
            #expect(secondReceivers.map { $0["cname"] as? String } == ["second@test"], "\(track)")
            #expect(secondReceivers.first?["cumulative_lost"] as? Int == 7, "\(track)")
            #expect((secondLeg["rtcp_sent"] as? Int ?? 0) >= 2, "\(secondLeg)")
        }

        @Test("SIGINT ends the stream with SR and BYE within 100 ms, exit 0")
        func interruptSendsGoodbye() throws {
            let folder = try ScratchFolder("sigint")
            try TestWAV(format: Self.format, seconds: 1).write(to: folder.path("t.wav"))
            let receiver = try Receiver(port: 26_120)
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                ["--port", "26120", "--loop", "--sdp-dir", folder.path("sdp"), folder.path("t.wav")], in: folder.url,
                label: "sender")
            try receiver.collect(quietMilliseconds: 10_000, until: Date().addingTimeInterval(1.5))
            let signalled = WallClock().now()
            sender.send(SIGINT)
            try receiver.collect(quietMilliseconds: 500)
            #expect(sender.wait(seconds: 5) == 0, "\(sender.standardError)")
            let goodbye = receiver.reports.first { entry in
                entry.packets.contains { if case .goodbye = $0 { true } else { false } }
            }
            let bye = try #require(goodbye, "no BYE after SIGINT")
            #expect(bye.arrival - signalled < 100_000_000, "BYE \(bye.arrival - signalled) ns after SIGINT")
            if case .senderReport = bye.packets.first {
            } else {
                Issue.record("the BYE compound does not start with an SR")
            }
        }

        @Test("tshark dissects every RTCP compound: SR first, SDES CNAME, BYE at the end", ExternalTool.tshark.trait)
        func tsharkDissectsRTCP() throws {
            let tshark = try ExternalTool.tshark.require()
            let folder = try ScratchFolder("tshark-rtcp")
            try TestWAV(format: Self.format, seconds: 2).write(to: folder.path("t.wav"))
            let receiver = try Receiver(port: 26_130)
            let capture = folder.path("rtcp.pcap")
            let capturer = try Subprocess(
                tshark, ["-i", "lo", "-f", "udp dst port 26131", "-w", capture], in: folder.url, label: "capture")
            let started = Date()
            while !capturer.standardError.contains("Capturing on") && Date().timeIntervalSince(started) < 20 {
                Thread.sleep(forTimeInterval: 0.05)
            }
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                ["--port", "26130", "--rtcp-interval", "0.3", "--sdp-dir", folder.path("sdp"), folder.path("t.wav")],
                in: folder.url, label: "sender")
            try receiver.collect()
            #expect(sender.wait(seconds: 10) == 0)
            Thread.sleep(forTimeInterval: 0.3)
            capturer.interrupt()
            let decode = ["-r", capture, "-d", "udp.port==26131,rtcp"]
            let fields = try Subprocess.run(
                tshark, decode + ["-T", "fields", "-e", "rtcp.pt", "-e", "rtcp.sdes.type", "-e", "rtcp.sdes.text"],
                in: folder.url, label: "fields")
            let rows = fields.output.split(separator: "\n").map {
                $0.split(separator: "\t", omittingEmptySubsequences: false)
            }
            #expect(rows.count == receiver.reports.count && rows.count >= 3, "\(fields.output)")
            for (index, row) in rows.enumerated() {
                let types = row.first?.split(separator: ",") ?? []
                #expect(types.first == "200", "compound \(index) does not start with SR: \(row)")
                #expect(types.contains("202"), "compound \(index) lacks SDES: \(row)")
                #expect(row.count > 1 && row[1].split(separator: ",").contains("1"), "no CNAME item: \(row)")
                #expect(
                    types.contains("203") == (index == rows.count - 1), "BYE must be in the last compound only: \(row)")
            }
            let bad = try Subprocess.run(
                tshark, decode + ["-Y", "_ws.malformed || _ws.expert.severity >= warning || !rtcp"], in: folder.url,
                label: "malformed")
            #expect(bad.output.isEmpty, "tshark flagged RTCP packets:\n\(bad.output)")
        }
    }
}
