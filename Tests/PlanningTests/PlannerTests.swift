import Interfaces
import Numbers
import PCM
import Planning
import RTP
import SDP
import TestSupport
import Testing

// The planner, as a pure function: a take, the inputs' formats, resolved hosts, a time and a seeded generator in;
// one plan per track out. No socket, clock or file is touched here.

/// 2026-11-29T12:00:00Z in Unix nanoseconds.
private let noon: Int64 = 1_795_953_600_000_000_000
private let stereo16 = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)
private let destination = IPAddress(ipv4: 0xC0A8_007D)  // 192.168.0.125
private let local = IPAddress(ipv4: 0xC0A8_0002)  // 192.168.0.2

private func take(_ names: [String], configure: (inout Take) -> Void = { _ in }) -> Take {
    var take = Take()
    take.destination = "recorder.example"
    take.tracks = names.map { TakeTrack(name: $0, source: .file("/takes/\($0).wav")) }
    configure(&take)
    return take
}

private func inputs(_ formats: [PCMFormat], hosts: [String: ResolvedHost]? = nil) -> PlanInputs {
    PlanInputs(
        formats: formats,
        hosts: hosts ?? ["recorder.example": ResolvedHost(address: destination, localAddress: local)],
        now: noon, userName: "alice", referenceClock: "ntp=/traceable/")
}

private func plan(_ take: Take, _ formats: [PCMFormat], seed: UInt64 = 1) throws -> TakePlan {
    var random = SplitMix64(state: seed)
    return try Planner.plan(take, inputs: inputs(formats), random: &random)
}

@Suite struct PlannerPortTests {
    @Test("track i goes to port + 2i with RTCP on the next port")
    func portsWithRTCPOnTheNextPort() throws {
        let session = try plan(take(["a", "b", "c"]) { $0.port = 5004 }, Array(repeating: stereo16, count: 3))
        #expect(session.tracks.map(\.destination.port) == [5004, 5006, 5008])
        #expect(session.tracks.map(\.rtcpDestination.port) == [5005, 5007, 5009])
        #expect(session.tracks.allSatisfy { $0.destination.address == destination && !$0.rtcpMultiplexed })
        #expect(session.tracks.map(\.slot) == [0, 1, 2])
        // The SDP says nothing of RTCP when it is on port + 1 (RFC 3550 section 11).
        #expect(!session.tracks[1].stream.mediaDescription.attributes.contains { $0.name.hasPrefix("rtcp") })
    }

    @Test("with RTCP multiplexed, each track's RTCP shares its RTP port and the SDP says a=rtcp-mux")
    func portsWithRTCPMux() throws {
        let session = try plan(
            take(["a", "b"]) {
                $0.port = 6000
                $0.rtcp = .multiplexed
            }, [stereo16, stereo16])
        #expect(session.tracks.map(\.destination.port) == [6000, 6002])
        #expect(session.tracks.map(\.rtcpDestination.port) == [6000, 6002])
        #expect(session.tracks.allSatisfy { $0.rtcpMultiplexed })
        #expect(session.tracks[1].stream.mediaDescription.attributes.contains(Attribute("rtcp-mux")))
    }

    @Test("an explicit RTCP port is track 0's; track i's is that + 2i, and the SDP says a=rtcp")
    func portsWithAnExplicitRTCPPort() throws {
        let session = try plan(
            take(["a", "b"]) {
                $0.port = 5004
                $0.rtcp = .port(7000)
            }, [stereo16, stereo16])
        #expect(session.tracks.map(\.rtcpDestination.port) == [7000, 7002])
        #expect(session.tracks[1].stream.mediaDescription.attributes.contains(Attribute("rtcp", "7002")))
    }

