import Foundation
import Interfaces
import PCM
import Platform
import RTP
import Testing
import WAV

extension EndToEnd {
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
            let port = 26_200
            let sourcePort = 26_210
            let receiver = try Subprocess(
                gstLaunch,
                [
                    "-e", "rtpbin", "name=rb", "udpsrc", "port=\(port)", "caps=\(Self.caps())", "!",
                    "rb.recv_rtp_sink_0",
                    "udpsrc", "port=\(port + 1)", "!", "rb.recv_rtcp_sink_0", "rb.send_rtcp_src_0", "!", "udpsink",
                    "host=127.0.0.1", "port=\(sourcePort + 1)", "sync=false", "async=false", "rb.", "!", "rtpL16depay",
                    "!",
                    "fakesink",
                ], in: folder.url, label: "rtpbin")
            #expect(waitForUDPListener(port: port + 1))
            let statsPath = folder.path("stats.json")
            let sender = try Subprocess.run(
                BuiltProduct.audiostreamer,
                [
                    "--port", String(port), "--source-port", String(sourcePort), "--stats", statsPath, "--sdp-dir",
                    folder.path("sdp"), folder.path("t.wav"),
                ], in: folder.url, label: "sender", timeout: 30)
            receiver.interrupt()
            #expect(sender.status == 0, "\(sender.error)")
            let stats = try String(contentsOfFile: statsPath, encoding: .utf8)
            // rtpbin reports about every 5 s: at least one report in 7 s.
            let receiverPart = try #require(
                stats.range(of: "\"receivers\": [{").map { String(stats[$0.upperBound...]) }, "no receiver in \(stats)")
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

        /// A mono file of silence with one full-height impulse of `value` at `frame`.
        static func markerFile(seconds: Int, frame: Int, value: Int16) -> [UInt8] {
            let format = PCMFormat(encoding: .signed16, channelCount: 1, sampleRate: 48_000)
            var samples = [UInt8](repeating: 0, count: seconds * 48_000 * 2)
            let bits = UInt16(bitPattern: value)
            samples[2 * frame] = UInt8(truncatingIfNeeded: bits)
            samples[2 * frame + 1] = UInt8(truncatingIfNeeded: bits >> 8)
            return WAVHeader.bytes(format: format, dataByteCount: samples.count) + samples
        }

        /// The anchor a sender wrote into its --stats file: the wall-clock time its first frame was due.
        static func startTime(statsAt path: String) throws -> Int64 {
            let stats = try String(contentsOfFile: path, encoding: .utf8)
            let range = try #require(stats.range(of: "\"start_unix_ns\": "), "no start in \(stats)")
            return try #require(Int64(stats[range.upperBound...].prefix { $0.isNumber }))
        }

        /// Two audiostreamer processes started 0.7 s apart; rtpbin (ntp-sync) lines their streams up by the sender
        /// reports and audiointerleave records them side by side. Each file holds an impulse: A at 1.5 s, B at 0.8 s
        /// of its own media. In the recording the impulses must stand as far apart as their wall-clock instants
        /// (start B + 0.8 s) - (start A + 1.5 s), within 1 ms.
        @Test(
            "rtpbin lines up two processes' streams by their sender reports within 1 ms", ExternalTool.gstLaunch.trait)
        func rtpbinLinesUpTwoProcesses() throws {
            let gstLaunch = try ExternalTool.gstLaunch.require()
            let folder = try ScratchFolder("rtpbin-sync")
            try Data(Self.markerFile(seconds: 3, frame: 72_000, value: 20_000)).write(
                to: folder.url.appendingPathComponent("a.wav"))
            try Data(Self.markerFile(seconds: 3, frame: 38_400, value: -20_000)).write(
                to: folder.url.appendingPathComponent("b.wav"))
            let caps = "application/x-rtp,media=audio,clock-rate=48000,encoding-name=L16,channels=1,payload=96"
            let recording = folder.path("recording.wav")
            let receiver = try Subprocess(
                gstLaunch,
                [
                    "-e", "rtpbin", "name=rb", "ntp-sync=true", "latency=300",
                    "udpsrc", "port=26300", "caps=\(caps)", "!", "rb.recv_rtp_sink_0", "udpsrc", "port=26301", "!",
                    "rb.recv_rtcp_sink_0",
                    "udpsrc", "port=26302", "caps=\(caps)", "!", "rb.recv_rtp_sink_1", "udpsrc", "port=26303", "!",
                    "rb.recv_rtcp_sink_1",
                    "rb.", "!", "rtpL16depay", "!", "queue", "!", "ai.sink_0",
                    "rb.", "!", "rtpL16depay", "!", "queue", "!", "ai.sink_1",
                    "audiointerleave", "name=ai", "!", "audioconvert", "!", "wavenc", "!", "filesink",
                    "location=\(recording)",
                ],
                in: folder.url, label: "rtpbin")
            #expect(waitForUDPListener(port: 26_303))
            let first = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "--port", "26300", "--stats", folder.path("a.json"), "--sdp-dir", folder.path("sdp"),
                    folder.path("a.wav"),
                ],
                in: folder.url, label: "a")
            Thread.sleep(forTimeInterval: 0.7)
            let second = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "--port", "26302", "--stats", folder.path("b.json"), "--sdp-dir", folder.path("sdp"),
                    folder.path("b.wav"),
                ],
                in: folder.url, label: "b")
            #expect(first.wait(seconds: 15) == 0, "\(first.standardError)")
            #expect(second.wait(seconds: 15) == 0, "\(second.standardError)")
            Thread.sleep(forTimeInterval: 1.0)
            receiver.interrupt()

            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: recording)))
            let header = try #require(WAVLayout(reading: MemoryByteSource(bytes)) as WAVLayout?)
            #expect(header.format.channelCount == 2 && header.format.encoding == .signed16)
            let frames = header.dataByteCount / 4
            func sample(_ frame: Int, _ channel: Int) -> Int16 {
                let offset = header.dataOffset + 4 * frame + 2 * channel
                return Int16(bitPattern: UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8)
            }
            // Which channel got which stream depends on which pad rtpbin made first: the impulse's sign tells.
            var markerA: Int?
            var markerB: Int?
            for frame in 0..<frames {
                for channel in 0..<2 {
                    let value = sample(frame, channel)
                    if value > 10_000 { markerA = markerA ?? frame }
                    if value < -10_000 { markerB = markerB ?? frame }
                }
            }
            let a = try #require(markerA, "impulse A missing from the recording")
            let b = try #require(markerB, "impulse B missing from the recording")
            let startA = try Self.startTime(statsAt: folder.path("a.json"))
            let startB = try Self.startTime(statsAt: folder.path("b.json"))
            let expectedNanoseconds = (startB + 800_000_000) - (startA + 1_500_000_000)
            let recordedNanoseconds = Int64(b - a) * 1_000_000_000 / 48_000
            #expect(
                abs(recordedNanoseconds - expectedNanoseconds) <= 1_000_000,
                "recorded \(recordedNanoseconds) ns apart, the wall clock says \(expectedNanoseconds) ns")
        }
    }
}
