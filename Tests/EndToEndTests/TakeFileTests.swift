import Foundation
import PCM
import Testing

extension EndToEnd {
    /// A take file fixes what every node sends and what a recorder expects: senders and recorder read it by one rule.
    @Suite(.serialized)
    struct TakeFileTests {
        static let stereo24 = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)

        static func takeJSON(port: Int, wire: String) -> String {
            """
            {"name": "mux take", "destination": "127.0.0.1", "port": \(port), \(wire) "tracks": [
              {"file": "a.wav", "node": "pc1", "encoding": "L24", "sample_rate": 48000, "channels": 2},
              {"file": "b.wav", "node": "pc2", "encoding": "L24", "sample_rate": 48000, "channels": 2}]}
            """
        }

        /// Two nodes send with RTCP on the RTP port and payload type 100, as the take file says; a recorder reading
        /// the same file expects exactly that: their reports are no "unexpected" packets, and their BYEs end it.
        @Test("a take sent with RTCP multiplexed, recorded from its take file: 0 unexpected, every BYE seen, exact")
        func recordsAMultiplexedTakeFromItsTakeFile() throws {
            let folder = try ScratchFolder("take-mux")
            let sources = ["a", "b"].enumerated().map { index, name in
                (name, TestWAV(format: Self.stereo24, seconds: 2, seed: UInt64(150 + index)))
            }
            for (name, source) in sources { try source.write(to: folder.path("\(name).wav")) }
            try Self.takeJSON(port: 27_000, wire: #""rtcp": "mux", "payload_type": 100,"#)
                .write(toFile: folder.path("take.json"), atomically: true, encoding: .utf8)
            // A recorder that would not end on BYEs waits 20 s idle; ending within 10 s of the senders shows both BYEs.
            let recorder = try RecorderTests.recorder(
                [
                    "--session", folder.path("take.json"), "-o", folder.path("out"), "--idle", "20", "--stats",
                    folder.path("rec.json"),
                ], folder: folder, port: 27_002)
            let absolute = ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))
            let senders = try ["pc1", "pc2"].map { node in
                try Subprocess(
                    BuiltProduct.audiostreamer,
                    [
                        "--no-realtime", "--session", folder.path("take.json"), "--node", node, "--start-at", absolute,
                        "--sdp-dir",
                        folder.path("sdp-\(node)"),
                    ], in: folder.url, label: node)
            }
            for sender in senders { #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError)") }
            #expect(recorder.wait(seconds: 10) == 0, "the recorder did not end on both BYEs: \(recorder.standardError)")
            let session = try String(contentsOfFile: folder.path("sdp-pc1/session.sdp"), encoding: .utf8)
            #expect(session.components(separatedBy: "a=rtcp-mux").count - 1 == 2, "\(session)")
            let statistics = try RecorderStatistics(folder.path("rec.json"))
            for (name, source) in sources {
                #expect(try statistics.int(name, "unexpected") == 0, "\(statistics.json)")
                #expect(try statistics.int(name, "lost") == 0)
                #expect(try statistics.int(name, "received") == 2000)
                let file = try RecordedFile(folder.path("out/\(name).wav"))
                #expect(file.samples == source.samples, "\(name) differs from its source")
            }
            #expect(!recorder.standardError.contains("unexpected"), "\(recorder.standardError)")
        }

