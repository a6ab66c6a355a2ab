import Interfaces
import Numbers
import PCM
import Planning
import SDP
import TestSupport
import Testing

// The planner's network rules, as a pure function: multicast c= lines and their TTL, RFC 4570 source filters, the
// AES67 preset, PTP timestamps and RFC 7273 clock lines, the session ID and version, DSCP. Expected values are
// worked out by hand (or in Python, as noted), not read back from the code.

/// 2026-11-29T12:00:00Z in Unix nanoseconds.
private let noon: Int64 = 1_795_953_600_000_000_000
private let group = IPAddress(ipv4: 0xEF45_0102)  // 239.69.1.2
private let recorder = IPAddress(ipv4: 0xC0A8_007D)  // 192.168.0.125
private let local = IPAddress(ipv4: 0xC0A8_0002)  // 192.168.0.2
private let group6 = IPAddress(ipv6: 0xFF05_0000_0000_0000, 0x0000_0000_0001_0002)  // ff05::1:2
private let local6 = IPAddress(ipv6: 0x2001_0DB8_0000_0000, 2)  // 2001:db8::2
private let stereo16 = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)
private let stereo24 = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)
private let ptpClock = "ptp=IEEE1588-2008:00-1D-C1-FF-FE-12-34-56:0"

private let hosts: [String: ResolvedHost] = [
    "group.example": ResolvedHost(address: group, localAddress: local),
    "group6.example": ResolvedHost(address: group6, localAddress: local6),
    "recorder.example": ResolvedHost(address: recorder, localAddress: local),
]

private func take(
    _ names: [String] = ["a"], to destination: String = "group.example", configure: (inout Take) -> Void = { _ in }
) -> Take {
    var take = Take()
    take.destination = destination
    take.tracks = names.map { TakeTrack(name: $0, source: .file("/takes/\($0).wav")) }
    configure(&take)
    return take
}

private func plan(
    _ take: Take, _ formats: [PCMFormat], now: Int64 = noon, referenceClock: String = "ntp=/traceable/",
    taiOffset: Int = 37
) throws -> TakePlan {
    var random = SplitMix64(state: 1)
    let inputs = PlanInputs(
        formats: formats, hosts: hosts, now: now, userName: "alice", referenceClock: referenceClock,
        taiOffsetSeconds: taiOffset)
    return try Planner.plan(take, inputs: inputs, random: &random)
}

/// The one track's own SDP, as text.
private func sdp(_ session: TakePlan) throws -> String {
    let track = try #require(session.tracks.first)
    return session.sessionDescription(for: track).rendered()
}

/// The lines of an SDP.
private func lines(_ text: String) -> [String] {
    text.split(separator: "\r\n").map(String.init)
}

@Suite struct PlannerNetworkTests {
    @Test("the defaults: DSCP 34 (AF41) and multicast TTL 1")
    func defaults() throws {
        #expect(NetworkOptions.defaultDSCP == 34)
        #expect(NetworkOptions.defaultMulticastTTL == 1)
        let session = try plan(take(), [stereo16])
        #expect(session.tracks[0].dscp == 34)
        let unicast = try plan(take(to: "recorder.example"), [stereo16])
        #expect(unicast.tracks[0].dscp == 34)
        let given = try plan(take { $0.network.dscp = 46 }, [stereo16])
        #expect(given.tracks[0].dscp == 46)
    }

    @Test("an IPv4 multicast destination is c=IN IP4 <group>/<ttl>: TTL 1 by default")
    func ipv4MulticastDefaultTTL() throws {
        let session = try plan(take(), [stereo16])
        #expect(session.tracks[0].multicastTTL == 1)
        #expect(session.tracks[0].destination == Endpoint(address: group, port: 5004))
        #expect(session.tracks[0].stream.destination == ConnectionAddress(family: .ipv4, address: "239.69.1.2", ttl: 1))
        #expect(lines(try sdp(session)).contains("c=IN IP4 239.69.1.2/1"))
    }

    @Test("an IPv4 multicast destination with a TTL given: c= carries it, and so does the plan")
    func ipv4MulticastGivenTTL() throws {
        let session = try plan(take { $0.network.ttl = 32 }, [stereo16])
        #expect(session.tracks[0].multicastTTL == 32)
        #expect(lines(try sdp(session)).contains("c=IN IP4 239.69.1.2/32"))
        // The session SDP's c= lines, one per m= section, carry it too.
        #expect(lines(session.sessionDescription.rendered()).contains("c=IN IP4 239.69.1.2/32"))
    }

