import Foundation
import Interfaces
import PCM
import Platform
import Testing
import WAV

extension EndToEnd {
    /// Bad input gets one clear line naming the file and the problem, a sysexits code, no crash and no SDP file.
    @Suite(.serialized)
    struct CommandLineTests {
        struct BadInput: CustomTestStringConvertible, Sendable {
            var label: String
            var bytes: [UInt8]
            var status: Int32
            var message: String
            var testDescription: String { label }
        }

        static let format16 = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)
        static var header: [UInt8] { WAVHeader.bytes(format: format16, dataByteCount: 4 * 4800) }

        /// A valid header with its `fmt ` body patched: `offset` counts from the start of the file.
        static func patched(_ offset: Int, _ bytes: [UInt8]) -> [UInt8] {
            var file = header + [UInt8](repeating: 0, count: 4 * 4800)
            file.replaceSubrange(offset..<offset + bytes.count, with: bytes)
            return file
        }

        static let cases: [BadInput] = [
            BadInput(label: "empty file", bytes: [], status: 65, message: "empty file"),
            BadInput(
                label: "not RIFF", bytes: Array("OggS this is not a wav file at all".utf8), status: 65,
                message: "not a RIFF file"),
            BadInput(
                label: "truncated header", bytes: Array(header.prefix(30)), status: 65, message: "truncated header"),
            // fmt body starts at 20: tag(2) channels(2) rate(4) byteRate(4) blockAlign(2) bits(2).
            BadInput(label: "zero channels", bytes: patched(22, [0, 0]), status: 65, message: "zero channels"),
            BadInput(
                label: "absurd rate", bytes: patched(24, [0xFF, 0xFF, 0xFF, 0x7F]), status: 65,
                message: "sample rate 2147483647 Hz out of range"),
            BadInput(label: "A-law", bytes: patched(20, [6, 0]), status: 65, message: "unsupported format A-law"),
            BadInput(label: "mu-law", bytes: patched(20, [7, 0]), status: 65, message: "unsupported format mu-law"),
            BadInput(
                label: "IMA ADPCM", bytes: patched(20, [0x11, 0]), status: 65, message: "unsupported format IMA ADPCM"),
            BadInput(
                label: "12-bit PCM", bytes: patched(34, [12, 0]), status: 65, message: "unsupported PCM bit depth 12"),
            BadInput(label: "no data chunk", bytes: Array(header.prefix(36)), status: 65, message: "no data chunk"),
        ]

        @Test("a malformed WAV gets one line, exit 65, no SDP", arguments: cases)
        func malformedInputIsRefused(_ input: BadInput) throws {
            let folder = try ScratchFolder("bad-input")
            let path = folder.path("bad.wav")
            try Data(input.bytes).write(to: URL(fileURLWithPath: path))
            let result = try Subprocess.run(
                BuiltProduct.audiostreamer, ["--port", "45000", "--sdp-dir", folder.path("sdp"), path], in: folder.url,
                label: "sender", timeout: 20)
            #expect(result.status == input.status, "exit \(result.status): \(result.error)")
            let lines = result.error.split(separator: "\n")
            #expect(lines.count == 1, "expected one line, got:\n\(result.error)")
            #expect(result.error.hasPrefix("audiostreamer: \(path): "), "the line must name the file: \(result.error)")
            #expect(result.error.contains(input.message), "expected '\(input.message)' in: \(result.error)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("sdp/bad.sdp")), "an SDP was written")
        }

        @Test("a missing file exits 66 naming it")
        func missingFileIsRefused() throws {
            let folder = try ScratchFolder("missing")
            let result = try Subprocess.run(
                BuiltProduct.audiostreamer, ["--sdp-dir", folder.path("sdp"), folder.path("nope.wav")], in: folder.url,
                label: "sender")
            #expect(result.status == 66)
            #expect(result.error.contains("nope.wav") && result.error.contains("No such file"), "\(result.error)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("sdp")))
        }

