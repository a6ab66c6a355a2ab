import Interfaces
import PCM
import Planning
import SDP
import Testing

/// Streams to record from several descriptions: one stream once, flows to one port in several groups side by side.
@Suite struct StreamMergingTests {
    static func stream(
        _ address: String, port: Int = 5004, channels: Int = 2, clock: String? = "local", offset: UInt32? = 0,
        source: String? = nil
    ) -> StreamDescription {
        StreamDescription(
            name: "flow", destination: ConnectionAddress(address: address), port: port, payloadType: 96,
            encoding: .l24, sampleRate: 48_000, channelCount: channels, framesPerPacket: 48, rtcpPort: port + 1,
            referenceClock: clock, mediaClockOffset: offset,
            sourceFilter: source.map { ConnectionAddress(address: $0) })
    }

    static func plan(_ streams: [RecordTake.Stream]) throws(PlanError) -> RecordingPlan {
        var take = RecordTake()
        take.streams = streams
        return try RecordPlanner.plan(
            take, now: 0, userName: "u", localAddress: IPAddress("127.0.0.1") ?? .loopback(.ipv4))
    }

    @Test("two nodes' descriptions of one stream are one stream; the sender's own wins over another node's copy")
    func oneStreamOnce() throws {
        let copy = RecordTake.Stream(
            description: Self.stream("239.1.1.1", clock: "ntp=/traceable/", offset: nil), origin: "pc2/session.sdp:9")
        let own = RecordTake.Stream(
            description: Self.stream("239.1.1.1", source: "10.0.0.1"), origin: "pc1/session.sdp:9", fromSender: true)
        let plan = try Self.plan([copy, own])
        #expect(plan.tracks.count == 1)
        #expect(plan.tracks.first?.origin == "pc1/session.sdp:9")
        #expect(plan.tracks.first?.multicastSource == IPAddress("10.0.0.1"))
        // Identical copies of a unicast stream: one stream, the first kept.
        let unicast = try Self.plan([
            RecordTake.Stream(description: Self.stream("127.0.0.1"), origin: "a.sdp:5"),
            RecordTake.Stream(description: Self.stream("127.0.0.1"), origin: "b.sdp:5"),
        ])
        #expect(unicast.tracks.map(\.origin) == ["a.sdp:5"])
    }

    @Test("descriptions of one stream that disagree on the wire are refused, naming the port and both")
    func conflict() {
        #expect(throws: PlanError.conflictingDescriptions(port: 5004, first: "a.sdp:5", second: "b.sdp:5")) {
            try Self.plan([
                RecordTake.Stream(description: Self.stream("127.0.0.1", channels: 2), origin: "a.sdp:5"),
                RecordTake.Stream(description: Self.stream("127.0.0.1", channels: 8), origin: "b.sdp:5"),
            ])
        }
    }

    @Test("flows to port 5004 in two groups (as Dante sends them) are two streams received side by side")
    func twoGroupsOnePort() throws {
        let plan = try Self.plan([
            RecordTake.Stream(description: Self.stream("239.69.1.1"), origin: "a.sdp:5"),
            RecordTake.Stream(description: Self.stream("239.69.2.1"), origin: "b.sdp:5"),
        ])
        #expect(plan.tracks.map(\.listen.port) == [5004, 5004])
        #expect(Set(plan.tracks.map(\.listen)).count == 2)
        #expect(plan.tracks.compactMap(\.rtcpListen).map(\.port) == [5005, 5005])
        // Two unicast streams to one port (to two of this host's addresses) are one port taken twice.
        #expect(throws: PlanError.portInUseTwice(5004)) {
            try Self.plan([
                RecordTake.Stream(description: Self.stream("127.0.0.1"), origin: "a.sdp:5"),
                RecordTake.Stream(description: Self.stream("127.0.0.2"), origin: "b.sdp:5"),
            ])
        }
    }
}
