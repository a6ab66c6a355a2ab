import Interfaces
import PCM
import Planning
import SDP
import TestSupport
import Testing

// SMPTE ST 2022-7 in the plans: the sender's second leg and its RFC 7104 description, and the recorder reading
// such a description back as one stream on two legs. Expected values are worked out by hand.

private let groupA = IPAddress(ipv4: 0xEF45_0102)  // 239.69.1.2
private let groupB = IPAddress(ipv4: 0xEF46_0102)  // 239.70.1.2
private let localA = IPAddress(ipv4: 0xC0A8_0002)  // 192.168.0.2
private let localB = IPAddress(ipv4: 0xC0A8_0102)  // 192.168.1.2
private let stereo24 = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)

@Suite struct RedundancyPlanTests {
    static func plan(port: Int? = nil) throws -> TakePlan {
        var take = Take()
        take.destination = "a.example"
        take.port = 5004
        take.redundant = RedundantLeg(destination: "b.example", port: port)
        take.tracks = ["kick", "snare"].map { TakeTrack(name: $0, source: .file("/\($0).wav")) }
        var inputs = PlanInputs(
            formats: [stereo24, stereo24], hosts: ["a.example": ResolvedHost(address: groupA, localAddress: localA)],
            now: 0, userName: "u", referenceClock: "local")
        inputs.secondLegHost = ResolvedHost(address: groupB, localAddress: localB, pathMTU: 1400)
        var random = SplitMix64(state: 1)
        return try Planner.plan(take, inputs: inputs, random: &random)
    }

    @Test("each track's second leg: the leg's group on the leg's port base, from the leg's address; sized for both")
    func secondLegs() throws {
        let plan = try Self.plan(port: 6004)
        let legs = plan.tracks.compactMap(\.secondLeg)
        #expect(
            legs.map(\.destination) == [Endpoint(address: groupB, port: 6004), Endpoint(address: groupB, port: 6006)])
        #expect(legs.map(\.rtcpDestination.port) == [6005, 6007])
        #expect(legs.allSatisfy { $0.sourceAddress == localB && $0.multicastTTL == 1 })
        #expect(plan.tracks.map(\.mtu) == [1400, 1400])
        #expect(try Self.plan().tracks.compactMap(\.secondLeg?.destination.port) == [5004, 5006])
    }

    @Test("the track's SDP: a=group:DUP, an m= section per leg with its c=, source filter and mid; read back as one")
    func describedAndReadBack() throws {
        let plan = try Self.plan(port: 6004)
        let track = try #require(plan.tracks.first)
        let text = plan.sessionDescription(for: track).rendered()
        let lines = text.split(separator: "\r\n").map(String.init)
        for line in [
            "a=group:DUP 1 2", "m=audio 5004 RTP/AVP 96", "c=IN IP4 239.69.1.2/1",
            "a=source-filter: incl IN IP4 239.69.1.2 192.168.0.2", "a=mid:1", "m=audio 6004 RTP/AVP 96",
            "c=IN IP4 239.70.1.2/1", "a=source-filter: incl IN IP4 239.70.1.2 192.168.1.2", "a=mid:2",
        ] {
            #expect(lines.contains(line), "\(line) missing:\n\(text)")
        }
        let read = try StreamDescription.streams(in: SDPDocument(parsing: text))
        #expect(read.count == 1)
        #expect(read.first?.name == "kick")
        #expect(
            read.first?.secondLeg
                == StreamDescription.Leg(
                    destination: ConnectionAddress(family: .ipv4, address: "239.70.1.2", ttl: 1), port: 6004,
                    rtcpPort: 6005, sourceFilter: ConnectionAddress(address: "192.168.1.2")))
        // session.sdp: both tracks, each a group of its own.
        let session = try StreamDescription.streams(in: SDPDocument(parsing: plan.sessionDescription.rendered()))
        #expect(session.map(\.name) == ["kick", "snare"] && session.allSatisfy { $0.secondLeg != nil })
    }

    @Test("a recorder listens on both legs, each port once; the second leg's ports may not clash")
    func recorderListensOnBoth() throws {
        let plan = try Self.plan(port: 6004)
        var take = RecordTake()
        take.streams = plan.streams.map { RecordTake.Stream(description: $0, origin: "session.sdp") }
        let recording = try RecordPlanner.plan(take, now: 0, userName: "u", localAddress: localA)
        let legs = recording.tracks.compactMap(\.secondLeg)
        #expect(legs.map(\.listen) == [Endpoint(address: groupB, port: 6004), Endpoint(address: groupB, port: 6006)])
        #expect(legs.map(\.multicastSource) == [localB, localB])
        #expect(
            recording.tracks.map(\.listen) == [
                Endpoint(address: groupA, port: 5004), Endpoint(address: groupA, port: 5006),
            ])
    }

    @Test(
        "duplication groups the recorder cannot use: an unknown mid, three legs, legs that differ",
        arguments: [
            ("a=group:DUP 1 3", "names mid"), ("a=group:DUP 1 2 3", "legs"), ("a=rtpmap:96 L24/48000/1", "differ"),
        ])
    func unusableGroups(_ change: String, _ label: String) throws {
        var lines = [
            "v=0", "o=- 1 1 IN IP4 192.168.0.2", "s=dup", "t=0 0", "a=group:DUP 1 2", "m=audio 5004 RTP/AVP 96",
            "c=IN IP4 239.69.1.2/1", "a=rtpmap:96 L24/48000/2", "a=mid:1", "m=audio 5004 RTP/AVP 96",
            "c=IN IP4 239.70.1.2/1", "a=rtpmap:96 L24/48000/2", "a=mid:2",
        ]
        if change.hasPrefix("a=group") { lines[4] = change } else { lines[11] = change }
        let text = lines.map { $0 + "\r\n" }.joined()
        #expect(throws: PlanError.self, "\(label)") { try StreamDescription.streams(in: SDPDocument(parsing: text)) }
    }
}