    @Test("source ports follow the same layout: RTP from source + 2i, RTCP from the next")
    func sourcePorts() throws {
        let session = try plan(take(["a", "b"]) { $0.sourcePort = 40_000 }, [stereo16, stereo16])
        #expect(session.tracks.map(\.sourcePort) == [40_000, 40_002])
        #expect(session.tracks.map(\.sourceRTCPPort) == [40_001, 40_003])
    }

    @Test("a port layout that runs past 65535 is refused, naming the track")
    func portsOutOfRange() {
        #expect(throws: PlanError.portOutOfRange(.destination, base: 65_532, slot: 2)) {
            try plan(take(["a", "b", "c"]) { $0.port = 65_532 }, Array(repeating: stereo16, count: 3))
        }
        // RTP on 65535 leaves no port for RTCP.
        #expect(throws: PlanError.portOutOfRange(.destination, base: 65_535, slot: 0)) {
            try plan(take(["a"]) { $0.port = 65_535 }, [stereo16])
        }
        #expect(throws: PlanError.portOutOfRange(.rtcpDestination, base: 65_534, slot: 1)) {
            try plan(take(["a", "b"]) { $0.rtcp = .port(65_534) }, [stereo16, stereo16])
        }
        #expect(throws: PlanError.portOutOfRange(.source, base: 65_533, slot: 1)) {
            try plan(take(["a", "b"]) { $0.sourcePort = 65_533 }, [stereo16, stereo16])
        }
    }

    @Test("an odd port is planned, with an event")
    func oddPort() throws {
        let session = try plan(take(["a"]) { $0.port = 5005 }, [stereo16])
        #expect(session.events == [.oddPort(track: "a", port: 5005)])
    }

    @Test("the rule itself: base + 2 x slot, within 1-65535")
    func portRule() {
        #expect(TakeRules.port(base: 5004, slot: 0) == 5004)
        #expect(TakeRules.port(base: 5004, slot: 10) == 5024)
        #expect(TakeRules.port(base: 65_535, slot: 0) == 65_535)
        #expect(TakeRules.port(base: 65_535, slot: 1) == nil)
        #expect(TakeRules.port(base: 0, slot: 0) == nil)
        #expect(TakeRules.port(base: 5004, slot: Int.max) == nil)
        #expect(TakeRules.rtcpPort(.nextPort, rtpPort: 65_534, slot: 0) == 65_535)
        #expect(TakeRules.rtcpPort(.nextPort, rtpPort: 65_535, slot: 0) == nil)
    }
}

@Suite struct PlannerIdentityTests {
    @Test("an SSRC the take gives is used; a track's own wins over the take's")
    func givenSSRC() throws {
        var given = take(["a", "b"]) { $0.ssrc = 0xCAFE_F00D }
        given.tracks[1].ssrc = 0x1234_5678
        let session = try plan(given, [stereo16, stereo16])
        #expect(session.tracks.map(\.ssrc) == [0xCAFE_F00D, 0x1234_5678])
    }

    @Test("a take file derives every track's SSRC from the take's and the track's names: FNV-1a of take/track")
    func derivedSSRC() throws {
        // FNV-1a 32 of "take 1/drums", by an implementation of its own below (offset basis and prime in decimal).
        #expect(TakeRules.derivedSSRC(take: "take 1", track: "drums") == Self.fnv1a("take 1/drums"))
        #expect(TakeRules.derivedSSRC(take: "", track: "") == 0x2A0C_975E)  // FNV-1a of "/", worked out in Python
        let file = try TakeFile(
            parsing: Array(
                #"{"name": "take 1", "tracks": [{"file": "drums.wav", "node": "pc1"}, {"file": "bass.wav", "node": "pc1", "ssrc": 7}]}"#
                    .utf8))
        let applied = try file.applied(to: Take(), node: "pc1", path: "/takes/take.json")
        #expect(applied.tracks.map(\.ssrc) == [TakeRules.derivedSSRC(take: "take 1", track: "drums"), 7])
        #expect(applied.tracks.map(\.source) == [.file("/takes/drums.wav"), .file("/takes/bass.wav")])
        let session = try plan(applied.withDestination("recorder.example"), [stereo16, stereo16])
        #expect(session.tracks.map(\.ssrc) == applied.tracks.map { $0.ssrc ?? 0 })
    }

