import Planning
import SDP
import Testing

/// Descriptions as devices write them: what changes nothing is ignored and said; names come from the flow.
@Suite struct DeviceSDPTests {
    /// A Dante-style flow: two channels listed in i=, a=ptime:0 beside a=framecount.
    static let dante = [
        "v=0", "o=- 1311738121 1311738121 IN IP4 192.168.1.21", "s=Stage Left", "c=IN IP4 239.69.83.67/32", "t=0 0",
        "m=audio 5004 RTP/AVP 97", "i=2 channels: Left, Right", "a=recvonly", "a=rtpmap:97 L24/48000/2",
        "a=ptime:0", "a=ts-refclk:ptp=IEEE1588-2008:00-1D-C1-FF-FE-12-34-56:0", "a=mediaclk:direct=0",
    ].map { $0 + "\r\n" }.joined()

    @Test("a=ptime:0 says nothing: the stream is read with the default packet time, and the line is reported")
    func zeroPacketTime() throws {
        let document = try SDPDocument(parsing: Self.dante)
        let streams = try StreamDescription.streams(in: document)
        #expect(streams.count == 1 && streams.first?.framesPerPacket == 48)
        let ignored = StreamDescription.ignoredAttributes(in: document)
        #expect(ignored.map(\.line) == [10] && ignored.map(\.attribute) == ["a=ptime:0"])
        // A real packet time is read, and not reported.
        let real = try SDPDocument(parsing: Self.dante.replacingOccurrences(of: "a=ptime:0", with: "a=ptime:4"))
        #expect(try StreamDescription.streams(in: real).first?.framesPerPacket == 192)
        #expect(StreamDescription.ignoredAttributes(in: real).isEmpty)
    }

    @Test("a channel list in i= names nothing: the flow's s= names the track; a real i= still does")
    func namesFromTheFlow() throws {
        #expect(try StreamDescription.streams(in: SDPDocument(parsing: Self.dante)).first?.name == "Stage Left")
        let named = Self.dante.replacingOccurrences(of: "i=2 channels: Left, Right", with: "i=drums")
        #expect(try StreamDescription.streams(in: SDPDocument(parsing: named)).first?.name == "drums")
        let single = Self.dante.replacingOccurrences(of: "i=2 channels: Left, Right", with: "i=1 channel: Mono")
        #expect(try StreamDescription.streams(in: SDPDocument(parsing: single)).first?.name == "Stage Left")
    }
}