        /// Every node writes a `session.sdp` describing every track of the take; a recorder given both nodes' files
        /// records each stream once, bit-exact.
        @Test("two nodes' session.sdp files of one take, recorded together: each stream once, exact")
        func recordsTwoNodesSessionFiles() throws {
            let folder = try ScratchFolder("take-two-sdp")
            let sources = ["a", "b"].enumerated().map { index, name in
                (name, TestWAV(format: Self.stereo24, seconds: 2, seed: UInt64(160 + index)))
            }
            for (name, source) in sources { try source.write(to: folder.path("\(name).wav")) }
            try Self.takeJSON(port: 27_020, wire: "").write(
                toFile: folder.path("take.json"), atomically: true, encoding: .utf8)
            // Built first: the start must still be ahead when the senders run.
            _ = BuiltProduct.audiostreamer
            let absolute = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3))
            let senders = try ["pc1", "pc2"].map { node in
                try Subprocess(
                    BuiltProduct.audiostreamer,
                    [
                        "--no-realtime", "--session", folder.path("take.json"), "--node", node, "--start-at", absolute,
                        "--sdp-dir",
                        folder.path("sdp-\(node)"),
                    ], in: folder.url, label: node)
            }
            let sdps = ["pc1", "pc2"].map { folder.path("sdp-\($0)/session.sdp") }
            for sdp in sdps { #expect(waitForFile(sdp), "\(sdp) never came") }
            let recorder = try RecorderTests.recorder(
                ["-o", folder.path("out"), "--idle", "20", "--stats", folder.path("rec.json")] + sdps, folder: folder,
                port: 27_022)
            for sender in senders { #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError)") }
            #expect(recorder.wait(seconds: 10) == 0, "the recorder did not end on both BYEs: \(recorder.standardError)")
            for (name, source) in sources {
                let file = try RecordedFile(folder.path("out/\(name).wav"))
                #expect(file.samples == source.samples, "\(name) differs from its source")
            }
            let written = try FileManager.default.contentsOfDirectory(atPath: folder.path("out")).sorted()
            #expect(written == ["a.wav", "b.wav"], "\(written)")
        }

        /// A take file with `"bundle": 2`: each node bundles its own mono tracks into a 2-channel stream, bundle k
        /// on port + 2(k - 1) whichever node sends it; both nodes' session.sdp describe both bundles alike (their
        /// channel orders and labels); and a recorder reading the take file splits each bundle back into its files,
        /// bit-exact.
        @Test("a take file's bundle: each node sends its own bundle, the recorder splits them back into the 4 files")
        func bundledTake() throws {
            let folder = try ScratchFolder("take-bundle")
            let mono = PCMFormat(encoding: .signed24, channelCount: 1, sampleRate: 48_000)
            let names = ["a", "b", "c", "d"]
            let sources = names.enumerated().map { index, name in
                (name, TestWAV(format: mono, seconds: 1, seed: UInt64(230 + index)))
            }
            for (name, source) in sources { try source.write(to: folder.path("\(name).wav")) }
            let tracks = names.enumerated().map { index, name in
                #"{"file": "\#(name).wav", "node": "pc\#(index / 2 + 1)", "encoding": "L24", "sample_rate": 48000, "channels": 1}"#
            }
            try
                (#"{"name": "bundled", "destination": "127.0.0.1", "port": 27030, "bundle": 2, "tracks": ["#
                + tracks.joined(separator: ", ") + "]}")
                .write(toFile: folder.path("take.json"), atomically: true, encoding: .utf8)
            let recorder = try RecorderTests.recorder(
                ["--session", folder.path("take.json"), "-o", folder.path("out"), "--idle", "20"], folder: folder,
                port: 27_032)
            _ = BuiltProduct.audiostreamer
            let absolute = ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))
            let senders = try ["pc1", "pc2"].map { node in
                try Subprocess(
                    BuiltProduct.audiostreamer,
                    [
                        "--no-realtime", "--session", folder.path("take.json"), "--node", node, "--start-at", absolute,
                        "--sdp-dir", folder.path("sdp-\(node)"),
                    ], in: folder.url, label: node)
            }
            for sender in senders { #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError)") }
            #expect(recorder.wait(seconds: 10) == 0, "the recorder did not end on both BYEs: \(recorder.standardError)")
            let descriptions = try ["pc1", "pc2"].map {
                try String(contentsOfFile: folder.path("sdp-\($0)/session.sdp"), encoding: .utf8)
                    .split(separator: "\r\n").filter {
                        $0.hasPrefix("m=") || $0.hasPrefix("i=") || $0.hasPrefix("a=fmtp")
                    }
            }
            #expect(
                descriptions[0] == [
                    "m=audio 27030 RTP/AVP 96", "i=2 channels: a, b", "a=fmtp:96 channel-order=SMPTE2110.(M,M)",
                    "m=audio 27032 RTP/AVP 96", "i=2 channels: c, d", "a=fmtp:96 channel-order=SMPTE2110.(M,M)",
                ], "\(descriptions[0])")
            #expect(descriptions[0] == descriptions[1], "the nodes describe the take differently")
            for (name, source) in sources {
                let file = try RecordedFile(folder.path("out/\(name).wav"))
                #expect(file.samples == source.samples, "\(name) differs from its source")
            }
        }

        /// The file wins: an option that would send otherwise than the take file says is one line and exit 64,
        /// naming the option and the file's key; nothing is sent and no SDP written.
        @Test(
            "an option that contradicts the take file is refused, naming the key to set instead",
            arguments: [
                (["--rtcp-mux"], "--rtcp-mux would send other than", "\"rtcp\""),
                (["--payload-type", "101"], "--payload-type would send other than", "\"payload_type\""),
                (["--port", "27100"], "--port would send other than", "\"port\""),
                (["--timestamps", "random"], "--timestamps random cannot go with", "could not know"),
                (["--ssrc", "7"], "--ssrc would send other than", "each track's \"ssrc\""),
            ])
        func optionsThatContradictTheTakeFile(_ options: [String], _ message: String, _ key: String) throws {
            let folder = try ScratchFolder("take-override")
            try TestWAV(format: Self.stereo24, seconds: 0.1).write(to: folder.path("a.wav"))
            try Self.takeJSON(port: 27_010, wire: #""payload_type": 100,"#)
                .write(toFile: folder.path("take.json"), atomically: true, encoding: .utf8)
            let result = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--session", folder.path("take.json"), "--node", "pc1", "--sdp-dir", folder.path("sdp")] + options,
                in: folder.url, label: "override")
            #expect(result.status == 64, "exit \(result.status): \(result.error)")
            let lines = result.error.split(separator: "\n").filter { $0.hasPrefix("audiostreamer: ") }
            #expect(lines.count == 1 && lines[0].contains(message) && lines[0].contains(key), "\(result.error)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("sdp")), "an SDP folder was made")
        }
    }
}