    @Test("without one, SSRC, sequence and timestamp origins are drawn from the generator given, in that order")
    func drawnFromTheInjectedGenerator() throws {
        var sameSeed = SplitMix64(state: 42)
        let ssrc = UInt32.random(in: .min ... .max, using: &sameSeed)
        let sequence = UInt16.random(in: .min ... .max, using: &sameSeed)
        let timestamp = UInt32.random(in: .min ... .max, using: &sameSeed)
        let session = try plan(take(["a"]) { $0.timestampOrigin = .random }, [stereo16], seed: 42)
        #expect(session.tracks[0].ssrc == ssrc)
        #expect(session.tracks[0].initialSequenceNumber == sequence)
        #expect(session.tracks[0].initialTimestamp == timestamp)
        // The same seed plans the same take; another seed another SSRC.
        #expect(try plan(take(["a"]) { $0.timestampOrigin = .random }, [stereo16], seed: 42) == session)
        #expect(try plan(take(["a"]), [stereo16], seed: 43).tracks[0].ssrc != ssrc)
    }

    @Test("wall-clock timestamps: floor(start x rate) mod 2^32, announced as a=mediaclk:direct=0")
    func wallClockTimestamps() throws {
        let session = try plan(take(["a"]) { $0.start = .at(noon + 1_000_000_000) }, [stereo16])
        #expect(session.startUnixNanoseconds == noon + 1_000_000_000)
        let expected = MediaClock.rtpTimestamp(unixNanoseconds: noon + 1_000_000_000, sampleRate: 48_000)
        #expect(session.tracks[0].initialTimestamp == expected)
        #expect(session.tracks[0].stream.mediaClockOffset == 0)
        // A fixed first timestamp shows its offset from the wall-clock one.
        let fixed = try plan(
            take(["a"]) {
                $0.start = .at(noon + 1_000_000_000)
                $0.initialTimestamp = 1000
            }, [stereo16])
        #expect(fixed.tracks[0].stream.mediaClockOffset == 1000 &- expected)
    }

    @Test("without a start, the next 10 ms boundary at least 150 ms after planning; a start too soon is refused")
    func startInstant() throws {
        #expect(try plan(take(["a"]), [stereo16]).startUnixNanoseconds == noon + 160_000_000)
        #expect(throws: PlanError.startNotInFuture(startUnixNanoseconds: noon + 10_000_000, nowUnixNanoseconds: noon)) {
            try plan(take(["a"]) { $0.start = .at(noon + 10_000_000) }, [stereo16])
        }
        let later = try plan(take(["a"]) { $0.start = .after(ExactDecimal(numerator: 2)) }, [stereo16])
        #expect(later.startUnixNanoseconds == noon + 2_000_000_000)
    }

    @Test("one CNAME for the process: given, or user@local-address")
    func canonicalName() throws {
        #expect(try plan(take(["a", "b"]), [stereo16, stereo16]).canonicalName == "alice@192.168.0.2")
        #expect(try plan(take(["a"]) { $0.canonicalName = "studio" }, [stereo16]).canonicalName == "studio")
    }

    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }
}

