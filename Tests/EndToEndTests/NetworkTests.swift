import Foundation
import Glibc
import PCM
import Testing

extension EndToEnd {
    /// audiostreamer on networks of test hosts (network namespaces joined by veth links, made here and removed
    /// after), judged by tshark, ffmpeg, ptp4l and the recorder on the other host: every packet on the wire, DSCP,
    /// Don't Fragment, multicast, SAP, PTP time, loss reported back. Multicast and SAP never leave these hosts.
    @Suite(.serialized)
    struct NetworkTests {
        static let stereo24 = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)
        static let hosts = ConditionTrait.enabled(
            if: TestNetwork.available || ExternalTool.required,
            "needs root and iproute2 to make test hosts in network namespaces")

        /// The `--stats` JSON of a sender: its streams' counters and what their receivers reported.
        static func senderStatistics(_ path: String) throws -> [String: Any] {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let streams = try #require(json["tracks"] as? [[String: Any]])
            return try #require(streams.first, "no stream in \(path)")
        }

        /// The number before `word` in a summary line such as "2000 packets, 3 late, 1999 refused".
        static func count(_ word: String, in line: String) -> Int? {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "," })
            guard let index = parts.firstIndex(where: { $0 == word }), index > 0 else { return nil }
            return Int(parts[index - 1])
        }

        /// ffmpeg inside host `index`, decoding what `input` (an SDP file or a sap:// URL) describes to raw
        /// big-endian 24-bit samples in `output`.
        static func ffmpeg(
            _ network: TestNetwork, _ index: Int, input: String, output: String, folder: ScratchFolder, label: String
        ) throws -> Subprocess {
            let ffmpeg = try ExternalTool.ffmpeg.require()
            return try network.start(
                index,
                [
                    ffmpeg, "-nostdin", "-loglevel", "warning", "-protocol_whitelist", "file,udp,rtp", "-i", input,
                    "-c:a", "pcm_s24be", "-f", "s24be", "-y", output,
                ], folder: folder, label: label)
        }

        /// The test file's samples as L24 carries them, which ffmpeg writes raw.
        static func raw(_ path: String) -> [UInt8] {
            [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
        }

        // MARK: - 1. Every packet on the wire

        /// Nobody listens on the port: each ICMP port unreachable makes the next send fail with ECONNREFUSED. The
        /// sender sends that packet again at once and counts the refusal, so tshark sees every packet.
        @Test(
            "no receiver listening: every packet is on the wire, and the ICMP errors are counted",
            ExternalTool.tshark.trait)
        func everyPacketLeaves() throws {
            let tshark = try ExternalTool.tshark.require()
            let folder = try ScratchFolder("every-packet")
            let port = 29_000
            try TestWAV(format: Self.stereo24, seconds: 1).write(to: folder.path("lonely.wav"))
            let capture = folder.path("lo.pcap")
            let capturer = try Subprocess(
                tshark, ["-i", "lo", "-f", "udp port \(port) or icmp", "-w", capture], in: folder.url, label: "capture")
            let began = Date()
            while !capturer.standardError.contains("Capturing on") && Date().timeIntervalSince(began) < 20 {
                Thread.sleep(forTimeInterval: 0.05)
            }
            let sender = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--port", String(port), "--sdp-dir", folder.path("sdp"), folder.path("lonely.wav")], in: folder.url,
                label: "sender", timeout: 15)
            #expect(sender.status == 0, "\(sender.error)")
            Thread.sleep(forTimeInterval: 0.3)
            capturer.interrupt()
            let summary = sender.error.split(separator: "\n").last.map(String.init) ?? ""
            let refused = Self.count("refused", in: summary) ?? -1
            let read = try Subprocess.run(
                tshark, ["-r", capture, "-T", "fields", "-e", "udp.dstport", "-e", "icmp.type"], in: folder.url,
                label: "read")
            let rows = read.output.split(separator: "\n").map {
                $0.split(separator: "\t", omittingEmptySubsequences: false)
            }
            // ICMP errors quote the datagram's UDP header: tell them by their ICMP type, 3.
            let unreachable = rows.filter { $0.count > 1 && $0[1] == "3" }.count
            let packets = rows.filter { $0.first == "\(port)" && ($0.count < 2 || $0[1].isEmpty) }.count
            print(
                "nobody listening: \(packets) of 1000 packets on the wire, \(unreachable) ICMP errors, \(refused) refused"
            )
            #expect(packets == 1000, "tshark saw \(packets) of 1000 RTP packets")
            // Loopback does not rate-limit ICMP, so nearly every packet gets one back; before this fix at most
            // every other send was refused, and refused ones were lost.
            #expect(
                refused > 500 && refused <= unreachable, "\(refused) refused, \(unreachable) ICMP errors: \(summary)")
        }

        // MARK: - 2. Unicast across hosts

        /// Two test hosts, IPv4 then IPv6: ffmpeg on the receiving host decodes bit-exact from the SDP, and tshark
        /// there sees every RTP and RTCP packet with DSCP 34, whole (Don't Fragment, and nothing fragmented).
        @Test(
            "unicast IPv4 and IPv6 to another host: ffmpeg bit-exact; no fragments, DF, and DSCP 34 on RTP and RTCP",
            hosts, ExternalTool.ffmpeg.trait, ExternalTool.tshark.trait)
        func unicastAcrossHosts() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let folder = try ScratchFolder("unicast-hosts")
            let network = try TestNetwork(prefix: "asuni", hosts: ["tx", "rx"])
            let (_, rxLink) = try network.link(
                0, "10.210.1.1", 1, "10.210.1.2", id: 10, ipv6: ("fd00:210::1", "fd00:210::2"))
            let source = TestWAV(format: Self.stereo24, seconds: 2, seed: 100)
            try source.write(to: folder.path("take.wav"))
            let capture = try Capture(
                network, host: 1, interface: rxLink, filter: "udp or ip6", folder: folder, label: "rx")
            for (family, destination, port) in [("IPv4", "10.210.1.2", 29_010), ("IPv6", "fd00:210::2", 29_020)] {
                let sdpFolder = folder.path("sdp-\(port)")
                let sender = try network.start(
                    0,
                    [
                        BuiltProduct.audiostreamer, "--ip", destination, "--port", String(port), "--start-at", "+3",
                        "--rtcp-interval", "0.5", "--sdp-dir", sdpFolder, folder.path("take.wav"),
                    ], folder: folder, label: "sender-\(port)")
                #expect(waitForFile(sdpFolder + "/take.sdp"), "no SDP: \(sender.standardError)")
                let output = folder.path("ffmpeg-\(port).raw")
                let ffmpeg = try Self.ffmpeg(
                    network, 1, input: sdpFolder + "/take.sdp", output: output, folder: folder, label: "ffmpeg-\(port)")
                #expect(network.waitForUDPListener(in: 1, port: port, folder: folder), "\(ffmpeg.standardError)")
                #expect(sender.wait(seconds: 15) == 0, "\(family): \(sender.standardError)")
                #expect(ffmpeg.wait(seconds: 8) != nil, "ffmpeg did not stop on the BYE: \(ffmpeg.standardError)")
                expectSame(Self.raw(output), source.expectedBigEndian, "\(family): ffmpeg's decoding")
            }
            capture.stop()
            // Every datagram to the receiver's ports, RTP and RTCP, in one list: IPv4's DSCP and DF, IPv6's class.
            let decode = ["udp.port==29010,rtp", "udp.port==29020,rtp"]
            let sent = try capture.fields(
                "!icmp && !icmpv6 && (udp.dstport >= 29010 && udp.dstport <= 29021)",
                ["udp.dstport", "ip.dsfield.dscp", "ipv6.tclass.dscp", "ip.flags.df", "rtp.seq", "udp.length"],
                decode: decode)
            for port in [29_010, 29_020] {
                let rtp = sent.filter { $0[0] == "\(port)" }
                let rtcp = sent.filter { $0[0] == "\(port + 1)" }
                #expect(rtp.count == 2000, "port \(port): \(rtp.count) RTP packets on the wire, expected 2000")
                #expect(rtcp.count >= 2, "port \(port + 1): \(rtcp.count) RTCP packets")
                let marks = Set((rtp + rtcp).map { $0[1].isEmpty ? $0[2] : $0[1] })
                #expect(marks == ["34"], "port \(port): DSCP \(marks)")
                // The README's packet size table (audiostreamer-bench --packet-sizes): 1 ms of L24 stereo at 48 kHz
                // is 300 bytes of UDP payload, 308 with UDP's header.
                let lengths = Set(rtp.map { $0[5] })
                #expect(lengths == ["308"], "port \(port): UDP lengths \(lengths)")
            }
            let ipv4 = sent.filter { $0[0] == "29010" || $0[0] == "29011" }
            #expect(ipv4.allSatisfy { $0[3] == "1" || $0[3] == "True" }, "an IPv4 datagram without Don't Fragment")
            let fragments = try capture.count("ip.flags.mf == 1 || ip.frag_offset > 0 || ipv6.fragment")
            #expect(fragments == 0, "\(fragments) IP fragments at the default settings")
        }

        // MARK: - 3. A smaller MTU on the way

        /// Sender, router and receiver; the router's link to the receiver has an MTU of 1280, which the sender cannot
        /// see. 5 ms of L24 stereo (1480-byte IPv4 datagrams) with Don't Fragment: the router refuses them, the
        /// kernel learns the path's MTU, and the sender says so once and counts what it could not send. Started
        /// again, it knows the path's MTU: --strict refuses at start, the default shortens the packets. With
        /// --allow-fragmentation the datagrams arrive in fragments, and ffmpeg decodes them bit-exact.
        @Test(
            "an MTU of 1280 on the path: EMSGSIZE reported once, --strict refuses, never silent fragments; --allow-fragmentation decodes",
            hosts, ExternalTool.ffmpeg.trait, ExternalTool.tshark.trait)
        func smallerMTUOnThePath() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let folder = try ScratchFolder("mtu-path")
            let network = try TestNetwork(prefix: "asmtu", hosts: ["tx", "router", "rx"])
            try network.link(0, "10.211.1.1", 1, "10.211.1.254", id: 11)
            let (_, rxLink) = try network.link(1, "10.211.2.254", 2, "10.211.2.1", id: 12, mtu: 1280)
            try network.must(0, [network.ip, "route", "add", "default", "via", "10.211.1.254"], folder: folder)
            try network.must(2, [network.ip, "route", "add", "default", "via", "10.211.2.254"], folder: folder)
            try network.must(1, ["/usr/sbin/sysctl", "-q", "-w", "net.ipv4.ip_forward=1"], folder: folder)
            let source = TestWAV(format: Self.stereo24, seconds: 1, seed: 110)
            try source.write(to: folder.path("wide.wav"))
            let port = 29_030
            let capture = try Capture(network, host: 2, interface: rxLink, filter: "udp", folder: folder, label: "rx")
            func send(_ extra: [String], label: String) throws -> (status: Int32, output: String, error: String) {
                try network.exec(
                    0,
                    [
                        BuiltProduct.audiostreamer, "--ip", "10.211.2.1", "--port", String(port), "--ptime", "5",
                        "--sdp-dir", folder.path("sdp-\(label)"),
                    ] + extra + [folder.path("wide.wav")], folder: folder, label: label)
            }

            // The path's MTU unknown at start: every datagram too large for it is refused by the kernel once it
            // knows (the router's ICMP "fragmentation needed"), reported once, counted as failed.
            let first = try send([], label: "unknown")
            #expect(first.status == 0, "\(first.error)")
            let reports = first.error.components(separatedBy: "do not fit").count - 1
            #expect(reports == 1, "the EMSGSIZE warning \(reports) times:\n\(first.error)")
            #expect(first.error.contains("the path's MTU is 1280"), "\(first.error)")
            let summary = first.error.split(separator: "\n").first { $0.contains(" refused, ") }.map(String.init) ?? ""
            #expect((Self.count("failed", in: summary) ?? 0) >= 150, "\(summary)")

            // Now the route knows 1280: --strict refuses at start, naming it; the default shortens the packets.
            let strict = try send(["--strict"], label: "strict")
            #expect(strict.status == 64, "\(strict.error)")
            #expect(strict.error.contains("the path's MTU 1280"), "\(strict.error)")
            let fitted = try send(["--duration", "0.2"], label: "fitted")
            #expect(fitted.status == 0 && fitted.error.contains("sending 2.5 ms packets"), "\(fitted.error)")
            #expect(!fitted.error.contains("do not fit"), "\(fitted.error)")

            // Fragments allowed: the kernel fragments to the MTU it learned, and ffmpeg reassembles bit-exact.
            let sdpFolder = folder.path("sdp-fragments")
            let sender = try network.start(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "10.211.2.1", "--port", String(port + 10), "--ptime", "5",
                    "--allow-fragmentation", "--start-at", "+3", "--sdp-dir", sdpFolder, folder.path("wide.wav"),
                ], folder: folder, label: "fragments")
            #expect(waitForFile(sdpFolder + "/wide.sdp"), "no SDP: \(sender.standardError)")
            let output = folder.path("fragments.raw")
            let ffmpeg = try Self.ffmpeg(
                network, 2, input: sdpFolder + "/wide.sdp", output: output, folder: folder, label: "ffmpeg")
            #expect(network.waitForUDPListener(in: 2, port: port + 10, folder: folder), "\(ffmpeg.standardError)")
            #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError)")
            #expect(ffmpeg.wait(seconds: 8) != nil, "ffmpeg did not stop: \(ffmpeg.standardError)")
            expectSame(Self.raw(output), source.expectedBigEndian, "ffmpeg's decoding of fragmented packets")
            capture.stop()

            // On the receiver's link: no fragment but those --allow-fragmentation asked for, and those all there.
            let fragments = try capture.fields("ip.flags.mf == 1 || ip.frag_offset > 0", ["udp.dstport", "ip.id"])
            let firstFragments = fragments.filter { $0[0] == "\(port + 10)" }.count
            #expect(firstFragments == 200, "\(firstFragments) first fragments of 200 datagrams")
            let earlier = try capture.count("udp.dstport == \(port) && (ip.flags.mf == 1 || ip.frag_offset > 0)")
            #expect(earlier == 0, "\(earlier) fragments without --allow-fragmentation")
        }

        // MARK: - 4. Multicast

        /// A sender to a group, TTL 4, and a second sender to the same group and port from another address of its
        /// host. On the other host ffmpeg (from the SDP) and the recorder (joined on the interface) both get the
        /// first stream bit-exact: the SDP's source filter keeps the second out. tshark there sees the TTLs set
        /// and DSCP 34. Then IPv6: a site-local group, recorded bit-exact.
        @Test(
            "multicast across hosts: ffmpeg and record bit-exact, TTL and DSCP as set, a second sender filtered out; IPv6 too",
            hosts, ExternalTool.ffmpeg.trait, ExternalTool.tshark.trait)
        func multicastAcrossHosts() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let folder = try ScratchFolder("multicast")
            let network = try TestNetwork(prefix: "asmc", hosts: ["tx", "rx"])
            let (txLink, rxLink) = try network.link(
                0, "10.212.1.1", 1, "10.212.1.2", id: 13, ipv6: ("fd00:212::1", "fd00:212::2"))
            try network.must(0, [network.ip, "addr", "add", "10.212.1.3/24", "dev", txLink], folder: folder)
            // ffmpeg joins on the interface the routing table gives for the group.
            try network.must(1, [network.ip, "route", "add", "224.0.0.0/4", "dev", rxLink], folder: folder)
            let wanted = TestWAV(format: Self.stereo24, seconds: 2, seed: 120)
            let other = TestWAV(format: Self.stereo24, seconds: 2, seed: 121)
            try wanted.write(to: folder.path("stage.wav"))
            try other.write(to: folder.path("intruder.wav"))
            let port = 29_050
            let capture = try Capture(network, host: 1, interface: rxLink, filter: "udp", folder: folder, label: "rx")
            let sender = try network.start(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "239.77.0.1", "--interface", txLink, "--ttl", "4", "--port",
                    String(port), "--start-at", "+4", "--sdp-dir", folder.path("sdp"), folder.path("stage.wav"),
                ], folder: folder, label: "sender")
            let sdp = folder.path("sdp/stage.sdp")
            #expect(waitForFile(sdp), "no SDP: \(sender.standardError)")
            let text = (try? String(contentsOfFile: sdp, encoding: .utf8)) ?? ""
            #expect(text.contains("c=IN IP4 239.77.0.1/4\r\n"), "\(text)")
            #expect(text.contains("a=source-filter: incl IN IP4 239.77.0.1 10.212.1.1\r\n"), "\(text)")
            let output = folder.path("ffmpeg.raw")
            let ffmpeg = try Self.ffmpeg(network, 1, input: sdp, output: output, folder: folder, label: "ffmpeg")
            #expect(network.waitForUDPListener(in: 1, port: port, folder: folder), "\(ffmpeg.standardError)")
            let recorder = try network.start(
                1,
                [
                    // Idle counts from when it listens, before the sender's start 3 s ahead; its BYE ends the take.
                    BuiltProduct.audiostreamer, "record", "--interface", rxLink, "-o", folder.path("take"), "--idle",
                    "8", "--stats", folder.path("record.json"), sdp,
                ], folder: folder, label: "recorder")
            Thread.sleep(forTimeInterval: 0.5)
            let intruder = try network.start(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "239.77.0.1", "--interface", txLink, "--bind", "10.212.1.3",
                    "--port", String(port), "--start-at", "+2", "--sdp-dir", folder.path("sdp-intruder"),
                    folder.path("intruder.wav"),
                ], folder: folder, label: "intruder")
            #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError)")
            #expect(intruder.wait(seconds: 10) == 0, "\(intruder.standardError)")
            #expect(recorder.wait(seconds: 10) == 0, "\(recorder.standardError)")
            #expect(ffmpeg.wait(seconds: 8) != nil, "ffmpeg did not stop: \(ffmpeg.standardError)")
            expectSame(Self.raw(output), wanted.expectedBigEndian, "ffmpeg, from the group")
            let recorded = try RecordedFile(folder.path("take/stage.wav"))
            expectSame(recorded.samples, wanted.samples, "the recorder, joined to the group")
            #expect(
                !recorder.standardError.contains("segment 2"),
                "another source reached the recorder:\n\(recorder.standardError)")

            // IPv6: a site-local group (ff05::), its hop limit given, recorded bit-exact.
            let port6 = 29_060
            let sender6 = try network.start(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "ff05::77", "--interface", txLink, "--ttl", "3", "--port",
                    String(port6), "--start-at", "+3", "--sdp-dir", folder.path("sdp6"), folder.path("stage.wav"),
                ], folder: folder, label: "sender6")
            let sdp6 = folder.path("sdp6/stage.sdp")
            #expect(waitForFile(sdp6), "no SDP: \(sender6.standardError)")
            let text6 = (try? String(contentsOfFile: sdp6, encoding: .utf8)) ?? ""
            #expect(text6.contains("c=IN IP6 ff05::77\r\n"), "\(text6)")
            #expect(text6.contains("a=source-filter: incl IN IP6 ff05::77 fd00:212::1\r\n"), "\(text6)")
            let recorder6 = try network.start(
                1,
                [
                    BuiltProduct.audiostreamer, "record", "--interface", rxLink, "-o", folder.path("take6"), "--idle",
                    "8", sdp6,
                ], folder: folder, label: "recorder6")
            #expect(sender6.wait(seconds: 15) == 0, "\(sender6.standardError)")
            #expect(recorder6.wait(seconds: 10) == 0, "\(recorder6.standardError)")
            let recorded6 = try RecordedFile(folder.path("take6/stage.wav"))
            expectSame(recorded6.samples, wanted.samples, "the recorder, joined to the IPv6 group")
            capture.stop()

            let seen = try capture.fields(
                "udp.dstport == \(port) || udp.dstport == \(port + 1) || udp.dstport == \(port6)",
                ["ip.src", "ipv6.src", "ip.ttl", "ipv6.hlim", "ip.dsfield.dscp", "ipv6.tclass.dscp", "udp.dstport"])
            let fromSender = seen.filter { $0[0] == "10.212.1.1" && $0[6] == "\(port)" }
            let fromIntruder = seen.filter { $0[0] == "10.212.1.3" && $0[6] == "\(port)" }
            let over6 = seen.filter { $0[1] == "fd00:212::1" }
            #expect(
                fromSender.count == 2000 && fromIntruder.count == 2000, "\(fromSender.count), \(fromIntruder.count)")
            #expect(Set(fromSender.map { $0[2] }) == ["4"], "TTLs \(Set(fromSender.map { $0[2] }))")
            #expect(Set(fromIntruder.map { $0[2] }) == ["1"], "the default TTL: \(Set(fromIntruder.map { $0[2] }))")
            #expect(Set(over6.map { $0[3] }) == ["3"], "hop limits \(Set(over6.map { $0[3] }))")
            let marks = Set(seen.filter { $0[0] == "10.212.1.1" || $0[1] == "fd00:212::1" }.map { $0[4] + $0[5] })
            #expect(marks == ["34"], "DSCP \(marks)")
        }

        // MARK: - 5. SAP

        /// `--sap` announces the stream to 239.255.255.255:9875 from the sending host. On the other host ffmpeg's
        /// SAP demuxer (a real SAP listener) finds the announcement and plays the stream it describes bit-exact,
        /// `record --sap` finds it by name and records it bit-exact, and tshark sees the announcements and, at the
        /// end, the deletions.
        @Test(
            "SAP: ffmpeg's sap:// and record --sap find the stream and get it bit-exact; deletions at the end",
            hosts, ExternalTool.ffmpeg.trait, ExternalTool.tshark.trait)
        func sapAcrossHosts() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let folder = try ScratchFolder("sap")
            let network = try TestNetwork(prefix: "assap", hosts: ["tx", "rx"])
            let (txLink, rxLink) = try network.link(0, "10.213.1.1", 1, "10.213.1.2", id: 14)
            try network.must(1, [network.ip, "route", "add", "224.0.0.0/4", "dev", rxLink], folder: folder)
            let source = TestWAV(format: Self.stereo24, seconds: 2, seed: 130)
            try source.write(to: folder.path("announced.wav"))
            let capture = try Capture(
                network, host: 1, interface: rxLink, filter: "udp port 9875", folder: folder, label: "sap")
            let output = folder.path("ffmpeg.raw")
            let ffmpeg = try Self.ffmpeg(
                network, 1, input: "sap://239.255.255.255", output: output, folder: folder, label: "ffmpeg")
            let recorder = try network.start(
                1,
                [
                    BuiltProduct.audiostreamer, "record", "--sap", "--sap-wait", "20", "--interface", rxLink, "-o",
                    folder.path("take"), "--idle", "8", "announced",
                ], folder: folder, label: "recorder")
            // Both listeners bound, ffmpeg's and the recorder's. The stream is shorter than the announcement
            // interval: an ffmpeg that missed the first announcement would skip the deletions, wait for another
            // and never stop (a CI run saw that when only the recorder had been waited for).
            #expect(
                network.waitForUDPListener(in: 1, port: 9875, folder: folder, sockets: 2),
                "ffmpeg: \(ffmpeg.standardError)\nrecorder: \(recorder.standardError)")
            Thread.sleep(forTimeInterval: 0.5)
            let sender = try network.exec(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "239.77.0.2", "--interface", txLink, "--port", "29070",
                    "--sap", "--start-at", "+3", "--sdp-dir", folder.path("sdp"), folder.path("announced.wav"),
                ], folder: folder, label: "sender")
            #expect(sender.status == 0, "\(sender.error)")
            #expect(sender.error.contains("sap:"), "no word of SAP: \(sender.error)")
            #expect(recorder.wait(seconds: 10) == 0, "\(recorder.standardError)")
            #expect(ffmpeg.wait(seconds: 8) != nil, "ffmpeg did not stop: \(ffmpeg.standardError)")
            capture.stop()
            expectSame(Self.raw(output), source.expectedBigEndian, "ffmpeg, from the SAP announcement")
            #expect(
                recorder.standardError.contains("sap: 'announced' announced by 10.213.1.1"), "\(recorder.standardError)"
            )
            let recorded = try RecordedFile(folder.path("take/announced.wav"))
            expectSame(recorded.samples, source.samples, "record --sap")

            let packets = try capture.fields("sap", ["sap.flags.t", "sdp.owner", "ip.src", "ip.dst"])
            let announcements = packets.filter { $0[0] == "0" || $0[0] == "False" }
            let deletions = packets.filter { $0[0] == "1" || $0[0] == "True" }
            print("SAP: \(announcements.count) announcements, \(deletions.count) deletions")
            #expect(announcements.count >= 1 && deletions.count >= 2, "\(packets)")
            #expect(Set(packets.map { $0[2] + " " + $0[3] }) == ["10.213.1.1 239.255.255.255"], "\(packets)")
            // One session throughout: the deletion names the announced o=.
            #expect(Set(packets.map { $0[1] }).count == 1, "o= lines: \(Set(packets.map { $0[1] }))")

            // The AES67 preset where no ptp4l runs: a 16-bit file sent as L24 at 1 ms, announced, with a warning
            // that the clock is not PTP.
            try TestWAV(format: PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000), seconds: 0.2)
                .write(to: folder.path("plain.wav"))
            let preset = try network.exec(
                0,
                [
                    BuiltProduct.audiostreamer, "--aes67", "--ip", "239.77.0.4", "--interface", txLink, "--port",
                    "29074", "--ptp4l-socket", folder.path("no-ptp4l"), "--sdp-dir", folder.path("sdp67"),
                    folder.path("plain.wav"),
                ], folder: folder, label: "aes67")
            #expect(preset.status == 0, "\(preset.error)")
            #expect(preset.error.contains("warning: ptp: no ptp4l answered"), "\(preset.error)")
            #expect(preset.error.contains("sap: "), "SAP is on with --aes67: \(preset.error)")
            let text = (try? String(contentsOfFile: folder.path("sdp67/plain.sdp"), encoding: .utf8)) ?? ""
            for line in ["a=rtpmap:96 L24/48000/2", "a=ptime:1", "c=IN IP4 239.77.0.4/1"] {
                #expect(text.contains(line + "\r\n"), "\(line) missing:\n\(text)")
            }
        }

        // MARK: - 6. PTP

        /// ptp4l in two hosts with software timestamps, domain 5: one the grandmaster, one following it. On the
        /// follower, the SDP names the grandmaster and the domain ptp4l reports, and `--timestamps ptp` starts the
        /// RTP timestamps at floor((start + TAI - UTC) x rate) mod 2^32. The recorder on the grandmaster's host
        /// places that stream and a wall-clock one from the same start on one timeline.
        @Test(
            "PTP: the follower's SDP names the grandmaster and domain; --timestamps ptp starts at TAI x rate; recorded in line",
            hosts, ExternalTool.ptp4l.trait, ExternalTool.tshark.trait)
        func ptpAcrossHosts() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let ptp4l = try ExternalTool.ptp4l.require()
            let folder = try ScratchFolder("ptp")
            let network = try TestNetwork(prefix: "asptp", hosts: ["gm", "follower"])
            let (gmLink, followerLink) = try network.link(0, "10.214.1.1", 1, "10.214.1.2", id: 15)
            let gmSocket = folder.path("gm.uds")
            let followerSocket = folder.path("follower.uds")
            for (name, identity) in [("gm", "001dc1.fffe.0000a1"), ("gm2", "001dc1.fffe.0000b2")] {
                _ = try writePTPConfiguration(name, domain: 5, socket: gmSocket, grandmaster: identity, folder: folder)
            }
            _ = try writePTPConfiguration(
                "follower", domain: 5, socket: followerSocket, grandmaster: nil, folder: folder)
            var grandmaster = try network.start(
                0, [ptp4l, "-f", folder.path("gm.cfg"), "-i", gmLink, "-m"], folder: folder, label: "ptp4l-gm")
            let follower = try network.start(
                1, [ptp4l, "-f", folder.path("follower.cfg"), "-i", followerLink, "-m"], folder: folder,
                label: "ptp4l-follower")
            defer {
                grandmaster.interrupt()
                follower.interrupt()
            }
            /// Waits until the follower has chosen the grandmaster `identity` (as ptp4l writes it, 001dc1.fffe.0000a1).
            func follows(_ identity: String) -> Bool {
                let deadline = Date().addingTimeInterval(20)
                while Date() < deadline {
                    if follower.standardOutput.contains("selected best master clock \(identity)") { return true }
                    Thread.sleep(forTimeInterval: 0.1)
                }
                return false
            }
            try #require(
                follows("001dc1.fffe.0000a1"),
                "ptp4l did not settle:\n\(grandmaster.standardOutput)\n\(follower.standardOutput)")
            let eui64 = "00-1D-C1-FF-FE-00-00-A1"

            let source = TestWAV(format: Self.stereo24, seconds: 1, seed: 140)
            try source.write(to: folder.path("ptp.wav"))
            try source.write(to: folder.path("wall.wav"))
            // Built before the start time is chosen: a first build would take longer than the 4 s allowed.
            _ = BuiltProduct.audiostreamer
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 4).rounded(.down))
            let startText = ISO8601DateFormatter().string(from: start)
            let capture = try Capture(network, host: 0, interface: gmLink, filter: "udp", folder: folder, label: "gm")
            let ptpSender = try network.start(
                1,
                [
                    BuiltProduct.audiostreamer, "--ip", "10.214.1.1", "--port", "29080", "--ptp4l-socket",
                    followerSocket, "--timestamps", "ptp", "--start-at", startText, "--sdp-dir", folder.path("sdp"),
                    folder.path("ptp.wav"),
                ], folder: folder, label: "sender-ptp")
            let wallSender = try network.start(
                1,
                [
                    BuiltProduct.audiostreamer, "--ip", "10.214.1.1", "--port", "29082", "--start-at", startText,
                    "--sdp-dir", folder.path("sdp"), folder.path("wall.wav"),
                ], folder: folder, label: "sender-wall")
            let sdp = folder.path("sdp/ptp.sdp")
            #expect(waitForFile(sdp) && waitForFile(folder.path("sdp/wall.sdp")), "\(ptpSender.standardError)")
            let text = (try? String(contentsOfFile: sdp, encoding: .utf8)) ?? ""
            #expect(text.contains("a=ts-refclk:ptp=IEEE1588-2008:\(eui64):5\r\n"), "grandmaster \(eui64):\n\(text)")
            #expect(text.contains("a=mediaclk:direct=0\r\n"), "\(text)")
            let recorder = try network.start(
                0,
                [
                    BuiltProduct.audiostreamer, "record", "-o", folder.path("take"), "--idle", "8", sdp,
                    folder.path("sdp/wall.sdp"),
                ], folder: folder, label: "recorder")
            #expect(ptpSender.wait(seconds: 15) == 0, "\(ptpSender.standardError)")
            #expect(wallSender.wait(seconds: 5) == 0, "\(wallSender.standardError)")
            #expect(recorder.wait(seconds: 10) == 0, "\(recorder.standardError)")
            capture.stop()
            #expect(
                ptpSender.standardError.contains(eui64), "the sender names the grandmaster: \(ptpSender.standardError)")

            // TAI - UTC is 37 s (since 2017; ptp4l's utc_offset here, and the kernel's where it is set).
            let seconds = Int64(start.timeIntervalSince1970)
            let expected = UInt32(truncatingIfNeeded: (seconds + 37) * 48_000)
            let first = try capture.fields(
                "rtp && udp.dstport == 29080", ["rtp.timestamp"], decode: ["udp.port==29080,rtp"]
            ).first?.first
            #expect(first == "\(expected)", "first PTP timestamp \(first ?? "none"), expected \(expected)")
            // Both tracks start at the take's first frame, whole: the PTP one was placed by TAI, the other by UTC.
            let ptpTrack = try RecordedFile(folder.path("take/ptp.wav"))
            let wallTrack = try RecordedFile(folder.path("take/wall.wav"))
            expectSame(ptpTrack.samples, source.samples, "the PTP-timestamped track")
            expectSame(wallTrack.samples, source.samples, "the wall-clock track")

            // analyze on the grandmaster's host, ptp4l there verifying the stream's reference clock: its RTP
            // timestamps judged against arrival on the media clock (TAI, by ptp4l's UTC offset), never ahead and
            // within JT-NM Tested 2022's limits; the hosts share one kernel clock, so only the path's delay remains.
            let analyzedSender = try network.start(
                1,
                [
                    BuiltProduct.audiostreamer, "--ip", "10.214.1.1", "--port", "29084", "--ptp4l-socket",
                    followerSocket, "--timestamps", "ptp", "--start-at", "+2", "--sdp-dir", folder.path("sdp-analyzed"),
                    folder.path("ptp.wav"),
                ], folder: folder, label: "sender-analyzed")
            let analyzedSDP = folder.path("sdp-analyzed/ptp.sdp")
            #expect(waitForFile(analyzedSDP), "\(analyzedSender.standardError)")
            let statistics = folder.path("analyzed.json")
            let analyzer = try network.exec(
                0,
                [
                    BuiltProduct.audiostreamer, "analyze", "--ptp4l-socket", gmSocket, "--profile", "jtnm-2022",
                    "--duration", "4", "--stats", statistics, analyzedSDP,
                ], folder: folder, label: "analyze")
            #expect(analyzedSender.wait(seconds: 10) == 0, "\(analyzedSender.standardError)")
            #expect(analyzer.status == 0 || analyzer.status == 1, "\(analyzer.status): \(analyzer.error)")
            #expect(!analyzer.error.contains("not judged"), "\(analyzer.error)")
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statistics)))
            let stream = try #require(((document as? [String: Any])?["streams"] as? [[String: Any]])?.first)
            let delay = try #require(stream["rtp_vs_arrival_us"] as? [String: Any], "\(stream)")
            let least = try #require((delay["min"] as? NSNumber)?.doubleValue)
            let mean = try #require((delay["mean"] as? NSNumber)?.doubleValue)
            print("analyze, PTP media clock: RTP timestamp against arrival min \(least) mean \(mean) us")
            #expect(delay["reference"] as? String == "media clock", "\(delay)")
            #expect(stream["packets"] as? Int == 1000, "\(stream)")
            #expect(least >= 0 && mean < 2500, "never ahead, at most 2.5 ms behind on average: \(delay)")

            // The AES67 preset on the follower, multicast: PTP timestamps and clock, SAP on. The grandmaster is
            // replaced while it streams: the sender says so, its SDP file names the new one, and a new version of
            // the description is announced.
            try network.must(0, [network.ip, "route", "add", "224.0.0.0/4", "dev", gmLink], folder: folder)
            let sap = try Capture(
                network, host: 0, interface: gmLink, filter: "udp port 9875", folder: folder, label: "sap")
            let aes67 = try network.start(
                1,
                [
                    BuiltProduct.audiostreamer, "--aes67", "--ip", "239.77.0.3", "--interface", followerLink,
                    "--ptp4l-socket", followerSocket, "--loop", "--duration", "8", "--sdp-dir", folder.path("sdp67"),
                    folder.path("ptp.wav"),
                ], folder: folder, label: "sender-aes67")
            let sdp67 = folder.path("sdp67/ptp.sdp")
            #expect(waitForFile(sdp67), "\(aes67.standardError)")
            let before = (try? String(contentsOfFile: sdp67, encoding: .utf8)) ?? ""
            for line in [
                "c=IN IP4 239.77.0.3/1", "a=rtpmap:96 L24/48000/2",
                "a=source-filter: incl IN IP4 239.77.0.3 10.214.1.2",
                "a=ptime:1", "a=ts-refclk:ptp=IEEE1588-2008:\(eui64):5", "a=mediaclk:direct=0",
            ] {
                #expect(before.contains(line + "\r\n"), "AES67 SDP lacks \(line):\n\(before)")
            }
            Thread.sleep(forTimeInterval: 1)
            grandmaster.interrupt()
            grandmaster = try network.start(
                0, [ptp4l, "-f", folder.path("gm2.cfg"), "-i", gmLink, "-m"], folder: folder, label: "ptp4l-gm2")
            #expect(follows("001dc1.fffe.0000b2"), "the follower never chose the new grandmaster")
            #expect(aes67.wait(seconds: 20) == 0, "\(aes67.standardError)")
            sap.stop()
            let newer = "00-1D-C1-FF-FE-00-00-B2"
            #expect(
                aes67.standardError.contains("the grandmaster changed") && aes67.standardError.contains("to \(newer)"),
                "\(aes67.standardError)")
            let after = (try? String(contentsOfFile: sdp67, encoding: .utf8)) ?? ""
            #expect(after.contains("a=ts-refclk:ptp=IEEE1588-2008:\(newer):5\r\n"), "\(after)")
            let packets = try sap.fields("sap", ["sap.flags.t", "sdp.owner", "sdp.media_attr"])
            let announced = packets.filter { $0[0] == "0" || $0[0] == "False" }
            let versions = Set(announced.map { $0[1] })
            #expect(versions.count == 2, "announced o= lines: \(versions) in \(packets); \(aes67.standardError)")
            #expect(announced.last?[2].contains(newer) == true, "the last announcement: \(announced.last ?? [])")
            #expect(packets.filter { $0[0] == "1" || $0[0] == "True" }.count >= 2, "no deletions: \(packets)")
        }

        // MARK: - 7. Loss reported back

        /// nftables on the recorder's host drops 3 % of packets 1 to 1999 at random. The sender's schedule
        /// and RTCP go on untouched (every packet sent, nothing failed, sender reports sent), and the loss its
        /// receiver reports back in RTCP is exactly what nftables counted.
        @Test(
            "nftables drops packets between the hosts: the receiver reports back exactly the loss nftables counted",
            hosts)
        func lossReportedBack() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let nft = try ExternalTool.nft.require()
            let folder = try ScratchFolder("loss-reported")
            let network = try TestNetwork(prefix: "asloss", hosts: ["tx", "rx"])
            try network.link(0, "10.215.1.1", 1, "10.215.1.2", id: 16)
            // RTP's sequence number is the transport payload's bits 16-31 (@th,80,16 after the 8-byte UDP header).
            // Never the first packet: RFC 3550's cumulative loss counts from the first sequence number received.
            let rules = """
                table ip lossy {
                  chain input {
                    type filter hook input priority 0; policy accept;
                    udp dport 29090 @th,80,16 1-1999 numgen random mod 100 < 3 counter drop
                  }
                }
                """
            try network.loadRules(rules, in: 1, folder: folder)
            try TestWAV(format: Self.stereo24, seconds: 3, seed: 150).write(to: folder.path("lossy.wav"))
            let recorder = try network.start(
                1,
                [
                    BuiltProduct.audiostreamer, "record", "--port", "29090", "--format", "L24", "--rate", "48000",
                    "--channels", "2", "--rtcp-interval", "0.5", "-o", folder.path("take"), "--idle", "2",
                    "--stats", folder.path("record.json"),
                ], folder: folder, label: "recorder")
            #expect(network.waitForUDPListener(in: 1, port: 29_090, folder: folder), "\(recorder.standardError)")
            let sender = try network.exec(
                0,
                [
                    BuiltProduct.audiostreamer, "--ip", "10.215.1.2", "--port", "29090", "--seq", "0", "--stats",
                    folder.path("send.json"), "--sdp-dir", folder.path("sdp"), folder.path("lossy.wav"),
                ], folder: folder, label: "sender")
            #expect(sender.status == 0, "\(sender.error)")
            #expect(recorder.wait(seconds: 10) == 0, "\(recorder.standardError)")
            let listing = try network.exec(1, [nft, "list", "table", "ip", "lossy"], folder: folder, label: "nft-list")
            // "counter packets 56 bytes 18368 drop"
            let words = listing.output.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
            let dropped = try #require(
                words.firstIndex(of: "packets").flatMap { Int(words[$0 + 1]) }, "no counter in \(listing.output)")
            let stream = try Self.senderStatistics(folder.path("send.json"))
            let receivers = try #require(stream["receivers"] as? [[String: Any]])
            let report = try #require(receivers.first, "no receiver report reached the sender")
            let reported = (report["cumulative_lost"] as? NSNumber)?.intValue
            print("nftables dropped \(dropped) of 3000; the receiver reported \(reported ?? -1) lost")
            #expect(dropped > 20, "nftables dropped only \(dropped)")
            #expect(reported == dropped, "RR cumulative lost \(reported ?? -1), nftables dropped \(dropped)")
            #expect((stream["packets_sent"] as? NSNumber)?.intValue == 3000)
            #expect((stream["failed_sends"] as? NSNumber)?.intValue == 0)
            #expect(((stream["rtcp_sent"] as? NSNumber)?.intValue ?? 0) >= 2, "sender reports: \(stream)")
            let recorded = try RecorderStatistics(folder.path("record.json"))
            #expect(try recorded.int("port 29090", "lost") == dropped)
        }
    }
}
