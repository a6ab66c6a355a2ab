import Foundation
import PCM
import Testing

extension EndToEnd {
    /// A recorder nobody sends to ends by itself and leaves nothing behind.
    @Suite(.serialized)
    struct RecorderIdleTests {
        @Test("record --idle 2 with nobody sending: ends within seconds, exit 69 naming the port, nothing left")
        func nobodySends() throws {
            let folder = try ScratchFolder("record-idle")
            let program = BuiltProduct.audiostreamer
            let began = Date()
            let result = try Subprocess.run(
                program,
                ["record", "--port", "27300", "--idle", "2", "-o", folder.path("new/take")], in: folder.url,
                label: "recorder", timeout: 20)
            let seconds = Date().timeIntervalSince(began)
            #expect(result.status == 69, "exit \(result.status): \(result.error)")
            #expect(seconds >= 2 && seconds < 10, "ended after \(seconds) s")
            let lines = result.error.split(separator: "\n").filter { $0.hasPrefix("audiostreamer: ") }
            #expect(lines == ["audiostreamer: nothing was received on port 27300; no file is left"], "\(result.error)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("new")), "the folders it made are left")
        }

        /// An SDP that says another channel count or payload type than the packets carry. Another channel count at
        /// the described width is unambiguous: recorded as the packets carry it, said once, exit 0. Another payload
        /// type: one line naming what was described and what arrived, exit 65, no file.
        @Test(
            "a description that disagrees with the wire: said once with both sides; the channels followed, the type refused",
            arguments: [
                (
                    "L16/48000/2", "L16/48000/8",
                    "its packets carry 2 channels (4 bytes a frame), the description says 8 channels (16 bytes a frame): recorded as the packets carry it, 2 channels"
                ),
                (
                    "L16/48000/2", "L16/48000/1",
                    "its packets carry 2 channels (4 bytes a frame), the description says 1 channel (2 bytes a frame): recorded as the packets carry it, 2 channels"
                ),
                ("RTP/AVP 96", "RTP/AVP 97", "its packets are of payload type 96, the description says 97"),
            ])
        func descriptionAgainstTheWire(_ said: String, _ claimed: String, _ message: String) throws {
            let folder = try ScratchFolder("record-mismatch")
            let source = TestWAV(
                format: PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000), seconds: 1)
            try source.write(to: folder.path("t.wav"))
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "--port", "27310", "--start-at", "+2", "--sdp-dir", folder.path("sdp"), folder.path("t.wav"),
                ], in: folder.url, label: "sender")
            #expect(waitForFile(folder.path("sdp/t.sdp")))
            var sdp = try String(contentsOfFile: folder.path("sdp/t.sdp"), encoding: .utf8)
            sdp = sdp.replacingOccurrences(of: said, with: claimed)
            let typeClaimed = claimed.hasPrefix("RTP/AVP")
            if typeClaimed { sdp = sdp.replacingOccurrences(of: "rtpmap:96", with: "rtpmap:97") }
            try sdp.write(toFile: folder.path("claimed.sdp"), atomically: true, encoding: .utf8)
            let recorder = try RecorderTests.recorder(
                ["-o", folder.path("out"), "--idle", "4", folder.path("claimed.sdp")], folder: folder, port: 27_310)
            #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError)")
            #expect(recorder.wait(seconds: 15) == (typeClaimed ? 65 : 0), "\(recorder.standardError)")
            let lines = recorder.standardError.split(separator: "\n").filter { $0.contains(message) }
            #expect(lines.count == 1, "\(recorder.standardError)")
            if typeClaimed {
                #expect(lines.first?.hasPrefix("audiostreamer: ") == true, "\(recorder.standardError)")
                #expect(!FileManager.default.fileExists(atPath: folder.path("out")), "a file was left")
            } else {
                #expect(lines.first?.hasPrefix("warning: t: ") == true, "\(recorder.standardError)")
                let file = try RecordedFile(folder.path("out/t.wav"))
                #expect(file.layout.format.channelCount == 2)
                #expect(file.samples == source.samples, "\(file.frames) frames, not its source")
            }
        }
    }
}
