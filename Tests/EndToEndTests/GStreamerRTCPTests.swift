import Foundation
import PCM
import Platform
import RTP
import Testing

/// GStreamer's rtpbin as a full RTCP peer: it reports back, and it lines up streams from two processes by
/// their sender reports.
@Suite(.serialized)
struct GStreamerRTCPTests {
    static let format = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)

    static func caps(_ encoding: String = "L16") -> String {
        "application/x-rtp,media=audio,clock-rate=48000,encoding-name=\(encoding),channels=2,payload=96"
    }

    /// rtpbin sends its receiver reports to the sender's RTCP port (`--source-port` + 1); audiostreamer parses
    /// them into --stats: rtpbin's CNAME, no loss, a loopback-sized jitter and round trip.
    @Test("rtpbin's receiver reports reach --stats", ExternalTool.gstLaunch.trait)
    func rtpbinReceiverReportsAreParsed() throws {
        let gstLaunch = try ExternalTool.gstLaunch.require()
        let folder = try ScratchFolder("rtpbin-rr")
        try TestWAV(format: Self.format, seconds: 7).write(to: folder.path("t.wav"))
        let port = 46_200
        let sourcePort = 46_210
        let receiver = try Subprocess(
            gstLaunch,
            ["-e", "rtpbin", "name=rb", "udpsrc", "port=\(port)", "caps=\(Self.caps())", "!", "rb.recv_rtp_sink_0",
             "udpsrc", "port=\(port + 1)", "!", "rb.recv_rtcp_sink_0", "rb.send_rtcp_src_0", "!", "udpsink",
             "host=127.0.0.1", "port=\(sourcePort + 1)", "sync=false", "async=false", "rb.", "!", "rtpL16depay", "!",
             "fakesink"], in: folder.url, label: "rtpbin")
        #expect(waitForUDPListener(port: port + 1))
        let statsPath = folder.path("stats.json")
        let sender = try Subprocess.run(
            BuiltProduct.audiostreamer,
            ["--port", String(port), "--source-port", String(sourcePort), "--stats", statsPath, "--sdp-dir",
             folder.path("sdp"), folder.path("t.wav")], in: folder.url, label: "sender", timeout: 30)
        receiver.interrupt()
        #expect(sender.status == 0, "\(sender.error)")
        let stats = try String(contentsOfFile: statsPath, encoding: .utf8)
        // rtpbin reports about every 5 s: at least one report in 7 s.
        let receiverPart = try #require(stats.range(of: "\"receivers\": [{").map { String(stats[$0.upperBound...]) }, "no receiver in \(stats)")
        func number(_ key: String) -> Double? {
            guard let range = receiverPart.range(of: "\"\(key)\": ") else { return nil }
            return Double(receiverPart[range.upperBound...].prefix { "-0123456789.".contains($0) })
        }
        #expect(receiverPart.contains("\"cname\": \"user"), "rtpbin's CNAME is user...@host: \(receiverPart)")
        #expect(number("fraction_lost") == 0, "\(receiverPart)")
        // rtpbin counts from its first packet and may report -1 (one more received than it expected), never a loss.
        #expect((number("cumulative_lost") ?? 1) <= 0, "\(receiverPart)")
        #expect((number("jitter_ms") ?? 99) < 5, "\(receiverPart)")
        let roundTrip = try #require(number("rtt_ms"), "no round trip: rtpbin had not seen an SR? \(receiverPart)")
        #expect(roundTrip >= 0 && roundTrip < 20, "\(receiverPart)")
    }
}