@Suite struct PlannerFormatTests {
    @Test(
        "payload types: 10/11 only for L16 44.1 kHz stereo/mono (RFC 3551), else 96",
        arguments: [
            // (format, asked, expected)
            (PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 44_100), nil, UInt8(10)),
            (PCMFormat(encoding: .signed16, channelCount: 1, sampleRate: 44_100), nil, 11),
            (PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000), nil, 96),
            (PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 44_100), nil, 96),  // L24: no static type
            (PCMFormat(encoding: .signed16, channelCount: 6, sampleRate: 44_100), nil, 96),
            (PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 44_100), 97, 97),
        ] as [(PCMFormat, UInt8?, UInt8)])
    func payloadTypes(format: PCMFormat, asked: UInt8?, expected: UInt8) throws {
        let session = try plan(take(["a"]) { $0.payloadType = asked }, [format])
        #expect(session.tracks[0].payloadType == expected)
        #expect(session.tracks[0].stream.mediaDescription.formats == [String(expected)])
    }

    @Test("a static payload type RFC 3551 keeps for another format is refused")
    func staticPayloadTypeRefused() {
        #expect(
            throws: PlanError.payloadTypeNotAllowed(payloadType: 10, encoding: .l16, sampleRate: 48_000, channels: 2)
        ) {
            try plan(take(["a"]) { $0.payloadType = 10 }, [stereo16])
        }
        #expect(
            throws: PlanError.payloadTypeNotAllowed(payloadType: 11, encoding: .l16, sampleRate: 44_100, channels: 2)
        ) {
            try plan(
                take(["a"]) { $0.payloadType = 11 },
                [PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 44_100)])
        }
    }

    @Test("the encoding: lossless by default (L16 for 8/16-bit, L24 wider), or as the take says")
    func encodings() throws {
        let wide = PCMFormat(encoding: .float32, channelCount: 2, sampleRate: 48_000)
        #expect(try plan(take(["a"]), [wide]).tracks[0].encoding == .l24)
        #expect(try plan(take(["a"]), [stereo16]).tracks[0].encoding == .l16)
        #expect(try plan(take(["a"]) { $0.encoding = .l16 }, [wide]).tracks[0].encoding == .l16)
    }

    @Test("a packet time the MTU cannot carry is shortened, with an event that says so")
    func packetTimeAdjusted() throws {
        // The seed's 10 ms: 480 frames x 4 bytes = 1920 bytes; 1500 - 28 - 12 = 1460 fit: 5 ms (240 frames) is used.
        let time = try #require(PacketTime(milliseconds: "10"))
        let session = try plan(take(["a"]) { $0.packetTime = time }, [stereo16])
        #expect(session.tracks[0].framesPerPacket == 240)
        #expect(session.tracks[0].stream.packetTimeText == "5")
        guard
            case .packetTimeAdjusted(let track, let requested, let sizing, let bytesPerFrame, let mtu, let rate) =
                session.events.first
        else {
            Issue.record("no adjustment event: \(session.events)")
            return
        }
        #expect(track == "a" && requested == time && bytesPerFrame == 4 && mtu == 1500 && rate == 48_000)
        #expect(sizing.requestedFrames == 480 && sizing.payloadLimit == 1460 && sizing.payloadBytes == 960)
        // Strict: refused instead; a packet time that fits: no event.
        #expect(throws: PlanError.packetExceedsMTU(packetTime: "10", bytes: 1920, mtu: 1500, limit: 1460)) {
            try plan(
                take(["a"]) {
                    $0.packetTime = time
                    $0.fragmentation = .strict
                }, [stereo16])
        }
        #expect(try plan(take(["a"]), [stereo16]).events.isEmpty)
    }

    @Test("IPv6 destinations leave 20 bytes less per packet: the family decides, not the spelling")
    func ipv6Overhead() throws {
        // 15 ms of 48 kHz mono L16 = 1440 bytes: exactly what IPv6 leaves (1500 - 48 - 12); 15.1 ms does not fit.
        let mono = PCMFormat(encoding: .signed16, channelCount: 1, sampleRate: 48_000)
        var random = SplitMix64(state: 1)
        let v6 = IPAddress(ipv6: 0x2001_0DB8_0000_0000, 1)
        let time = try #require(PacketTime(milliseconds: "15.1"))
        let session = try Planner.plan(
            take(["a"]) { $0.packetTime = time },
            inputs: inputs([mono], hosts: ["recorder.example": ResolvedHost(address: v6, localAddress: v6)]),
            random: &random)
        #expect(session.tracks[0].framesPerPacket == 720)
        #expect(session.tracks[0].stream.destination == ConnectionAddress(family: .ipv6, address: "2001:db8::1"))
        #expect(session.origin.address == ConnectionAddress(family: .ipv6, address: "2001:db8::1"))
    }

    @Test("a duration becomes an exact frame limit at the track's rate")
    func duration() throws {
        let rate44 = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 44_100)
        let session = try plan(take(["a", "b"]) { $0.duration = ExactDecimal("2.5") }, [stereo16, rate44])
        #expect(session.tracks.map(\.frameLimit) == [120_000, 110_250])
    }

    @Test("two tracks of one name are refused: their SDP files would collide")
    func duplicateNames() {
        #expect(throws: PlanError.duplicateTrackName("a")) { try plan(take(["a", "a"]), [stereo16, stereo16]) }
    }

    @Test("the RTCP interval: RFC 3550's 5 s minimum, a given one, or the reduced minimum for the leanest track")
    func rtcpInterval() throws {
        let standard = try plan(take(["a"]), [stereo16]).rtcpInterval
        #expect(standard.minimumSeconds == 5)
        // 48 kHz stereo L16 in 1 ms packets: 1 536 000 + 1000 x 40 x 8 = 1 856 000 bit/s.
        #expect(standard.sessionBandwidth == 1_856_000)
        let given = try plan(
            take(["a"]) { $0.rtcpInterval = .minimum(ExactDecimal("0.3") ?? .init(numerator: 0)) }, [stereo16])
        #expect(given.rtcpInterval.minimumSeconds == 0.3)
        let reduced = try plan(take(["a"]) { $0.rtcpInterval = .reducedMinimum }, [stereo16])
        #expect(reduced.rtcpInterval.minimumSeconds == 360 / 1856.0)
    }
}

