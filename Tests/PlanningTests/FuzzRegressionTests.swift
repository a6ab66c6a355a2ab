import Foundation
import Planning
import SDP
import Testing

// Inputs the fuzz target Tests/Fuzz/SDP (`.ci/fuzz sdp`) trips on in `StreamDescription`, each cut to the lines that
// matter; the same text is a seed in Tests/Fuzz/Corpus/sdp/regression-*.

/// An AES67-style stream whose `a=framecount` is 10^13 frames: `streams(in:)` takes any count from 1 to Int.max.
/// Tests/Fuzz/Corpus/sdp/regression-framecount-overflow.sdp.
private let hugeFrameCount = [
    "v=0",
    "o=- 1 1 IN IP4 192.0.2.1",
    "s=x",
    "c=IN IP4 239.69.1.2/32",  // an AES67 group, TTL 32
    "t=0 0",
    "m=audio 5004 RTP/AVP 98",
    "a=rtpmap:98 L24/48000/2",
    "a=framecount:10000000000000",  // 10^13 frames a packet
].map { $0 + "\r\n" }.joined()

/// The same stream with `a=ptime` of 2 x 10^11 ms instead: 9.6 x 10^12 frames at 48 kHz, found by review after the
/// fix above had bounded `a=framecount` alone.
private let hugePacketTime = hugeFrameCount.replacingOccurrences(
    of: "a=framecount:10000000000000", with: "a=ptime:200000000000")

@Suite struct StreamFuzzRegressionTests {
    /// A stream `streams(in:)` accepts can be described again: either the frame count is refused, or the stream's
    /// `m=` section renders. It was accepted, and `mediaDescription` trapped in `MediaTime.microseconds`
    /// (`frames * 1_000_000` overflows for more than 9.2 x 10^12 frames), so the check runs in a child process; the
    /// recorder went on to compute `8 * framesPerPacket` (the jitter buffer) and `sequenceStep * framesPerPacket`
    /// (TrackReceiver.isJump), which overflow for larger counts. A packet of either
    /// kind is now at most what one datagram carries.
    @Test(
        "an a=framecount of 10^13 frames or an a=ptime of 2 x 10^11 ms is refused or described again",
        arguments: [hugeFrameCount, hugePacketTime])
    func hugePacketIsRefusedOrDescribed(text: String) async {
        await #expect(processExitsWith: .success) { [text] in
            guard let document = try? SDPDocument(parsing: text),
                let streams = try? StreamDescription.streams(in: document)
            else { return }
            for stream in streams {
                _ = stream.mediaDescription
            }
        }
    }

    /// The bound refuses nothing real: AES67's longest packet (4 ms, 192 frames at 48 kHz), given either way, and
    /// what one datagram of L24 stereo holds (10 915 frames); one frame more is refused.
    @Test(
        "frames per packet up to one datagram's worth are taken, one more is refused",
        arguments: [
            ("a=framecount:192", 192), ("a=ptime:4", 192), ("a=framecount:10915", 10_915),
            ("a=framecount:10916", nil),
        ] as [(String, Int?)])
    func framesUpToOneDatagram(line: String, frames: Int?) throws {
        let text = hugeFrameCount.replacingOccurrences(of: "a=framecount:10000000000000", with: line)
        let document = try SDPDocument(parsing: text)
        let streams = try? StreamDescription.streams(in: document)
        #expect(streams?.first?.framesPerPacket == frames)
    }
}