        @Test(
            "bad flags are usage errors, exit 64",
            arguments: [
                ["--bogus", "x.wav"], ["--port"], ["--port", "70000", "x.wav"], ["--ptime", "0.1", "x.wav"],
                ["--format", "L8", "x.wav"], ["--ptime", "1", "--delay_ms", "2", "x.wav"], [],
                ["--start-at", "tomorrow", "x.wav"], ["--start-at", "2026-13-01T00:00:00Z", "x.wav"],
                ["--timestamps", "sometimes", "x.wav"], ["--rtcp-mux", "--rtcp-port", "7000", "x.wav"],
                ["--duration", "0", "x.wav"], ["--strict", "--allow-fragmentation", "x.wav"], ["--loop=yes", "x.wav"],
            ])
        func badFlagsAreUsageErrors(_ arguments: [String]) throws {
            let folder = try ScratchFolder("flags")
            let result = try Subprocess.run(BuiltProduct.audiostreamer, arguments, in: folder.url, label: "flags")
            #expect(result.status == 64, "\(arguments): exit \(result.status): \(result.error)")
            #expect(result.error.hasPrefix("audiostreamer: "), "\(result.error)")
        }

        /// What AES67 receivers would refuse is refused before anything is sent (to loopback here, so that even a
        /// wrong acceptance sends nothing beyond this host), naming the track and the reason.
        @Test(
            "--aes67 refuses a unicast destination, more than 8 channels, 44.1 kHz and a packet time AES67 does not list",
            arguments: [
                (2, 48_000, [String](), "sends to 127.0.0.1, not to a multicast group"),
                (10, 48_000, [], "has 10 channels, more than the 8 an AES67 stream carries"),
                (2, 44_100, [], "is 44100 Hz, and AES67 streams are 48 kHz"),
                (2, 48_000, ["--ptime", "2"], "would send packets of 96 frames (2.000 ms)"),
            ])
        func aes67Refusals(channels: Int, rate: Int, extra: [String], reason: String) throws {
            let folder = try ScratchFolder("aes67")
            let format = PCMFormat(encoding: .signed16, channelCount: channels, sampleRate: rate)
            try TestWAV(format: format, seconds: 0.1).write(to: folder.path("a.wav"))
            let result = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--aes67", "--ip", "127.0.0.1", "--sdp-dir", folder.path("sdp")] + extra + [folder.path("a.wav")],
                in: folder.url, label: "aes67")
            #expect(result.status == 64, "\(result.error)")
            #expect(result.error.contains("--aes67: track 'a' \(reason)"), "\(result.error)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("sdp/a.sdp")))
        }

        @Test("--payload-type 10 is refused for 48 kHz (RFC 3551 gives it to 44.1 kHz stereo)")
        func staticPayloadTypeOnlyWhereAllowed() throws {
            let folder = try ScratchFolder("pt")
            try TestWAV(format: Self.format16, seconds: 0.1).write(to: folder.path("a.wav"))
            let result = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--payload-type", "10", "--sdp-dir", folder.path("sdp"), folder.path("a.wav")],
                in: folder.url, label: "pt")
            #expect(result.status == 64, "\(result.error)")
            #expect(result.error.contains("--payload-type 10"), "\(result.error)")
        }

        @Test("--strict refuses a packet time the MTU cannot carry")
        func strictRefusesOversizedPackets() throws {
            let folder = try ScratchFolder("strict")
            try TestWAV(format: Self.format16, seconds: 0.1).write(to: folder.path("a.wav"))
            let result = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--strict", "--delay_ms", "10", "--sdp-dir", folder.path("sdp"), folder.path("a.wav")], in: folder.url,
                label: "strict")
            #expect(result.status == 64, "\(result.error)")
            #expect(result.error.contains("1920 bytes"), "\(result.error)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("sdp/a.sdp")))
        }

        @Test("a data chunk longer than the file streams what is there and warns once")
        func truncatedDataStreamsWhatIsThere() throws {
            let folder = try ScratchFolder("truncated")
            let wav = TestWAV(format: Self.format16, seconds: 0.2)
            var bytes = WAVHeader.bytes(format: Self.format16, dataByteCount: 10 * wav.samples.count) + wav.samples
            bytes.removeLast(2)  // half a frame at the end: only whole frames are sent
            try Data(bytes).write(to: URL(fileURLWithPath: folder.path("cut.wav")))
            let receiver = try UDPSocket(family: .ipv4)
            try receiver.bind(to: Endpoint.loopback(.ipv4, port: 45_002))
            receiver.setReceiveTimeout(milliseconds: 1000)
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                ["--port", "45002", "--sdp-dir", folder.path("sdp"), folder.path("cut.wav")],
                in: folder.url, label: "cut")
            var payloadBytes = 0
            var buffer = [UInt8](repeating: 0, count: 2048)
            while let count = try buffer.withUnsafeMutableBytes({ try receiver.receive(into: $0)?.count }) {
                payloadBytes += count - 12
            }
            let result = (status: sender.wait(seconds: 10), error: sender.standardError)
            #expect(result.status == 0, "\(result.error)")
            let warnings = result.error.split(separator: "\n").filter { $0.contains("data chunk") }
            #expect(warnings.count == 1, "\(result.error)")
            #expect(
                warnings.first?.contains("data chunk claims \(10 * wav.samples.count) bytes") == true, "\(result.error)"
            )
            // 0.2 s = 9600 frames less the cut one: 9599 whole frames of 4 bytes reach the receiver.
            #expect(payloadBytes == 9599 * 4)
            #expect(result.error.contains("200 packets"), "199 full packets and one of 47 frames: \(result.error)")
            #expect(FileManager.default.fileExists(atPath: folder.path("sdp/cut.sdp")))
        }

        @Test("--help lists every flag and exits 0; --version prints the version")
        func helpAndVersion() throws {
            let folder = try ScratchFolder("help")
            let help = try Subprocess.run(BuiltProduct.audiostreamer, ["--help"], in: folder.url, label: "help")
            #expect(help.status == 0)
            for flag in [
                "--ip", "--port", "--delay-ms", "--ptime", "--format", "--payload-type", "--ssrc", "--seq", "--mtu",
                "--allow-fragmentation", "--strict", "--sdp-dir", "--duration", "--loop", "--verbose", "--version",
            ] {
                #expect(help.output.contains(flag), "--help lacks \(flag)")
            }
            let version = try Subprocess.run(
                BuiltProduct.audiostreamer, ["--version"], in: folder.url, label: "version")
            #expect(version.status == 0 && version.output.hasPrefix("audiostreamer "))
        }

        @Test("--help, send --help and demo --help each print their own usage")
        func eachCommandHasItsUsage() throws {
            let folder = try ScratchFolder("usages")
            var outputs: [String] = []
            for arguments in [["--help"], ["send", "--help"], ["demo", "--help"]] {
                let result = try Subprocess.run(BuiltProduct.audiostreamer, arguments, in: folder.url, label: "usage")
                #expect(result.status == 0, "\(arguments): \(result.error)")
                outputs.append(result.output)
            }
            #expect(outputs[0].contains("commands:") && outputs[0].contains("record"), "\(outputs[0])")
            #expect(outputs[1].hasPrefix("usage: audiostreamer send") && outputs[1].contains("--ip <host>"))
            #expect(outputs[2].hasPrefix("usage: audiostreamer demo") && !outputs[2].contains("--session"))
            #expect(Set(outputs).count == 3)
        }

        /// `--` ends the options: a file whose name starts with a dash streams like any other.
        @Test("send -- -x.wav streams a file named -x.wav")
        func fileNamedLikeAnOption() throws {
            let folder = try ScratchFolder("dash")
            let wav = TestWAV(format: Self.format16, seconds: 0.2)
            try wav.write(to: folder.path("-x.wav"))
            let receiver = try UDPSocket(family: .ipv4)
            try receiver.bind(to: Endpoint.loopback(.ipv4, port: 45_004))
            receiver.setReceiveTimeout(milliseconds: 1000)
            let sender = try Subprocess(
                BuiltProduct.audiostreamer, ["send", "--port", "45004", "--sdp-dir", "sdp", "--", "-x.wav"],
                in: folder.url, label: "dash")
            var payload: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 2048)
            while let count = try buffer.withUnsafeMutableBytes({ try receiver.receive(into: $0)?.count }) {
                payload += buffer[12..<count]
            }
            #expect(sender.wait(seconds: 10) == 0, "\(sender.standardError)")
            #expect(payload == wav.expectedBigEndian)
            #expect(FileManager.default.fileExists(atPath: folder.path("sdp/-x.sdp")))
        }
    }
}