@Suite struct PlannerTakeFileTests {
    static let takeJSON = """
        {"name": "take 1", "destination": "recorder.example", "port": 5004, "ptime": 1, "tracks": [
          {"file": "drums.wav", "node": "pc1", "encoding": "L16", "sample_rate": 48000, "channels": 2},
          {"file": "vocals.wav", "node": "pc2", "encoding": "L24", "sample_rate": 96000, "channels": 1},
          {"name": "bass", "file": "b.wav", "node": "pc1"}]}
        """

    static func applied(node: String) throws -> Take {
        try TakeFile(parsing: Array(takeJSON.utf8)).applied(to: Take(), node: node, path: "take.json")
    }

    @Test("the session SDP holds every track of the take in file order, another node's described from the file")
    func sessionSDPHoldsAnotherNodesTrack() throws {
        let session = try plan(try Self.applied(node: "pc1"), [stereo16, stereo16])
        #expect(session.tracks.map(\.name) == ["drums", "bass"])
        #expect(session.tracks.map(\.destination.port) == [5004, 5008])
        #expect(session.streams.map(\.name) == ["drums", "vocals", "bass"])
        let vocals = session.streams[1]
        #expect(vocals.port == 5006 && vocals.rtcpPort == 5007)
        #expect(vocals.encoding == .l24 && vocals.sampleRate == 96_000 && vocals.channelCount == 1)
        #expect(vocals.framesPerPacket == 96 && vocals.payloadType == 96)
        #expect(vocals.destination == ConnectionAddress(family: .ipv4, address: "192.168.0.125"))
        #expect(session.sessionSDPPath == "sdp/session.sdp")
        let text = session.sessionDescription.rendered()
        // The session ID stable for the take, host and first destination; the version the NTP seconds of planning.
        let id = TakeRules.sessionID(name: "take 1", host: "192.168.0.2", destination: "192.168.0.125:5004")
        #expect(text.hasPrefix("v=0\r\no=- \(id) 4004942400 IN IP4 192.168.0.2\r\ns=take 1\r\nt=0 0\r\n"))
        #expect(
            text.contains(
                "m=audio 5006 RTP/AVP 96\r\ni=vocals\r\nc=IN IP4 192.168.0.125\r\na=recvonly\r\na=rtpmap:96 L24/96000/1\r\n"
            ))
        #expect(text.split(separator: "\r\n").filter { $0.hasPrefix("m=audio ") }.count == 3)
    }

    @Test("a track whose declared format disagrees with its file is refused, naming both")
    func declaredFormatDisagrees() {
        let file44 = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 44_100)
        #expect(
            throws: PlanError.declaredFormatMismatch(
                track: "drums", declared: DeclaredFormat(encoding: .l16, sampleRate: 48_000, channelCount: 2),
                actual: DeclaredFormat(encoding: .l16, sampleRate: 44_100, channelCount: 2), file: "drums.wav")
        ) {
            try plan(try Self.applied(node: "pc1"), [file44, stereo16])
        }
        // A declared L16 for a 24-bit file is a disagreement too (unless the take sends it as L16).
        let file24 = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)
        #expect(throws: PlanError.self) { try plan(try Self.applied(node: "pc1"), [file24, stereo16]) }
        #expect(throws: Never.self) {
            var take = try Self.applied(node: "pc1")
            take.encoding = .l16
            _ = try plan(take, [file24, stereo16])
        }
    }

    @Test("another node's track must declare its format; a node without tracks is refused")
    func undeclaredRemoteTrackAndUnknownNode() throws {
        #expect(throws: PlanError.remoteTrackUndeclared(track: "bass", node: "pc1")) {
            try plan(
                try Self.applied(node: "pc2"), [PCMFormat(encoding: .signed24, channelCount: 1, sampleRate: 96_000)])
        }
        #expect(throws: PlanError.noTrackForNode("pc3")) { try plan(try Self.applied(node: "pc3"), []) }
    }

    @Test("a take file's errors name where they are")
    func takeFileErrors() {
        func parse(_ text: String) throws(TakeFileError) -> TakeFile { try TakeFile(parsing: Array(text.utf8)) }
        #expect(throws: TakeFileError.noTracks) { try parse(#"{"name": "t", "tracks": []}"#) }
        #expect(throws: TakeFileError.missing(path: "tracks.0.node")) {
            try parse(#"{"name": "t", "tracks": [{"file": "a.wav"}]}"#)
        }
        #expect(throws: TakeFileError.wrongType(path: "port", expected: .number, found: "a string")) {
            try parse(#"{"name": "t", "port": "5004", "tracks": [{"file": "a.wav", "node": "n"}]}"#)
        }
        #expect(throws: TakeFileError.invalid(path: "port", reason: .outOfRange("70000", 1...65_535))) {
            try parse(#"{"name": "t", "port": 70000, "tracks": [{"file": "a.wav", "node": "n"}]}"#)
        }
        #expect(throws: TakeFileError.invalid(path: "tracks.0.encoding", reason: .encoding("L8"))) {
            try parse(#"{"name": "t", "tracks": [{"file": "a.wav", "node": "n", "encoding": "L8"}]}"#)
        }
        #expect(throws: TakeFileError.invalid(path: "ptime", reason: .packetTime("0.1"))) {
            try parse(#"{"name": "t", "ptime": 0.1, "tracks": [{"file": "a.wav", "node": "n"}]}"#)
        }
        #expect(throws: TakeFileError.invalid(path: "start_at", reason: .startTime("noon"))) {
            try parse(#"{"name": "t", "start_at": "noon", "tracks": [{"file": "a.wav", "node": "n"}]}"#)
        }
        #expect(throws: TakeFileError.self) { try parse("{ nope") }
    }
}

extension Take {
    func withDestination(_ host: String) -> Take {
        var take = self
        take.destination = host
        return take
    }
}
