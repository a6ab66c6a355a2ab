import Interfaces
import PCM
import Planning
import RTP
import SDP
import TestSupport
import Testing

/// A take file fixes every setting that changes the wire, and one rule (`StreamRule`) turns it into the streams
/// each sender sends and a recorder expects.
@Suite struct TakeFileWireTests {
    static let json = """
        {"name": "t", "destination": "239.1.2.3", "port": 5004, "ptime": 4, "rtcp": "mux", "payload_type": 100,
         "mtu": 1280, "dscp": 46, "ttl": 4, "timestamps": "ptp", "tracks": [
          {"file": "a.wav", "node": "pc1", "encoding": "L24", "sample_rate": 48000, "channels": 8},
          {"file": "b.wav", "node": "pc2", "encoding": "L16", "sample_rate": 44100, "channels": 2}]}
        """
    static let formats = [
        "pc1": PCMFormat(encoding: .signed24, channelCount: 8, sampleRate: 48_000),
        "pc2": PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 44_100),
    ]
    static let noon: Int64 = 1_795_953_600_000_000_000

    /// The fields of a stream that a recorder must expect as sent; the reference clock and the source filter are
    /// the sender's own to know.
    struct Wire: Hashable {
        let destination: ConnectionAddress, port: Int, rtcpPort: Int, rtcpMultiplexed: Bool, payloadType: UInt8
        let encoding: AudioPayloadEncoding, sampleRate: Int, channelCount: Int, framesPerPacket: Int
        let ssrc: UInt32?, mediaClockOffset: UInt32?

        init(_ stream: StreamDescription) {
            destination = stream.destination
            port = stream.port
            rtcpPort = stream.rtcpPort
            rtcpMultiplexed = stream.rtcpMultiplexed
            payloadType = stream.payloadType
            encoding = stream.encoding
            sampleRate = stream.sampleRate
            channelCount = stream.channelCount
            framesPerPacket = stream.framesPerPacket
            ssrc = stream.ssrc
            mediaClockOffset = stream.mediaClockOffset
        }
    }

    @Test("the recorder reading a take file expects exactly what each node sends, and what each node describes")
    func oneRuleForSenderAndRecorder() throws {
        let file = try TakeFile(parsing: Array(Self.json.utf8))
        let expected = try RecordPlanner.streams(of: file, path: "t.json", taiOffsetSeconds: 37).map {
            Wire($0.description)
        }
        #expect(expected.count == 2)
        // L24 x 8 channels at 48 kHz in a 1280-byte MTU: 4 ms does not fit (1152 bytes of 1232 per ms... 4608),
        // so the packet time is cut; RTCP on the RTP port; payload type 100; the TTL in c=.
        #expect(expected[0].rtcpMultiplexed && expected[0].rtcpPort == 5004 && expected[0].payloadType == 100)
        #expect(expected[0].destination.ttl == 4 && expected[1].port == 5006)
        #expect(expected[0].framesPerPacket < 192)
        for node in ["pc1", "pc2"] {
            let take = try file.applied(to: Take(), node: node, path: "t.json")
            #expect(take.network.dscp == 46 && take.mtu == 1280 && take.timestampOrigin == .ptp)
            let inputs = PlanInputs(
                formats: [try #require(Self.formats[node])],
                hosts: [
                    "239.1.2.3": ResolvedHost(
                        address: try #require(IPAddress("239.1.2.3")), localAddress: try #require(IPAddress("10.0.0.2"))
                    )
                ], now: Self.noon, userName: "alice", referenceClock: "local")
            var random = SplitMix64(state: 3)
            let plan = try Planner.plan(take, inputs: inputs, random: &random)
            // What this node sends, and what it writes of every stream into session.sdp, is what the recorder expects.
            #expect(plan.tracks.map { Wire($0.stream) } == [expected[node == "pc1" ? 0 : 1]])
            #expect(plan.streams.map(Wire.init) == expected)
            #expect(plan.tracks[0].ssrc == plan.tracks[0].stream.ssrc && plan.tracks[0].rtcpMultiplexed)
        }
    }

    @Test("the take file wins: what the command line asks differently from it is named, the default is not")
    func settingsThatOverrideTheFile() throws {
        let file = try TakeFile(parsing: Array(Self.json.utf8))
        let plain = try TakeFile(
            parsing: Array(#"{"name": "t", "tracks": [{"file": "a.wav", "node": "pc1"}]}"#.utf8))
        let cases: [(TakeSetting?, TakeFile, (inout Take) -> Void)] = [
            (nil, file, { _ in }),
            // Asking what the file says anyway is no conflict.
            (nil, file, { $0.rtcp = .multiplexed }),
            (nil, file, { $0.payloadType = 100 }),
            (nil, file, { $0.port = 5004 }),
            (.rtcp, plain, { $0.rtcp = .multiplexed }),
            (.rtcp, file, { $0.rtcp = .port(7000) }),
            (.payloadType, file, { $0.payloadType = 101 }),
            (.destination, plain, { $0.destination = "10.0.0.9" }),
            (.port, file, { $0.port = 6000 }),
            (.packetTime, plain, { $0.packetTime = PacketTime.allowed("4") ?? .standard }),
            (.encoding, plain, { $0.encoding = .l24 }),
            (.ssrc, plain, { $0.ssrc = 7 }),
            (.timestamp, plain, { $0.initialTimestamp = 0 }),
            (.timestampOrigin, plain, { $0.timestampOrigin = .random }),
            (.timestampOrigin, plain, { $0.timestampOrigin = .ptp }),
            (nil, file, { $0.timestampOrigin = .ptp }),
            (.mtu, plain, { $0.mtu = 9000 }),
            (.fragmentation, plain, { $0.fragmentation = .allowFragmentation }),
            (nil, plain, { $0.fragmentation = .strict }),
            (.dscp, file, { $0.network.dscp = 10 }),
            (.ttl, plain, { $0.network.ttl = 2 }),
        ]
        for (index, (expected, takeFile, configure)) in cases.enumerated() {
            var take = Take()
            configure(&take)
            #expect(TakeFile.overridden(by: take, file: takeFile) == expected, "case \(index)")
            if let expected {
                #expect(throws: PlanError.overridesTakeFile(expected)) {
                    try takeFile.applied(to: take, node: "pc1", path: "t.json")
                }
            }
        }
    }

    @Test("the wire keys' values are checked, naming the key")
    func wireKeyErrors() {
        func parse(_ members: String) throws(TakeFileError) -> TakeFile {
            try TakeFile(parsing: Array(#"{"name": "t", \#(members), "tracks": [{"file": "a", "node": "n"}]}"#.utf8))
        }
        #expect(throws: TakeFileError.invalid(path: "rtcp", reason: .rtcp("next"))) { try parse(#""rtcp": "next""#) }
        #expect(throws: TakeFileError.invalid(path: "timestamps", reason: .timestamps("random"))) {
            try parse(#""timestamps": "random""#)
        }
        #expect(throws: TakeFileError.invalid(path: "payload_type", reason: .outOfRange("128", 0...127))) {
            try parse(#""payload_type": 128"#)
        }
        #expect(throws: TakeFileError.invalid(path: "mtu", reason: .outOfRange("500", 576...65_535))) {
            try parse(#""mtu": 500"#)
        }
        #expect(throws: TakeFileError.invalid(path: "ttl", reason: .outOfRange("0", 1...255))) {
            try parse(#""ttl": 0"#)
        }
        #expect(throws: TakeFileError.invalid(path: "dscp", reason: .outOfRange("64", 0...63))) {
            try parse(#""dscp": 64"#)
        }
        #expect(throws: Never.self) {
            let file = try parse(#""rtcp": 7000"#)
            #expect(file.wire.rtcp == .port(7000))
        }
    }
}
