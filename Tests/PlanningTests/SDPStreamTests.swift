import PCM
import Planning
import SDP
import Testing

// Reading the streams a recorder can receive out of a session description (RFC 8866): what each carries
// (`a=rtpmap`, RFC 3551's static types 10 and 11), where it goes (`c=`), its packet time (`a=ptime`, AES67's
// `a=framecount`), its RTCP port (RFC 3605 `a=rtcp`, RFC 5761 `a=rtcp-mux`) and its clock (RFC 7273 `a=ts-refclk`,
// `a=mediaclk:direct=`). The descriptions are written by hand in the shapes audiostreamer, ffmpeg, GStreamer users
// and AES67 devices write; each is read with CRLF line ends (RFC 8866 section 5) and with LF.

/// How a description's lines end.
enum LineEnding: String, CaseIterable, Sendable {
    case crlf = "\r\n"
    case lf = "\n"
}

/// The lines as one text, each ending in `ending`.
private func sdp(_ lines: [String], _ ending: LineEnding = .crlf) -> String {
    lines.map { $0 + ending.rawValue }.joined()
}

/// The streams of the description the lines make.
private func streams(_ lines: [String], _ ending: LineEnding) throws -> [StreamDescription] {
    try StreamDescription.streams(in: SDPDocument(parsing: sdp(lines, ending)))
}

/// The `o=` of every SDP a sender writes: no user, id = version = NTP seconds of 2026-11-29T12:00:00Z
/// (Unix 1 795 953 600 + 2 208 988 800), the sender's address.
private let origin = SessionDescription.Origin(
    sessionID: 4_004_942_400, sessionVersion: 4_004_942_400, address: ConnectionAddress(address: "192.168.0.2"))

private let recorder = ConnectionAddress(address: "192.168.0.125")

/// 24-bit stereo at 48 kHz, 1 ms packets, RTCP on the next port, the media clock tied to traceable NTP time.
private let piano = StreamDescription(
    name: "piano", destination: recorder, port: 5004, payloadType: 96, encoding: .l24, sampleRate: 48_000,
    channelCount: 2, framesPerPacket: 48, rtcpPort: 5005, referenceClock: "ntp=/traceable/", mediaClockOffset: 0)

/// audiostreamer's SDP for the piano track alone.
private let pianoLines = [
    "v=0",  // 1: protocol version 0
    "o=- 4004942400 4004942400 IN IP4 192.168.0.2",  // 2: the origin above
    "s=piano",  // 3: the track's name
    "c=IN IP4 192.168.0.125",  // 4: its destination, at session level
    "t=0 0",  // 5: unbounded
    "m=audio 5004 RTP/AVP 96",  // 6: port 5004, dynamic payload type 96
    "i=piano",  // 7: the stream's name, as AES67 devices list it
    "a=recvonly",  // 8: receivers only receive
    "a=rtpmap:96 L24/48000/2",  // 9: L24 (RFC 3190), 48 kHz, 2 channels
    "a=ptime:1",  // 10: 1 ms
    "a=framecount:48",  // 11: = 48 frames (AES67's older receivers read this one)
    "a=ts-refclk:ntp=/traceable/",  // 12: RFC 7273 section 4.8
    "a=mediaclk:direct=0",  // 13: RFC 7273 section 5.2, offset 0
]

/// 16-bit mono with RTCP multiplexed on its RTP port.
private let voice = StreamDescription(
    name: "voice", destination: recorder, port: 5006, payloadType: 96, encoding: .l16, sampleRate: 48_000,
    channelCount: 1, framesPerPacket: 48, rtcpPort: 5006, rtcpMultiplexed: true, referenceClock: "ntp=/traceable/",
    mediaClockOffset: 0)

/// 24-bit stereo at 96 kHz, half-millisecond packets (48 frames), RTCP on a port of its own, another recorder.
private let room = StreamDescription(
    name: "room", destination: ConnectionAddress(address: "192.168.0.126"), port: 5008, payloadType: 97,
    encoding: .l24, sampleRate: 96_000, channelCount: 2, framesPerPacket: 48, rtcpPort: 7009,
    referenceClock: "ntp=/traceable/", mediaClockOffset: 0)

