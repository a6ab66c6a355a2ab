import Foundation
import Interfaces
import PCM
import Platform
import RTP
import Testing

/// Packets as a test receiver on loopback sees them.
struct ReceivedStream {
    var packets: [RTPPacket] = []
    var payload: [UInt8] = []

    /// Receives until no packet has come for `quietMilliseconds`.
    init(socket: UDPSocket, quietMilliseconds: Int = 1000) throws {
        socket.setReceiveTimeout(milliseconds: quietMilliseconds)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while let count = try buffer.withUnsafeMutableBytes({ try socket.receive(into: $0)?.count }) {
            let packet = try RTPPacket(parsing: Array(buffer[0..<count]))
            packets.append(packet)
            payload += buffer[packet.payloadRange]
        }
    }

    /// Sequence numbers step by one and timestamps by each packet's frame count.
    func expectContinuous(bytesPerFrame: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        for (previous, next) in zip(packets, packets.dropFirst()) {
            let frames = (previous.payloadRange.count) / bytesPerFrame
            guard next.header.sequenceNumber == previous.header.sequenceNumber &+ 1,
                next.header.timestamp == previous.header.timestamp &+ UInt32(frames)
            else {
                Issue.record("discontinuity after \(previous.header)", sourceLocation: sourceLocation)
                return
            }
        }
    }
}

func boundReceiver(_ family: IPAddress.Family, port: Int) throws -> UDPSocket {
    let socket = try UDPSocket(family: family)
    try socket.bind(to: Endpoint.loopback(family, port: port))
    socket.setBufferSize(receive: 4 << 20)
    return socket
}

extension EndToEnd {
    /// What a stream does beyond the receivers' view: IPv6, looping, duration, nobody listening, the demo.
    @Suite(.serialized)
    struct StreamBehaviourTests {
        static let stereo16 = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)

        @Test("an IPv6 destination gets the whole file, and the SDP says IP6")
        func streamsOverIPv6() throws {
            let folder = try ScratchFolder("ipv6")
            let wav = TestWAV(format: Self.stereo16, seconds: 0.5)
            try wav.write(to: folder.path("six.wav"))
            let receiver: UDPSocket
            do {
                receiver = try boundReceiver(.ipv6, port: 26_000)
            } catch {
                // A kernel without IPv6 on loopback; nothing to test here.
                try #require(ExternalTool.required == false, "IPv6 loopback unavailable: \(error)")
                return
            }
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                ["--ip", "::1", "--port", "26000", "--sdp-dir", folder.path("sdp"), folder.path("six.wav")],
                in: folder.url, label: "sender")
            let stream = try ReceivedStream(socket: receiver)
            #expect(sender.wait(seconds: 10) == 0, "\(sender.standardError)")
            #expect(stream.payload == wav.expectedBigEndian)
            stream.expectContinuous(bytesPerFrame: 4)
            let sdp = try String(contentsOfFile: folder.path("sdp/six.sdp"), encoding: .utf8)
            #expect(sdp.contains("c=IN IP6 ::1\r\n"), "\(sdp)")
            #expect(sdp.contains(" IN IP6 ::1\r\ns="), "origin should be the local IPv6 address: \(sdp)")
        }

        @Test("--loop repeats the file on one timeline and --duration stops it at the exact frame")
        func loopAndDuration() throws {
            let folder = try ScratchFolder("loop")
            let wav = TestWAV(format: Self.stereo16, seconds: 0.3)
            try wav.write(to: folder.path("short.wav"))
            let receiver = try boundReceiver(.ipv4, port: 26_010)
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "--port", "26010", "--loop", "--duration", "0.7505", "--sdp-dir", folder.path("sdp"),
                    folder.path("short.wav"),
                ], in: folder.url, label: "sender")
            let stream = try ReceivedStream(socket: receiver)
            #expect(sender.wait(seconds: 10) == 0, "\(sender.standardError)")
            // 0.7505 s at 48 kHz is 36024 frames: the file (14400 frames) twice, then 7224 frames of it.
            let expected = wav.expectedBigEndian
            let bytesPerFrame = 4
            let third = Array(expected.prefix((36_024 - 2 * 14_400) * bytesPerFrame))
            #expect(stream.payload.count == 36_024 * bytesPerFrame)
            #expect(stream.payload == expected + expected + third)
            stream.expectContinuous(bytesPerFrame: bytesPerFrame)
        }

        @Test("with nobody listening, refused sends are counted and the stream runs to its end")
        func refusedSendsDoNotStopTheStream() throws {
            let folder = try ScratchFolder("refused")
            try TestWAV(format: Self.stereo16, seconds: 0.3).write(to: folder.path("lonely.wav"))
            let result = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["--port", "26020", "--sdp-dir", folder.path("sdp"), folder.path("lonely.wav")],
                in: folder.url, label: "sender", timeout: 10)
            #expect(result.status == 0, "\(result.error)")
            // Each send after the first reports the ICMP error of the one before it (loopback does not rate-limit
            // them) and is sent again: more than half refused, which the old one-in-two loss could not give.
            let summary = try #require(result.error.split(separator: "\n").last.map(String.init))
            let refused = summary.split(separator: ",").first { $0.contains("refused") }
            let count = refused.flatMap { Int($0.split(separator: " ").first ?? "") } ?? 0
            #expect(count > 150 && summary.contains("0.300/0.300 s") && summary.contains(" 300 packets"), "\(summary)")
        }

        @Test("demo streams its generated tone and writes sdp/demo.sdp")
        func demoStreamsATone() throws {
            let folder = try ScratchFolder("demo")
            let receiver = try boundReceiver(.ipv4, port: 26_030)
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                ["demo", "--port", "26030", "--duration", "0.5", "--sdp-dir", folder.path("sdp")],
                in: folder.url, label: "demo")
            let stream = try ReceivedStream(socket: receiver)
            #expect(sender.wait(seconds: 10) == 0, "\(sender.standardError)")
            #expect(stream.packets.count == 500)
            #expect(stream.payload.count == 24_000 * 4)
            // Left channel: a 440 Hz sine at a quarter of full scale; its first samples rise from zero.
            let left = stride(from: 0, to: 400, by: 4).map {
                Int16(bitPattern: UInt16(stream.payload[$0]) << 8 | UInt16(stream.payload[$0 + 1]))
            }
            #expect(left[0] == 0 && left[1] > 0 && left.max() ?? 0 <= 8192 && left.max() ?? 0 > 8000)
            let sdp = try String(contentsOfFile: folder.path("sdp/demo.sdp"), encoding: .utf8)
            #expect(sdp.contains("a=rtpmap:96 L16/48000/2\r\n"))
        }
    }
}