    @Test("an IPv6 multicast destination has no /ttl in c= (RFC 8866 section 5.7), but a hop limit in the plan")
    func ipv6Multicast() throws {
        let session = try plan(take(to: "group6.example") { $0.network.ttl = 5 }, [stereo16])
        #expect(session.tracks[0].multicastTTL == 5)
        let text = lines(try sdp(session))
        #expect(text.contains("c=IN IP6 ff05::1:2"))
        #expect(!text.contains { $0.hasPrefix("c=") && $0.contains("/") })
        #expect(text.contains("a=source-filter: incl IN IP6 ff05::1:2 2001:db8::2"))
        #expect(session.origin.address == ConnectionAddress(family: .ipv6, address: "2001:db8::2"))
    }

    @Test("a unicast destination has no TTL, no hop limit and no source filter")
    func unicast() throws {
        let session = try plan(take(to: "recorder.example") { $0.network.ttl = 32 }, [stereo16])
        #expect(session.tracks[0].multicastTTL == nil)
        #expect(session.tracks[0].stream.sourceFilter == nil)
        let text = lines(try sdp(session))
        #expect(text.contains("c=IN IP4 192.168.0.125"))
        #expect(!text.contains { $0.hasPrefix("a=source-filter") })
    }

    @Test("a multicast stream names its one sender: a=source-filter: incl IN IP4 <group> <sender> (RFC 4570)")
    func sourceFilter() throws {
        let session = try plan(take(), [stereo16])
        #expect(session.tracks[0].sourceAddress == local)
        #expect(!session.tracks[0].bindsSourceAddress)
        #expect(lines(try sdp(session)).contains("a=source-filter: incl IN IP4 239.69.1.2 192.168.0.2"))
        // A bound local address is the sender the filter names.
        let bound = try plan(take { $0.network.bindAddress = "192.168.0.7" }, [stereo16])
        #expect(bound.tracks[0].sourceAddress == IPAddress(ipv4: 0xC0A8_0007))
        #expect(bound.tracks[0].bindsSourceAddress)
        #expect(lines(try sdp(bound)).contains("a=source-filter: incl IN IP4 239.69.1.2 192.168.0.7"))
    }

    // Attributes in the order AES67 receivers accept: i=, recvonly, rtpmap, source-filter, ptime, framecount,
    // ts-refclk, mediaclk.
    @Test("an AES67 stream's SDP, whole, its attributes in order")
    func aes67GoldenSDP() throws {
        let session = try plan(
            take(["drums"]) {
                $0.aes67 = true
                $0.timestampOrigin = .ptp
            }, [stereo24], referenceClock: ptpClock)
        // Session ID: the stream's own, FNV-1a 32 of "audiostreamer session/drums@192.168.0.2/239.69.1.2:5004"
        // (Python: 20455013); version: the NTP seconds of noon, 1 795 953 600 + 2 208 988 800.
        let expected = [
            "v=0",
            "o=- 20455013 4004942400 IN IP4 192.168.0.2",
            "s=drums",
            "c=IN IP4 239.69.1.2/1",
            "t=0 0",
            "m=audio 5004 RTP/AVP 96",
            "i=drums",
            "a=recvonly",
            "a=rtpmap:96 L24/48000/2",
            "a=source-filter: incl IN IP4 239.69.1.2 192.168.0.2",
            "a=ptime:1",
            "a=framecount:48",
            "a=ts-refclk:ptp=IEEE1588-2008:00-1D-C1-FF-FE-12-34-56:0",
            "a=mediaclk:direct=0",
        ].map { $0 + "\r\n" }.joined()
        #expect(try sdp(session) == expected)
    }

    @Test("the session ID is stable for a take (same take, host and destination), whatever the time of planning")
    func sessionIDStable() throws {
        let first = try plan(take(), [stereo16], now: noon)
        let later = try plan(
            take { $0.start = .at(noon + 60_000_000_000) }, [stereo16], now: noon + 5_000_000_000)
        #expect(first.startUnixNanoseconds != later.startUnixNanoseconds)
        // FNV-1a 32 of "audiostreamer session@192.168.0.2/239.69.1.2:5004", worked out in Python.
        #expect(first.origin.sessionID == 2_904_240_835)
        #expect(later.origin.sessionID == 2_904_240_835)
        // Another take name, or another destination, is another session.
        let renamed = try plan(take { $0.name = "other" }, [stereo16])
        #expect(renamed.origin.sessionID == 2_807_925_000)  // "other@192.168.0.2/239.69.1.2:5004"
        let elsewhere = try plan(take(to: "recorder.example"), [stereo16])
        #expect(elsewhere.origin.sessionID == 3_696_520_516)  // "...@192.168.0.2/192.168.0.125:5004"
    }