/// audiostreamer's session.sdp for piano, voice and room: each section with its own i= and c=.
private let sessionLines = [
    "v=0",  // 1
    "o=- 4004942400 4004942400 IN IP4 192.168.0.2",  // 2
    "s=concert",  // 3: the take's name
    "t=0 0",  // 4: no c= at session level
    "m=audio 5004 RTP/AVP 96",  // 5: piano
    "i=piano",  // 6: the stream's name
    "c=IN IP4 192.168.0.125",  // 7
    "a=recvonly",  // 8
    "a=rtpmap:96 L24/48000/2",  // 9
    "a=ptime:1",  // 10
    "a=framecount:48",  // 11
    "a=ts-refclk:ntp=/traceable/",  // 12
    "a=mediaclk:direct=0",  // 13
    "m=audio 5006 RTP/AVP 96",  // 14: voice
    "i=voice",  // 15
    "c=IN IP4 192.168.0.125",  // 16
    "a=recvonly",  // 17
    "a=rtpmap:96 L16/48000/1",  // 18: 16-bit mono
    "a=ptime:1",  // 19
    "a=framecount:48",  // 20
    "a=ts-refclk:ntp=/traceable/",  // 21
    "a=mediaclk:direct=0",  // 22
    "a=rtcp-mux",  // 23: RTCP on 5006 itself
    "m=audio 5008 RTP/AVP 97",  // 24: room
    "i=room",  // 25
    "c=IN IP4 192.168.0.126",  // 26
    "a=recvonly",  // 27
    "a=rtpmap:97 L24/96000/2",  // 28: 96 kHz
    "a=ptime:0.5",  // 29: 0.5 ms
    "a=framecount:48",  // 30: = 48 frames at 96 kHz
    "a=ts-refclk:ntp=/traceable/",  // 31
    "a=mediaclk:direct=0",  // 32
    "a=rtcp:7009",  // 33: RTCP not on 5009
]

/// `ffmpeg -f rtp -sdp_file`: one L16 output, the destination at session level, no clock lines.
private let ffmpegLines = [
    "v=0",
    "o=- 0 0 IN IP4 127.0.0.1",  // ffmpeg's fixed origin
    "s=No Name",  // no title given: the stream's name
    "c=IN IP4 192.168.0.125",
    "t=0 0",
    "a=tool:libavformat 61.7.100",
    "m=audio 5004 RTP/AVP 97",  // ffmpeg's dynamic type for audio
    "b=AS:1536",  // kb/s: 48000 x 2 x 16 / 1000
    "a=rtpmap:97 L16/48000/2",  // no a=ptime: 1 ms assumed
]

/// A description written by hand for a GStreamer pipeline: RTCP on 5007, no clock lines.
private let gstreamerLines = [
    "v=0",
    "o=- 1 1 IN IP4 192.168.0.20",
    "s=gstreamer",
    "c=IN IP4 192.168.0.125",
    "t=0 0",
    "m=audio 5004 RTP/AVP 96",
    "a=rtpmap:96 L24/48000/2",
    "a=rtcp:5007",  // RFC 3605: RTCP to 5007
]

/// An AES67 sender's description: a multicast group with TTL 32, a PTP clock, a media clock offset, framecount.
private let aes67Lines = [
    "v=0",  // 1
    "o=- 1311738121 1311738122 IN IP4 192.168.1.10",  // 2
    "s=Stage box 1",  // 3
    "i=8 channels: stage inputs 1-8",  // 4
    "c=IN IP4 239.69.1.2/32",  // 5: IPv4 multicast, TTL 32
    "t=0 0",  // 6
    "a=clock-domain:PTPv2 0",  // 7
    "m=audio 5004 RTP/AVP 98",  // 8
    "i=Channels 1-8",  // 9: the stream's name
    "a=rtpmap:98 L24/48000/8",  // 10: 8 channels
    "a=recvonly",  // 11
    "a=ptime:1",  // 12
    "a=framecount:48",  // 13: 48 frames a packet
    "a=ts-refclk:ptp=IEEE1588-2008:00-1D-C1-FF-FE-12-34-56:0",  // 14: PTPv2, grandmaster EUI-64, domain 0
    "a=mediaclk:direct=1234567890",  // 15: RTP time = PTP media time + 1234567890
    "a=source-filter: incl IN IP4 239.69.1.2 192.168.1.10",  // 16: RFC 4570
    "a=sync-time:0",  // 17
]

