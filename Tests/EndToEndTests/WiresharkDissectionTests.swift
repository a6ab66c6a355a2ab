import Foundation
import Interfaces
import PCM
import Platform
import RTP
import Testing

extension EndToEnd {
    /// tshark, capturing on loopback and decoding the port as RTP, must dissect every packet cleanly: no malformed
    /// packet, no sequence error, nothing lost in `-z rtp,streams`. A receiver socket in the test takes the packets
    /// (so no ICMP errors come back) and checks sequence numbers and timestamps itself.
    @Suite(.serialized)
    struct WiresharkDissectionTests {
        @Test("tshark dissects every packet as RTP with no error", ExternalTool.tshark.trait)
        func tsharkDissectsEveryPacket() throws {
            let tshark = try ExternalTool.tshark.require()
            let folder = try ScratchFolder("tshark")
            let port = 43_000
            let wav = TestWAV(format: PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000), seconds: 1.5)
            try wav.write(to: folder.path("track.wav"))
            let capture = folder.path("capture.pcap")

            let receiver = try UDPSocket(family: .ipv4)
            try receiver.bind(to: Endpoint.loopback(.ipv4, port: port))
            receiver.setBufferSize(receive: 4 << 20)
            receiver.setReceiveTimeout(milliseconds: 1500)

            let capturer = try Subprocess(
                tshark, ["-i", "lo", "-f", "udp dst port \(port)", "-w", capture], in: folder.url, label: "capture")
            let started = Date()
            while !capturer.standardError.contains("Capturing on") && Date().timeIntervalSince(started) < 20 {
                Thread.sleep(forTimeInterval: 0.05)
            }
            #expect(capturer.standardError.contains("Capturing on"), "tshark did not start: \(capturer.standardError)")

            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "--port", String(port), "--sdp-dir", folder.path("sdp"), "--ssrc", "0x12345678", "--seq", "65000",
                    "--timestamp", "4294960000", folder.path("track.wav"),
                ], in: folder.url, label: "sender")
            // Receive until the stream ends (a receive times out after it).
            var packets: [RTPPacket] = []
            var payload: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 2048)
            while let count = try buffer.withUnsafeMutableBytes({ try receiver.receive(into: $0)?.count }) {
                let packet = try RTPPacket(parsing: Array(buffer[0..<count]))
                packets.append(packet)
                payload += buffer[packet.payloadRange]
            }
            #expect(sender.wait(seconds: 10) == 0, "sender failed: \(sender.standardError)")
            Thread.sleep(forTimeInterval: 0.5)
            capturer.interrupt()

            // The receiver's own view: 1 ms packets of 48 frames, consecutive sequence numbers and timestamps that
            // wrap (65000 + 1500 packets passes 65535; 4294960000 + 72000 frames passes 2^32).
            #expect(packets.count == 1500)
            for (index, packet) in packets.enumerated() {
                #expect(packet.header.ssrc == 0x1234_5678)
                #expect(packet.header.payloadType == 96)
                #expect(packet.header.marker == false)
                #expect(packet.header.sequenceNumber == UInt16(truncatingIfNeeded: 65_000 + index))
                #expect(packet.header.timestamp == UInt32(truncatingIfNeeded: 4_294_960_000 + 48 * index))
                if packet.header.sequenceNumber != UInt16(truncatingIfNeeded: 65_000 + index) { break }
            }
            #expect(payload == wav.expectedBigEndian, "payload differs from the file")

            // tshark's view of the capture.
            let decode = ["-r", capture, "-d", "udp.port==\(port),rtp"]
            let all = try Subprocess.run(
                tshark, decode + ["-T", "fields", "-e", "rtp.seq"], in: folder.url, label: "fields")
            let dissected = all.output.split(separator: "\n").filter { !$0.isEmpty }
            #expect(dissected.count == 1500, "tshark dissected \(dissected.count) RTP packets, expected 1500")
            let bad = try Subprocess.run(
                tshark, decode + ["-Y", "_ws.malformed || _ws.expert.severity >= warning || !rtp"], in: folder.url,
                label: "malformed")
            #expect(bad.status == 0, "\(bad.error)")
            #expect(bad.output.isEmpty, "tshark flagged packets:\n\(bad.output.prefix(2000))")
            let streams = try Subprocess.run(
                tshark, decode + ["-q", "-z", "rtp,streams"], in: folder.url, label: "streams")
            let rows = streams.output.split(separator: "\n").filter { $0.contains("0x12345678") }
            #expect(rows.count == 1, "expected one stream row:\n\(streams.output)")
            if let row = rows.first {
                let fields = row.split(separator: " ", omittingEmptySubsequences: true)
                // Columns: start time, end time, src, port, dst, port, SSRC, payload, packets, lost, ...
                #expect(fields.contains("1500"), "packet count not 1500: \(row)")
                #expect(row.contains(" 0 (0.0%)"), "packets lost: \(row)")
                #expect(!row.contains(" X"), "tshark marks a problem: \(row)")
            }
        }
    }
}