    @Test("the session version is the NTP seconds of planning, and rises with a new description")
    func sessionVersion() throws {
        let first = try plan(take(), [stereo16], now: noon)
        let later = try plan(take(), [stereo16], now: noon + 5_000_000_000)
        #expect(first.origin.sessionVersion == 4_004_942_400)
        #expect(later.origin.sessionVersion == 4_004_942_405)
        #expect(TakeRules.sessionVersion(unixNanoseconds: noon + 999_999_999) == 4_004_942_400)
        // A new grandmaster: a new version, at least one more than the last, the same session ID.
        let moved = first.withReferenceClock(ptpClock, version: 0)
        #expect(moved.origin.sessionVersion == 4_004_942_401)
        #expect(moved.origin.sessionID == first.origin.sessionID)
        #expect(first.withReferenceClock(ptpClock, version: 4_004_943_000).origin.sessionVersion == 4_004_943_000)
        let text = lines(try sdp(moved))
        #expect(text.contains("a=ts-refclk:\(ptpClock)"))
        // The track's own session ID: FNV-1a 32 of "audiostreamer session/a@192.168.0.2/239.69.1.2:5004" (Python).
        #expect(text.contains("o=- 2996600003 4004942401 IN IP4 192.168.0.2"))
        #expect(lines(moved.sessionDescription.rendered()).contains("a=ts-refclk:\(ptpClock)"))
    }

    @Test("the AES67 preset sends L24, whatever the file or the take ask, at the default 1 ms")
    func aes67FormsTheStream() throws {
        let session = try plan(
            take {
                $0.aes67 = true
                $0.encoding = .l16
            }, [stereo16])
        #expect(session.tracks[0].encoding == .l24)
        #expect(session.tracks[0].framesPerPacket == 48)
        #expect(session.tracks[0].stream.packetTimeText == "1")
        #expect(lines(try sdp(session)).contains("a=rtpmap:96 L24/48000/2"))
        // 8 channels are the most a stream may carry, and are planned.
        let eight = PCMFormat(encoding: .signed24, channelCount: 8, sampleRate: 48_000)
        #expect(try plan(take { $0.aes67 = true }, [eight]).tracks[0].format.channelCount == 8)
    }