/// The head of a description with the destination at session level; the sections follow.
private let head = ["v=0", "o=- 1 1 IN IP4 192.168.0.20", "s=take", "c=IN IP4 192.168.0.125", "t=0 0"]

// MARK: - Streams read

@Suite struct SDPStreamFixtureTests {
    @Test("audiostreamer's track SDP is written from a stream, byte for byte")
    func trackBothWays() {
        #expect(piano.sessionDescription(origin: origin).rendered() == sdp(pianoLines))
    }

    @Test("audiostreamer's track SDP reads back as the stream it was written from", arguments: LineEnding.allCases)
    func trackReadsBack(ending: LineEnding) throws {
        #expect(try streams(pianoLines, ending) == [piano])
    }

    @Test("audiostreamer's session.sdp is written from the streams of a take")
    func sessionWritten() {
        let written = StreamDescription.sessionDescription(for: [piano, voice, room], name: "concert", origin: origin)
        #expect(written.rendered() == sdp(sessionLines))
    }

    @Test(
        "audiostreamer's session.sdp reads back as those streams, each named by its i=", arguments: LineEnding.allCases)
    func sessionReadsBack(ending: LineEnding) throws {
        let document = try SDPDocument(parsing: sdp(sessionLines, ending))
        #expect(document.mediaLines == [5, 14, 24])
        #expect(try StreamDescription.streams(in: document) == [piano, voice, room])
    }

    @Test(
        "ffmpeg's SDP: L16 stereo on 97, the session's c= and name, 1 ms assumed, no clock",
        arguments: LineEnding.allCases)
    func ffmpeg(ending: LineEnding) throws {
        let expected = StreamDescription(
            name: "No Name", destination: recorder, port: 5004, payloadType: 97, encoding: .l16, sampleRate: 48_000,
            channelCount: 2, framesPerPacket: 48, rtcpPort: 5005, referenceClock: nil, mediaClockOffset: nil)
        #expect(try streams(ffmpegLines, ending) == [expected])
    }

    @Test("a GStreamer pipeline's SDP: RTCP on the port a=rtcp names", arguments: LineEnding.allCases)
    func gstreamer(ending: LineEnding) throws {
        let expected = StreamDescription(
            name: "gstreamer", destination: recorder, port: 5004, payloadType: 96, encoding: .l24,
            sampleRate: 48_000, channelCount: 2, framesPerPacket: 48, rtcpPort: 5007, referenceClock: nil,
            mediaClockOffset: nil)
        #expect(try streams(gstreamerLines, ending) == [expected])
        // RFC 3605 lets a=rtcp name an address after the port: the port is what counts.
        let withAddress = Array(gstreamerLines.dropLast()) + ["a=rtcp:5007 IN IP4 192.168.0.125"]
        #expect(try streams(withAddress, ending) == [expected])
    }

    @Test("RTCP multiplexed: a=rtcp-mux alone, or with a=rtcp naming the RTP port", arguments: LineEnding.allCases)
    func gstreamerMultiplexed(ending: LineEnding) throws {
        let expected = StreamDescription(
            name: "gstreamer", destination: recorder, port: 5004, payloadType: 96, encoding: .l24,
            sampleRate: 48_000, channelCount: 2, framesPerPacket: 48, rtcpPort: 5004, rtcpMultiplexed: true,
            referenceClock: nil, mediaClockOffset: nil)
        let muxOnly = Array(gstreamerLines.dropLast()) + ["a=rtcp-mux"]
        #expect(try streams(muxOnly, ending) == [expected])
        let both = Array(gstreamerLines.dropLast()) + ["a=rtcp:5004", "a=rtcp-mux"]
        #expect(try streams(both, ending) == [expected])
        // rtcp-mux wins over an a=rtcp that names another port.
        let conflicting = gstreamerLines + ["a=rtcp-mux"]
        #expect(try streams(conflicting, ending) == [expected])
    }

