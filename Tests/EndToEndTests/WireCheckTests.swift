import Foundation
import PCM
import Testing

extension EndToEnd {
    /// The recorder told one format and hearing another, on loopback: audiostreamer sends, the recorder is told
    /// otherwise on its command line. Each disagreement is one line; no file is ever scrambled.
    @Suite(.serialized)
    struct WireCheckTests {
        static func format(_ channels: Int) -> PCMFormat {
            PCMFormat(encoding: .signed24, channelCount: channels, sampleRate: 48_000)
        }

        /// Sends `file` to `port` (extra options added) while `record` with `recordArguments` listens; returns the
        /// recorder's exit status and what it said.
        static func run(
            _ file: String, port: Int, send extra: [String] = [], record recordArguments: [String],
            folder: ScratchFolder, label: String
        ) throws -> (status: Int32, said: String) {
            let recorder = try Subprocess(
                BuiltProduct.audiostreamer,
                ["record", "--port", String(port), "--format", "L24", "--idle", "1"] + recordArguments,
                in: folder.url, label: "record-\(label)")
            #expect(waitForUDPListener(port: port), "\(label): \(recorder.standardError)")
            let sender = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--port", String(port), "--sdp-dir", folder.path("sdp-\(label)")] + extra + [file],
                in: folder.url, label: "send-\(label)")
            #expect(sender.status == 0, "\(label): \(sender.error)")
            let status = recorder.wait(seconds: 10)
            return (status ?? -1, recorder.standardError)
        }

        static func warnings(_ text: String, _ fragment: String) -> Int {
            text.split(separator: "\n").filter { $0.contains(fragment) }.count
        }

        @Test(
            "told 2 channels, sent 8, and told 8, sent 2: each recorded as the packets carry it, bit-exact, said once")
        func channelsFollowTheWire() throws {
            let folder = try ScratchFolder("wire-channels")
            let eight = TestWAV(format: Self.format(8), seconds: 0.5, seed: 200)
            let two = TestWAV(format: Self.format(2), seconds: 0.5, seed: 201)
            try eight.write(to: folder.path("eight.wav"))
            try two.write(to: folder.path("two.wav"))
            for (source, file, told, port) in [(eight, "eight", 2, 27_400), (two, "two", 8, 27_402)] {
                let (status, said) = try Self.run(
                    folder.path("\(file).wav"), port: port,
                    record: ["--channels", String(told), "-o", folder.path("take-\(file)")], folder: folder,
                    label: file)
                #expect(status == 0, "\(file): \(said)")
                let heard = source.format.channelCount
                #expect(
                    Self.warnings(
                        said,
                        "port \(port): its packets carry \(heard) channels (\(heard * 3) bytes a frame), the description says \(told) channels (\(told * 3) bytes a frame): recorded as the packets carry it, \(heard) channels"
                    ) == 1, "\(file): \(said)")
                let recorded = try RecordedFile(folder.path("take-\(file)/port \(port).wav"))
                #expect(recorded.layout.format.channelCount == heard, "\(file)")
                #expect(recorded.samples == source.samples, "\(file): \(recorded.frames) frames, not its source")
            }
        }

        @Test(
            "another payload type, or another channel count into a --multichannel file: one line, exit 65, no file")
        func refusals() throws {
            let folder = try ScratchFolder("wire-refusals")
            try TestWAV(format: Self.format(2), seconds: 0.5, seed: 202).write(to: folder.path("two.wav"))
            let type = try Self.run(
                folder.path("two.wav"), port: 27_404, send: ["--payload-type", "97"],
                record: ["--channels", "2", "-o", folder.path("take-type")], folder: folder, label: "type")
            #expect(type.status == 65, "\(type.said)")
            #expect(
                Self.warnings(
                    type.said, "warning: port 27404: packets of payload type 97 arrive, the description says 96")
                    == 1, "\(type.said)")
            #expect(type.said.contains("port 27404: its packets are of payload type 97, the description says 96"))
            #expect(!FileManager.default.fileExists(atPath: folder.path("take-type")), "\(type.said)")

            let multichannel = try Self.run(
                folder.path("two.wav"), port: 27_406,
                record: ["--channels", "4", "--multichannel", folder.path("take-multi/all.wav")], folder: folder,
                label: "multi")
            #expect(multichannel.status == 65, "\(multichannel.said)")
            #expect(
                Self.warnings(
                    multichannel.said,
                    "warning: port 27406: its packets carry 2 channels (6 bytes a frame), the description says 4 channels (12 bytes a frame): nothing of it is recorded"
                ) == 1, "\(multichannel.said)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("take-multi")), "\(multichannel.said)")
        }
    }
}