    @Test("the AES67 preset refuses a unicast destination, more than 8 channels and a rate other than 48 kHz")
    func aes67Refusals() {
        #expect(throws: PlanError.aes67(.notMulticast("192.168.0.125"), track: "a")) {
            try plan(take(to: "recorder.example") { $0.aes67 = true }, [stereo24])
        }
        #expect(throws: PlanError.aes67(.channels(9), track: "a")) {
            try plan(take { $0.aes67 = true }, [PCMFormat(encoding: .signed24, channelCount: 9, sampleRate: 48_000)])
        }
        #expect(throws: PlanError.aes67(.sampleRate(44_100), track: "a")) {
            try plan(take { $0.aes67 = true }, [PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 44_100)])
        }
        #expect(throws: PlanError.aes67(.sampleRate(96_000), track: "a")) {
            try plan(take { $0.aes67 = true }, [PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 96_000)])
        }
        // Without the preset, the same takes are planned.
        #expect(throws: Never.self) {
            _ = try plan(take(to: "recorder.example"), [stereo24])
            _ = try plan(take(), [PCMFormat(encoding: .signed24, channelCount: 9, sampleRate: 44_100)])
        }
    }

    @Test(
        "PTP timestamps: floor((start + TAI - UTC) x rate / 1e9) mod 2^32, worked out in Python",
        arguments: [
            // (TAI - UTC, rate, first timestamp)
            (37, 48_000, UInt32(1_486_025_989)),
            (36, 48_000, 1_485_977_989),
            (37, 44_100, 2_358_497_565),
            (0, 48_000, 1_484_249_989),
        ])
    func ptpTimestamps(taiOffset: Int, rate: Int, expected: UInt32) throws {
        // A start 1.000123456 s after noon: the fraction of a sample is dropped.
        let format = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: rate)
        let session = try plan(
            take(to: "recorder.example") {
                $0.timestampOrigin = .ptp
                $0.start = .at(noon + 1_000_123_456)
            }, [format], referenceClock: ptpClock, taiOffset: taiOffset)
        #expect(session.tracks[0].initialTimestamp == expected)
        // Against a PTP reference clock, PTP timestamps are the media clock itself.
        #expect(session.tracks[0].stream.mediaClockOffset == 0)
        #expect(lines(try sdp(session)).contains("a=mediaclk:direct=0"))
    }

    @Test("a=mediaclk:direct= is the timestamps' offset from the reference clock's media time, TAI against UTC")
    func mediaClockOffsets() throws {
        func offset(_ origin: TimestampOrigin, _ referenceClock: String) throws -> UInt32? {
            let session = try plan(
                take(to: "recorder.example") {
                    $0.timestampOrigin = origin
                    $0.start = .at(noon + 1_000_123_456)
                }, [stereo24], referenceClock: referenceClock)
            return session.tracks[0].stream.mediaClockOffset
        }
        // 37 s at 48 kHz = 1 776 000 samples.
        #expect(try offset(.ptp, ptpClock) == 0)
        #expect(try offset(.wallClock, "ntp=/traceable/") == 0)
        // PTP timestamps against an NTP (UTC) clock: 37 s ahead.
        #expect(try offset(.ptp, "ntp=/traceable/") == 1_776_000)
        // Wall-clock timestamps against a PTP clock: 37 s behind, modulo 2^32 (2^32 - 1 776 000).
        #expect(try offset(.wallClock, ptpClock) == 4_293_191_296)
        let wall = try plan(
            take(to: "recorder.example") { $0.start = .at(noon + 1_000_123_456) }, [stereo24], referenceClock: ptpClock)
        #expect(wall.tracks[0].initialTimestamp == 1_484_249_989)
    }

    @Test("the AES67 preset takes the packet times AES67 lists (1 ms; 0.125, 0.25, 0.333, 4 ms) and refuses others")
    func aes67PacketTimes() throws {
        for (text, frames) in [("0.125", 6), ("0.25", 12), ("0.333", 16), ("1", 48), ("4", 192)] {
            let asked = PacketTime(milliseconds: try #require(ExactDecimal(text)))
            let session = try plan(
                take {
                    $0.aes67 = true; $0.packetTime = asked
                }, [stereo24])
            #expect(session.tracks[0].framesPerPacket == frames, "--ptime \(text)")
        }
        for (text, frames) in [("2", 96), ("20", 960), ("0.5", 24)] {
            let asked = PacketTime(milliseconds: try #require(ExactDecimal(text)))
            // 20 ms of L24 stereo is 5760 bytes: even refused, the packet time is what the MTU allows first.
            let session = { () throws -> TakePlan in
                try plan(
                    take {
                        $0.aes67 = true; $0.packetTime = asked; $0.fragmentation = .allowFragmentation
                    }, [stereo24])
            }
            #expect(throws: PlanError.aes67(.packetTime(frames: frames), track: "a"), "--ptime \(text)") {
                try session()
            }
        }
    }

    @Test("another node's track has the media clock offset its own node computes, from the same rules")
    func remoteMediaClockOffset() throws {
        let json = """
            {"name": "t", "destination": "recorder.example", "tracks": [
              {"file": "a.wav", "node": "pc1"},
              {"file": "b.wav", "node": "pc2", "encoding": "L24", "sample_rate": 48000, "channels": 2}]}
            """
        func streams(_ origin: TimestampOrigin, _ clock: String) throws -> [StreamDescription] {
            var applied = try TakeFile(parsing: Array(json.utf8)).applied(to: Take(), node: "pc1", path: "t.json")
            applied.timestampOrigin = origin
            applied.start = .at(noon + 1_000_123_456)
            return try plan(applied, [stereo24], referenceClock: clock).streams
        }
        // Wall-clock timestamps against a PTP clock: both nodes' streams 37 s behind it (2^32 - 37 x 48000).
        #expect(try streams(.wallClock, ptpClock).map(\.mediaClockOffset) == [4_293_191_296, 4_293_191_296])
        #expect(try streams(.ptp, ptpClock).map(\.mediaClockOffset) == [0, 0])
        #expect(try streams(.ptp, "ntp=/traceable/").map(\.mediaClockOffset) == [1_776_000, 1_776_000])
        // Another node's random timestamps are not known here: its section has no offset.
        let random = try streams(.random, "ntp=/traceable/")
        #expect(random[0].mediaClockOffset != nil && random[1].mediaClockOffset == nil)
    }

    @Test("--bind: the sockets bind the address, and the SDP's origin and source filter name it")
    func boundAddress() throws {
        let session = try plan(take { $0.network.bindAddress = "192.168.0.3" }, [stereo16])
        #expect(session.tracks[0].bindsSourceAddress)
        #expect(session.tracks[0].sourceAddress == IPAddress(ipv4: 0xC0A8_0003))
        let text = lines(try sdp(session))
        #expect(text.contains { $0.hasPrefix("o=- ") && $0.hasSuffix(" IN IP4 192.168.0.3") }, "\(text)")
        #expect(text.contains("a=source-filter: incl IN IP4 239.69.1.2 192.168.0.3"), "\(text)")
        #expect(session.canonicalName == "alice@192.168.0.3")
        // An address of the other family cannot send to this destination.
        #expect(throws: PlanError.unresolvedHost("2001:db8::2")) {
            try plan(take { $0.network.bindAddress = "2001:db8::2" }, [stereo16])
        }
    }
}