    @Test("an announced SSRC (RFC 5576 a=ssrc) is read", arguments: LineEnding.allCases)
    func ssrc(ending: LineEnding) throws {
        let lines = gstreamerLines + ["a=ssrc:3735928559 cname:gst@studio"]  // 0xDEADBEEF
        #expect(try streams(lines, ending).map(\.ssrc) == [0xDEAD_BEEF])
    }

    @Test("an AES67 sender's SDP: TTL, framecount, PTP clock and a media clock offset", arguments: LineEnding.allCases)
    func aes67(ending: LineEnding) throws {
        let expected = StreamDescription(
            name: "Channels 1-8",  // the section's i=
            destination: ConnectionAddress(family: .ipv4, address: "239.69.1.2", ttl: 32),
            port: 5004, payloadType: 98, encoding: .l24, sampleRate: 48_000, channelCount: 8,
            framesPerPacket: 48,  // from a=framecount
            rtcpPort: 5005, referenceClock: "ptp=IEEE1588-2008:00-1D-C1-FF-FE-12-34-56:0",
            mediaClockOffset: 1_234_567_890,
            sourceFilter: ConnectionAddress(family: .ipv4, address: "192.168.1.10"))  // only this sender's packets
        let found = try streams(aes67Lines, ending)
        #expect(found == [expected])
        #expect(found.first?.destination.ttl == 32)
    }

    @Test("a=framecount wins over a=ptime; a=ptime alone in fractions of a millisecond", arguments: LineEnding.allCases)
    func packetTime(ending: LineEnding) throws {
        let section = ["m=audio 5004 RTP/AVP 98", "a=rtpmap:98 L24/48000/2"]
        // AES67's shortest packet: 0.125 ms = 6 frames at 48 kHz.
        #expect(try streams(head + section + ["a=ptime:0.125"], ending).map(\.framesPerPacket) == [6])
        // framecount says 6 whatever ptime says.
        #expect(try streams(head + section + ["a=ptime:1", "a=framecount:6"], ending).map(\.framesPerPacket) == [6])
        // 4 ms = 192 frames.
        #expect(try streams(head + section + ["a=ptime:4"], ending).map(\.framesPerPacket) == [192])
    }

    @Test(
        "RFC 3551's static types 10 and 11 need no rtpmap: L16 at 44.1 kHz, stereo and mono",
        arguments: LineEnding.allCases)
    func staticPayloadTypes(ending: LineEnding) throws {
        let lines =
            head + [
                "m=audio 5004 RTP/AVP 10",  // RFC 3551 table 4: L16/44100/2
                "a=ptime:20",  // 20 ms = 882 frames
                "m=audio 5006 RTP/AVP 11",  // L16/44100/1
                "a=ptime:1",  // 1 ms = 44.1 frames: 44
            ]
        let found = try streams(lines, ending)
        #expect(found.map(\.payloadType) == [10, 11])
        #expect(found.map(\.encoding) == [.l16, .l16])
        #expect(found.map(\.sampleRate) == [44_100, 44_100])
        #expect(found.map(\.channelCount) == [2, 1])
        #expect(found.map(\.framesPerPacket) == [882, 44])
        // Two audio streams without i=: the session's name, numbered.
        #expect(found.map(\.name) == ["take 1", "take 2"])
        #expect(found.map(\.port) == [5004, 5006])
        #expect(found.map(\.rtcpPort) == [5005, 5007])
    }

    @Test(
        "rtpmap: channels default to 1, the encoding name in any case, RTP/AVPF accepted",
        arguments: LineEnding.allCases)
    func rtpmapSpellings(ending: LineEnding) throws {
        let lines =
            head + [
                "m=audio 5004 RTP/AVPF 96",  // RFC 4585's feedback profile: plain RTP for a receiver
                "a=rtpmap:96 l24/48000",  // RFC 4566: channels omitted = 1; encoding names are case-insensitive
            ]
        let found = try streams(lines, ending)
        #expect(found.map(\.encoding) == [.l24])
        #expect(found.map(\.channelCount) == [1])
    }

    @Test("of several formats, the first linear PCM one is read", arguments: LineEnding.allCases)
    func firstLinearFormat(ending: LineEnding) throws {
        let lines =
            head + [
                "m=audio 5004 RTP/AVP 111 96 97",
                "a=rtpmap:111 opus/48000/2",  // not linear PCM: passed over
                "a=rtpmap:96 L24/48000/2",  // the one read
                "a=rtpmap:97 L16/48000/2",
            ]
        let found = try streams(lines, ending)
        #expect(found.map(\.payloadType) == [96])
        #expect(found.map(\.encoding) == [.l24])
    }

