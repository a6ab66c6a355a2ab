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
    /// Pinned: refused, `unusableStream(line: 6, .malformedAttribute("framecount"))` or `("ptime")`, the `m=` line of
    /// the stream and the attribute at fault. The description parses; it is `streams(in:)` that refuses. The count was
    /// accepted, and `mediaDescription` trapped in `MediaTime.microseconds` (`frames * 1_000_000` overflows for more
    /// than 9.2 x 10^12 frames), so the check ran in a child process; the recorder went on to compute
    /// `8 * framesPerPacket` (the jitter buffer) and `sequenceStep * framesPerPacket` (TrackReceiver.isJump), which
    /// overflow for larger counts. A packet of either kind is now at most what one datagram carries: no sender can
    /// send more, so refusing the claim, naming the attribute, is right and no derived count can overflow.
    @Test(
        "an a=framecount of 10^13 frames or an a=ptime of 2 x 10^11 ms is refused",
        arguments: [(hugeFrameCount, "framecount"), (hugePacketTime, "ptime")])
    func hugePacketIsRefusedOrDescribed(text: String, attribute: String) throws {
        let document = try SDPDocument(parsing: text)
        #expect(throws: PlanError.unusableStream(line: 6, .malformedAttribute(attribute))) {
            try StreamDescription.streams(in: document)
        }
    }

    /// The bound refuses nothing real: AES67's longest packet (4 ms, 192 frames at 48 kHz), given either way, and
    /// what one datagram of L24 stereo holds (10 915 frames), each described again as its `m=` section; one frame
    /// more is refused, naming the attribute.
    @Test(
        "frames per packet up to one datagram's worth are taken, one more is refused",
        arguments: [
            ("a=framecount:192", 192), ("a=ptime:4", 192), ("a=framecount:10915", 10_915),
            ("a=framecount:10916", nil),
        ] as [(String, Int?)])
    func framesUpToOneDatagram(line: String, frames: Int?) throws {
        let text = hugeFrameCount.replacingOccurrences(of: "a=framecount:10000000000000", with: line)
        let document = try SDPDocument(parsing: text)
        guard let frames else {
            #expect(throws: PlanError.unusableStream(line: 6, .malformedAttribute("framecount"))) {
                try StreamDescription.streams(in: document)
            }
            return
        }
        let streams = try StreamDescription.streams(in: document)
        #expect(streams.map(\.framesPerPacket) == [frames])
        let again = try streams.map { stream in
            try StreamDescription.streams(
                in: SDPDocument(parsing: stream.sessionDescription(origin: document.description.origin).rendered()))
        }
        #expect(again == [streams])
    }
}