    @Test(
        "the media clock: direct offsets modulo 2^32, rate= ignored, other kinds none", arguments: LineEnding.allCases)
    func mediaClock(ending: LineEnding) throws {
        let section = ["m=audio 5004 RTP/AVP 96", "a=rtpmap:96 L24/48000/2"]
        func offset(_ value: String) throws -> UInt32? {
            try streams(head + section + ["a=mediaclk:\(value)"], ending).first?.mediaClockOffset
        }
        #expect(try offset("direct=0") == 0)
        #expect(try offset("direct=4294967295") == 0xFFFF_FFFF)
        #expect(try offset("direct=4294967297") == 1)  // 2^32 + 1
        #expect(try offset("direct=963214424 rate=1000/1001") == 963_214_424)  // RFC 7273 section 5.2's rate
        #expect(try offset("sender") == nil)  // RFC 7273 section 5.3: no tie to the reference
        #expect(try streams(head + section, ending).first?.mediaClockOffset == nil)
    }

    @Test("clock lines at session level apply to every stream; a section's own win", arguments: LineEnding.allCases)
    func sessionLevelClocks(ending: LineEnding) throws {
        let lines =
            head + [
                "a=ts-refclk:ptp=IEEE1588-2008:00-1D-C1-FF-FE-12-34-56:0",  // session level
                "a=mediaclk:direct=0",
                "m=audio 5004 RTP/AVP 96",
                "a=rtpmap:96 L24/48000/2",
                "m=audio 5006 RTP/AVP 96",
                "a=rtpmap:96 L24/48000/2",
                "a=ts-refclk:local",  // this section's own
                "a=mediaclk:direct=5",
            ]
        let found = try streams(lines, ending)
        #expect(found.map(\.referenceClock) == ["ptp=IEEE1588-2008:00-1D-C1-FF-FE-12-34-56:0", "local"])
        #expect(found.map(\.mediaClockOffset) == [0, 5])
    }

    @Test(
        "sections that are not audio are left out, even ones that could not be received", arguments: LineEnding.allCases
    )
    func nonAudioLeftOut(ending: LineEnding) throws {
        let lines =
            head + [
                "m=video 5002 RTP/AVP 96",  // video first
                "a=rtpmap:96 H264/90000",
                "m=audio 5004 RTP/AVP 96",
                "a=rtpmap:96 L24/48000/2",
                "m=application 0 RTP/SAVP 100",  // switched off and encrypted: still no error
            ]
        let found = try streams(lines, ending)
        #expect(found.map(\.port) == [5004])
        // The one audio stream takes the session's name, unnumbered.
        #expect(found.map(\.name) == ["take"])
        #expect(try streams(head + ["m=video 5002 RTP/AVP 31"], ending) == [])
    }
}

// MARK: - Streams refused

@Suite struct SDPStreamErrorTests {
    /// A section at line 6 after the head, with `lines` after its m=.
    private static func section(_ media: String, _ lines: [String] = []) -> [String] {
        head + [media] + lines
    }

    @Test("an opus stream is refused with its line and the rtpmap as written", arguments: LineEnding.allCases)
    func opus(ending: LineEnding) {
        #expect(throws: PlanError.unusableStream(line: 6, .encoding("111 opus/48000/2"))) {
            try streams(Self.section("m=audio 5004 RTP/AVP 111", ["a=rtpmap:111 opus/48000/2"]), ending)
        }
        // In a second section, that section's line.
        let two =
            Self.section("m=audio 5004 RTP/AVP 96", ["a=rtpmap:96 L24/48000/2"]) + [
                "m=audio 5006 RTP/AVP 111", "a=rtpmap:111 opus/48000/2",
            ]
        #expect(throws: PlanError.unusableStream(line: 8, .encoding("111 opus/48000/2"))) {
            try streams(two, ending)
        }
    }

    @Test("no c= at media or session level", arguments: LineEnding.allCases)
    func noConnection(ending: LineEnding) {
        let lines = ["v=0", "o=- 1 1 IN IP4 192.168.0.20", "s=take", "t=0 0", "m=audio 5004 RTP/AVP 96"]
        #expect(throws: PlanError.unusableStream(line: 5, .noConnection)) {
            try streams(lines + ["a=rtpmap:96 L24/48000/2"], ending)
        }
        // The first section has its own c=, the second none.
        let second =
            lines + [
                "c=IN IP4 192.168.0.125", "a=rtpmap:96 L24/48000/2", "m=audio 5006 RTP/AVP 96",
                "a=rtpmap:96 L24/48000/2",
            ]
        #expect(throws: PlanError.unusableStream(line: 8, .noConnection)) { try streams(second, ending) }
    }

    @Test("port 0: the stream is switched off", arguments: LineEnding.allCases)
    func disabled(ending: LineEnding) {
        #expect(throws: PlanError.unusableStream(line: 6, .disabled)) {
            try streams(Self.section("m=audio 0 RTP/AVP 96", ["a=rtpmap:96 L24/48000/2"]), ending)
        }
    }

    @Test("a transport other than RTP/AVP or RTP/AVPF", arguments: LineEnding.allCases)
    func transport(ending: LineEnding) {
        #expect(throws: PlanError.unusableStream(line: 6, .transport("RTP/SAVP"))) {
            try streams(Self.section("m=audio 5004 RTP/SAVP 96", ["a=rtpmap:96 L24/48000/2"]), ending)
        }
        #expect(throws: PlanError.unusableStream(line: 6, .transport("udp"))) {
            try streams(Self.section("m=audio 5004 udp 96"), ending)
        }
    }

    @Test("a dynamic payload type without an rtpmap", arguments: LineEnding.allCases)
    func noRTPMap(ending: LineEnding) {
        #expect(throws: PlanError.unusableStream(line: 6, .noRTPMap(payloadType: "96"))) {
            try streams(Self.section("m=audio 5004 RTP/AVP 96", ["a=ptime:1"]), ending)
        }
        // An rtpmap for another type does not count.
        #expect(throws: PlanError.unusableStream(line: 6, .noRTPMap(payloadType: "96"))) {
            try streams(Self.section("m=audio 5004 RTP/AVP 96", ["a=rtpmap:97 L24/48000/2"]), ending)
        }
    }

    @Test("malformed rtpmap, rtcp, framecount, ptime and mediaclk attributes", arguments: LineEnding.allCases)
    func malformedAttributes(ending: LineEnding) {
        let cases: [(String, [String])] = [
            ("rtpmap", ["a=rtpmap:96 L24"]),  // no rate
            ("rtpmap", ["a=rtpmap:96 L24/0/2"]),  // rate 0
            ("rtpmap", ["a=rtpmap:96 L24/48000/0"]),  // no channel
            ("rtpmap", ["a=rtpmap:96 L24/fast/2"]),  // rate not a number
            ("rtcp", ["a=rtpmap:96 L24/48000/2", "a=rtcp:port"]),  // not a number
            ("rtcp", ["a=rtpmap:96 L24/48000/2", "a=rtcp:0"]),  // out of range
            ("rtcp", ["a=rtpmap:96 L24/48000/2", "a=rtcp:65536"]),
            ("framecount", ["a=rtpmap:96 L24/48000/2", "a=framecount:0"]),
            ("framecount", ["a=rtpmap:96 L24/48000/2", "a=framecount:many"]),
            ("ptime", ["a=rtpmap:96 L24/48000/2", "a=ptime:soon"]),
            ("ptime", ["a=rtpmap:96 L24/48000/2", "a=ptime:0.001"]),  // 0.048 frames: less than one
            ("mediaclk", ["a=rtpmap:96 L24/48000/2", "a=mediaclk:direct=soon"]),
            ("mediaclk", ["a=rtpmap:96 L24/48000/2", "a=mediaclk:direct=-1"]),
        ]
        for (name, lines) in cases {
            #expect(throws: PlanError.unusableStream(line: 6, .malformedAttribute(name)), "\(lines)") {
                try streams(Self.section("m=audio 5004 RTP/AVP 96", lines), ending)
            }
        }
    }
}
