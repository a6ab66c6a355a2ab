import SDP
import Testing

// The SDP parser (RFC 8866) against descriptions written by hand in the shapes real senders write: audiostreamer's
// own, ffmpeg's `-sdp_file`, a GStreamer pipeline's hand-written one and an AES67 device's. Each fixture is a list
// of lines with what every line says; it is checked both ways: parse(text) == the model built by hand, and
// render(model) == the text, byte for byte, with CRLF line ends (RFC 8866 section 5).

/// How a description's lines end: CRLF as RFC 8866 section 5 says, or LF as files written by hand often have it
/// (and as a tolerant parser must accept).
enum LineEnding: String, CaseIterable, Sendable {
    case crlf = "\r\n"
    case lf = "\n"
}

/// The lines as one text, each ending in `ending`.
func sdp(_ lines: [String], _ ending: LineEnding = .crlf) -> String {
    lines.map { $0 + ending.rawValue }.joined()
}

private func address(_ text: String) -> ConnectionAddress { ConnectionAddress(address: text) }

// MARK: - Fixtures

/// audiostreamer's SDP for one track (`StreamDescription.sessionDescription(origin:)`): the stream's `c=` at session
/// level, one `m=` section, its attributes in the order the sender writes them.
private let trackLines = [
    "v=0",  // protocol version 0 (section 5.1)
    "o=- 4004942400 4004942400 IN IP4 192.168.0.2",  // no user; id = version = NTP seconds of 2026-11-29T12:00Z
    "s=piano",  // the track's name
    "c=IN IP4 192.168.0.125",  // unicast destination: no TTL
    "t=0 0",  // no fixed start or stop
    "m=audio 5004 RTP/AVP 96",  // audio to port 5004, RTP/AVP profile, dynamic payload type 96
    "a=rtpmap:96 L24/48000/2",  // PT 96 = 24-bit linear PCM (RFC 3190), 48 kHz clock, 2 channels
    "a=ptime:1",  // 1 ms of audio per packet
    "a=ts-refclk:ntp=/traceable/",  // RFC 7273 section 4.8: the media clock follows traceable NTP time
    "a=mediaclk:direct=0",  // RFC 7273 section 5.2: RTP time = reference time x rate, offset 0
    "a=recvonly",  // a sender's SDP: receivers only receive
]

private let track = SessionDescription(
    origin: .init(sessionID: 4_004_942_400, sessionVersion: 4_004_942_400, address: address("192.168.0.2")),
    sessionName: "piano", connection: address("192.168.0.125"),
    media: [
        MediaDescription(
            port: 5004, formats: ["96"],
            attributes: [
                Attribute("rtpmap", "96 L24/48000/2"), Attribute("ptime", "1"),
                Attribute("ts-refclk", "ntp=/traceable/"),
                Attribute("mediaclk", "direct=0"), Attribute("recvonly"),
            ])
    ])

/// audiostreamer's session.sdp: every track of a take as its own `m=` section with its own `i=` (the track's name)
/// and `c=`; no `c=` at session level.
private let sessionLines = [
    "v=0",  // 1: protocol version 0
    "o=- 4004942400 4004942400 IN IP4 192.168.0.2",  // 2: as in each track's SDP
    "s=concert",  // 3: the take's name
    "t=0 0",  // 4: no session-level c= before it: every section has its own
    "m=audio 5004 RTP/AVP 96",  // 5: track 0
    "i=piano",  // 6: its name
    "c=IN IP4 192.168.0.125",  // 7: its destination
    "a=rtpmap:96 L24/48000/2",  // 8
    "a=ptime:1",  // 9
    "a=recvonly",  // 10
    "m=audio 5006 RTP/AVP 96",  // 11: track 1, two ports on (RTP + RTCP per track)
    "i=voice",  // 12
    "c=IN IP4 192.168.0.125",  // 13
    "a=rtpmap:96 L16/48000/1",  // 14: 16-bit mono
    "a=ptime:1",  // 15
    "a=rtcp-mux",  // 16: RFC 5761: RTCP on the RTP port
    "a=recvonly",  // 17
    "m=audio 5008 RTP/AVP 96",  // 18: track 2
    "i=room",  // 19
    "c=IN IP4 192.168.0.126",  // 20: another recorder
    "a=rtpmap:96 L24/96000/2",  // 21: 96 kHz
    "a=ptime:0.5",  // 22: half a millisecond
    "a=rtcp:7009",  // 23: RFC 3605: RTCP not on port + 1
    "a=recvonly",  // 24
]

private let session = SessionDescription(
    origin: .init(sessionID: 4_004_942_400, sessionVersion: 4_004_942_400, address: address("192.168.0.2")),
    sessionName: "concert",
    media: [
        MediaDescription(
            port: 5004, formats: ["96"], information: "piano", connection: address("192.168.0.125"),
            attributes: [Attribute("rtpmap", "96 L24/48000/2"), Attribute("ptime", "1"), Attribute("recvonly")]),
        MediaDescription(
            port: 5006, formats: ["96"], information: "voice", connection: address("192.168.0.125"),
            attributes: [
                Attribute("rtpmap", "96 L16/48000/1"), Attribute("ptime", "1"), Attribute("rtcp-mux"),
                Attribute("recvonly"),
            ]),
        MediaDescription(
            port: 5008, formats: ["96"], information: "room", connection: address("192.168.0.126"),
            attributes: [
                Attribute("rtpmap", "96 L24/96000/2"), Attribute("ptime", "0.5"), Attribute("rtcp", "7009"),
                Attribute("recvonly"),
            ]),
    ])

/// What `ffmpeg -f rtp ... -sdp_file` writes for one L16 output (libavformat's SDP writer): id and version 0, the
/// loopback address as origin, "No Name" when the output has no title, the one destination at session level, the
/// tool, then the stream with its bandwidth.
private let ffmpegLines = [
    "v=0",  // protocol version 0
    "o=- 0 0 IN IP4 127.0.0.1",  // ffmpeg's fixed origin
    "s=No Name",  // no title given
    "c=IN IP4 192.168.0.125",  // the one destination: at session level
    "t=0 0",  // unbounded
    "a=tool:libavformat 61.7.100",  // session attribute: who wrote it
    "m=audio 5004 RTP/AVP 97",  // ffmpeg's dynamic type for its first audio stream
    "b=AS:1536",  // application-specific bandwidth in kb/s: 48000 x 2 x 16 / 1000
    "a=rtpmap:97 L16/48000/2",  // 16-bit linear PCM, 48 kHz, stereo
]

private let ffmpeg: SessionDescription = {
    var media = MediaDescription(port: 5004, formats: ["97"], attributes: [Attribute("rtpmap", "97 L16/48000/2")])
    media.otherLines = [SDPLine(type: "b", value: "AS:1536")]
    return SessionDescription(
        origin: .init(sessionID: 0, sessionVersion: 0, address: address("127.0.0.1")), sessionName: "No Name",
        connection: address("192.168.0.125"), attributes: [Attribute("tool", "libavformat 61.7.100")],
        media: [media])
}()

/// ffmpeg with two outputs to two hosts: no session-level `c=`, each stream's own after its `m=`, then `b=`.
private let ffmpegTwoHostsLines = [
    "v=0",
    "o=- 0 0 IN IP4 127.0.0.1",
    "s=No Name",
    "t=0 0",
    "a=tool:libavformat 61.7.100",
    "m=audio 5004 RTP/AVP 97",  // first output
    "c=IN IP4 192.168.0.125",  // its destination
    "b=AS:1536",  // after c=, before a= (section 5: m, i, c, b, k, a)
    "a=rtpmap:97 L16/48000/2",
    "m=audio 5006 RTP/AVP 97",  // second output
    "c=IN IP4 192.168.0.126",
    "b=AS:768",  // mono: 48000 x 16 / 1000
    "a=rtpmap:97 L16/48000/1",
]

/// A description written by hand for a GStreamer pipeline (`udpsrc ! rtpL24depay`, rtpbin for RTCP): dynamic
/// type 96, 24-bit stereo, RTCP on a port of its own, no clock lines, LF line ends.
private let gstreamerLines = [
    "v=0",
    "o=- 1 1 IN IP4 192.168.0.20",  // made-up id and version
    "s=gstreamer",
    "c=IN IP4 192.168.0.125",
    "t=0 0",
    "m=audio 5004 RTP/AVP 96",
    "a=rtpmap:96 L24/48000/2",
    "a=rtcp:5007",  // RFC 3605: RTCP to 5007, not 5005
]

private let gstreamer = SessionDescription(
    origin: .init(sessionID: 1, sessionVersion: 1, address: address("192.168.0.20")), sessionName: "gstreamer",
    connection: address("192.168.0.125"),
    media: [
        MediaDescription(
            port: 5004, formats: ["96"], attributes: [Attribute("rtpmap", "96 L24/48000/2"), Attribute("rtcp", "5007")])
    ])

/// An AES67 sender's description (AES67-2018 section 8 and annex, RAVENNA-style lines): a multicast group with
/// its TTL at session level, information lines, a PTP reference clock, a media clock with a non-zero offset and
/// attributes this parser does not know, which it must keep in order.
private let aes67Lines = [
    "v=0",  // 1
    "o=- 1311738121 1311738122 IN IP4 192.168.1.10",  // 2: the device's id and version, its address
    "s=Stage box 1",  // 3
    "i=8 channels: stage inputs 1-8",  // 4: session information
    "c=IN IP4 239.69.1.2/32",  // 5: IPv4 multicast group, TTL 32 (section 5.7)
    "t=0 0",  // 6
    "a=clock-domain:PTPv2 0",  // 7: RAVENNA's, unknown here: kept
    "m=audio 5004 RTP/AVP 98",  // 8
    "i=Channels 1-8",  // 9: media information
    "a=rtpmap:98 L24/48000/8",  // 10: 24-bit, 48 kHz, 8 channels
    "a=recvonly",  // 11
    "a=ptime:1",  // 12: 1 ms
    "a=framecount:48",  // 13: 48 frames a packet (older AES67 senders)
    "a=ts-refclk:ptp=IEEE1588-2008:00-1D-C1-FF-FE-12-34-56:0",  // 14: RFC 7273 4.8: PTPv2 grandmaster EUI-64, domain 0
    "a=mediaclk:direct=1234567890",  // 15: RFC 7273 5.2: RTP time = PTP media time + 1234567890
    "a=source-filter: incl IN IP4 239.69.1.2 192.168.1.10",  // 16: RFC 4570: only from 192.168.1.10
    "a=sync-time:0",  // 17: unknown here: kept
]

private let aes67 = SessionDescription(
    origin: .init(sessionID: 1_311_738_121, sessionVersion: 1_311_738_122, address: address("192.168.1.10")),
    sessionName: "Stage box 1", information: "8 channels: stage inputs 1-8",
    connection: ConnectionAddress(family: .ipv4, address: "239.69.1.2", ttl: 32),
    attributes: [Attribute("clock-domain", "PTPv2 0")],
    media: [
        MediaDescription(
            port: 5004, formats: ["98"], information: "Channels 1-8",
            attributes: [
                Attribute("rtpmap", "98 L24/48000/8"), Attribute("recvonly"), Attribute("ptime", "1"),
                Attribute("framecount", "48"), Attribute("ts-refclk", "ptp=IEEE1588-2008:00-1D-C1-FF-FE-12-34-56:0"),
                Attribute("mediaclk", "direct=1234567890"),
                // The value keeps its leading space: the grammar has none, but senders write one.
                Attribute("source-filter", " incl IN IP4 239.69.1.2 192.168.1.10"), Attribute("sync-time", "0"),
            ])
    ])

// MARK: - Fixtures both ways

@Suite struct SDPParserFixtureTests {
    @Test("audiostreamer's track SDP: parsed to the model, with either line end", arguments: LineEnding.allCases)
    func trackParses(ending: LineEnding) throws {
        let document = try SDPDocument(parsing: sdp(trackLines, ending))
        #expect(document.description == track)
        #expect(document.mediaLines == [6])
        #expect(document.mediaAttributeLines == [[7, 8, 9, 10, 11]])
    }

    @Test("audiostreamer's track SDP: the model renders the text byte for byte, and both round trips hold")
    func trackRoundTrips() throws {
        let text = sdp(trackLines)
        #expect(track.rendered() == text)
        #expect(try SessionDescription(parsing: track.rendered()) == track)
        #expect(try SessionDescription(parsing: text).rendered() == text)
    }

    @Test("session.sdp: each section with its own i= and c=, none at session level", arguments: LineEnding.allCases)
    func sessionParses(ending: LineEnding) throws {
        let document = try SDPDocument(parsing: sdp(sessionLines, ending))
        #expect(document.description == session)
        #expect(document.description.connection == nil)
        #expect(document.mediaLines == [5, 11, 18])
        #expect(document.mediaAttributeLines == [[8, 9, 10], [14, 15, 16, 17], [21, 22, 23, 24]])
    }

    @Test("session.sdp: rendered byte for byte, and both round trips hold")
    func sessionRoundTrips() throws {
        let text = sdp(sessionLines)
        #expect(session.rendered() == text)
        #expect(try SessionDescription(parsing: session.rendered()) == session)
        #expect(try SessionDescription(parsing: text).rendered() == text)
    }

    @Test(
        "ffmpeg's SDP: b= kept as a media line of its own, rendered back between m= and a=",
        arguments: LineEnding.allCases)
    func ffmpegParses(ending: LineEnding) throws {
        let parsed = try SessionDescription(parsing: sdp(ffmpegLines, ending))
        #expect(parsed == ffmpeg)
        #expect(parsed.media[0].otherLines == [SDPLine(type: "b", value: "AS:1536")])
        #expect(parsed.attributes == [Attribute("tool", "libavformat 61.7.100")])
        // Whatever the line ends read, the rendering has CRLF and the lines in their places.
        #expect(parsed.rendered() == sdp(ffmpegLines))
        #expect(ffmpeg.rendered() == sdp(ffmpegLines))
    }

    @Test("ffmpeg with two hosts: each section's b= rendered after its c=", arguments: LineEnding.allCases)
    func ffmpegTwoHosts(ending: LineEnding) throws {
        let parsed = try SessionDescription(parsing: sdp(ffmpegTwoHostsLines, ending))
        #expect(parsed.connection == nil)
        #expect(parsed.media.map(\.connection) == [address("192.168.0.125"), address("192.168.0.126")])
        #expect(
            parsed.media.map(\.otherLines) == [
                [SDPLine(type: "b", value: "AS:1536")], [SDPLine(type: "b", value: "AS:768")],
            ])
        #expect(parsed.rendered() == sdp(ffmpegTwoHostsLines))
    }

    @Test("lines of a section read in any order are rendered in the grammar's: m, i, c, b, a")
    func mediaLinesRenderedInGrammarOrder() throws {
        let scrambled = [
            "v=0", "o=- 0 0 IN IP4 127.0.0.1", "s=No Name", "t=0 0",
            "m=audio 5004 RTP/AVP 97",
            "a=rtpmap:97 L16/48000/2",  // an attribute first
            "b=AS:1536",  // bandwidth after it
            "c=IN IP4 192.168.0.125",  // the connection last
            "i=left",  // and information after that
        ]
        let inOrder = [
            "v=0", "o=- 0 0 IN IP4 127.0.0.1", "s=No Name", "t=0 0",
            "m=audio 5004 RTP/AVP 97",
            "i=left",
            "c=IN IP4 192.168.0.125",
            "b=AS:1536",
            "a=rtpmap:97 L16/48000/2",
        ]
        let parsed = try SessionDescription(parsing: sdp(scrambled, .lf))
        #expect(parsed.rendered() == sdp(inOrder))
        #expect(try SessionDescription(parsing: sdp(inOrder)) == parsed)
    }

    @Test("a GStreamer pipeline's hand-written SDP", arguments: LineEnding.allCases)
    func gstreamerParses(ending: LineEnding) throws {
        let parsed = try SessionDescription(parsing: sdp(gstreamerLines, ending))
        #expect(parsed == gstreamer)
        #expect(parsed.media[0].attribute("rtcp") == "5007")
        #expect(!parsed.media[0].hasAttribute("rtcp-mux"))
        #expect(gstreamer.rendered() == sdp(gstreamerLines))
    }

    @Test(
        "RTCP multiplexing, alone or with a=rtcp naming the RTP port (RFC 5761 section 5.1.3)",
        arguments: LineEnding.allCases)
    func rtcpMuxVariants(ending: LineEnding) throws {
        let muxOnly = Array(gstreamerLines.dropLast()) + ["a=rtcp-mux"]
        let parsed = try SessionDescription(parsing: sdp(muxOnly, ending))
        #expect(parsed.media[0].attributes == [Attribute("rtpmap", "96 L24/48000/2"), Attribute("rtcp-mux")])
        #expect(parsed.media[0].hasAttribute("rtcp-mux"))
        // A property attribute has no value.
        #expect(parsed.media[0].attribute("rtcp-mux") == nil)

        let both = Array(gstreamerLines.dropLast()) + ["a=rtcp:5004 IN IP4 192.168.0.125", "a=rtcp-mux"]
        let parsedBoth = try SessionDescription(parsing: sdp(both, ending))
        #expect(
            parsedBoth.media[0].attributes == [
                Attribute("rtpmap", "96 L24/48000/2"), Attribute("rtcp", "5004 IN IP4 192.168.0.125"),
                Attribute("rtcp-mux"),
            ])
        #expect(parsedBoth.rendered() == sdp(both))
    }

    @Test(
        "an AES67 sender's SDP: TTL, information, clocks and unknown attributes in order",
        arguments: LineEnding.allCases)
    func aes67Parses(ending: LineEnding) throws {
        let document = try SDPDocument(parsing: sdp(aes67Lines, ending))
        #expect(document.description == aes67)
        #expect(document.description.connection?.ttl == 32)
        #expect(document.description.connection?.count == nil)
        #expect(document.mediaLines == [8])
        #expect(document.mediaAttributeLines == [[10, 11, 12, 13, 14, 15, 16, 17]])
        let media = document.description.media[0]
        #expect(media.attribute("mediaclk") == "direct=1234567890")
        #expect(media.attribute("framecount") == "48")
        #expect(
            media.attributes.map(\.name) == [
                "rtpmap", "recvonly", "ptime", "framecount", "ts-refclk", "mediaclk", "source-filter", "sync-time",
            ])
    }

    @Test("an AES67 sender's SDP: rendered byte for byte, and both round trips hold")
    func aes67RoundTrips() throws {
        let text = sdp(aes67Lines)
        #expect(aes67.rendered() == text)
        #expect(try SessionDescription(parsing: aes67.rendered()) == aes67)
        #expect(try SessionDescription(parsing: text).rendered() == text)
    }

    @Test(
        "static payload types need no rtpmap: the section keeps its formats and nothing else",
        arguments: LineEnding.allCases)
    func staticPayloadTypes(ending: LineEnding) throws {
        let lines = [
            "v=0", "o=- 1 1 IN IP4 192.168.0.20", "s=-", "c=IN IP4 192.168.0.125", "t=0 0",
            "m=audio 5004 RTP/AVP 10",  // RFC 3551 table 4: L16, 44100 Hz, 2 channels
            "m=audio 5006 RTP/AVP 11",  // L16, 44100 Hz, 1 channel
        ]
        let parsed = try SessionDescription(parsing: sdp(lines, ending))
        #expect(parsed.sessionName == "-")
        #expect(
            parsed.media == [
                MediaDescription(port: 5004, formats: ["10"]), MediaDescription(port: 5006, formats: ["11"]),
            ])
        #expect(parsed.rendered() == sdp(lines))
    }
}

// MARK: - Connection, media and other lines

@Suite struct SDPParserLineTests {
    private static let head = ["v=0", "o=- 1 2 IN IP4 10.0.0.1", "s=x"]

    @Test("c=: TTL and count for IPv4 multicast, a count alone for IPv6 (section 5.7)", arguments: LineEnding.allCases)
    func connectionAddresses(ending: LineEnding) throws {
        let cases: [(String, ConnectionAddress)] = [
            ("IN IP4 192.168.0.125", ConnectionAddress(family: .ipv4, address: "192.168.0.125")),
            ("IN IP4 239.69.1.2/32", ConnectionAddress(family: .ipv4, address: "239.69.1.2", ttl: 32)),
            ("IN IP4 239.1.1.1/127/3", ConnectionAddress(family: .ipv4, address: "239.1.1.1", ttl: 127, count: 3)),
            ("IN IP6 ff0e::101", ConnectionAddress(family: .ipv6, address: "ff0e::101")),
            ("IN IP6 ff0e::101/2", ConnectionAddress(family: .ipv6, address: "ff0e::101", count: 2)),
        ]
        for (value, expected) in cases {
            let lines = Self.head + ["c=" + value, "t=0 0"]
            let parsed = try SessionDescription(parsing: sdp(lines, ending))
            #expect(parsed.connection == expected, "c=\(value)")
            #expect(parsed.rendered() == sdp(lines), "c=\(value)")
        }
    }

    @Test(
        "m=: a port count, several formats, another profile and media kept as written", arguments: LineEnding.allCases)
    func mediaLines(ending: LineEnding) throws {
        let lines =
            Self.head + [
                "t=0 0",
                "m=audio 5004/2 RTP/AVP 96 97",  // two port pairs (5004, 5006), two formats
                "m=video 5010 RTP/AVP 31",  // video: the parser keeps it; readers may leave it out
                "m=audio 5012 RTP/SAVP 96",  // SRTP: kept as written
            ]
        var first = MediaDescription(port: 5004, formats: ["96", "97"])
        first.portCount = 2
        let parsed = try SDPDocument(parsing: sdp(lines, ending))
        #expect(
            parsed.description.media == [
                first, MediaDescription(media: "video", port: 5010, formats: ["31"]),
                MediaDescription(port: 5012, transport: "RTP/SAVP", formats: ["96"]),
            ])
        #expect(parsed.mediaLines == [5, 6, 7])
        #expect(parsed.mediaAttributeLines == [[], [], []])
        #expect(parsed.description.rendered() == sdp(lines))
    }

    @Test("session lines of types the model does not interpret: kept, and rendered where the grammar puts them")
    func otherSessionLines() throws {
        // Section 5's order: v o s i u e p c b t r z k a.
        let lines = [
            "v=0", "o=- 1 2 IN IP4 10.0.0.1", "s=x",
            "i=about",  // information
            "u=https://example.com/take",  // URI
            "e=alice@example.com",  // e-mail
            "p=+1 617 555 6011",  // phone
            "c=IN IP4 10.0.0.2",  // connection
            "b=CT:1536",  // conference total bandwidth
            "t=3913056000 3913059600",  // an hour, NTP seconds
            "r=604800 3600 0",  // repeat weekly for an hour
            "z=3913056000 -1h",  // time zone adjustment
            "k=clear:secret",  // obsolete key line
            "a=tool:x",
        ]
        let parsed = try SessionDescription(parsing: sdp(lines))
        #expect(parsed.startTime == 3_913_056_000)
        #expect(parsed.stopTime == 3_913_059_600)
        #expect(
            parsed.otherLines == [
                SDPLine(type: "u", value: "https://example.com/take"), SDPLine(type: "e", value: "alice@example.com"),
                SDPLine(type: "p", value: "+1 617 555 6011"), SDPLine(type: "b", value: "CT:1536"),
                SDPLine(type: "r", value: "604800 3600 0"), SDPLine(type: "z", value: "3913056000 -1h"),
                SDPLine(type: "k", value: "clear:secret"),
            ])
        #expect(parsed.rendered() == sdp(lines))
        // Parsed from LF, the same.
        #expect(try SessionDescription(parsing: sdp(lines, .lf)) == parsed)
    }

    @Test("a second t= is kept as it is; the first one gives the times", arguments: LineEnding.allCases)
    func secondTiming(ending: LineEnding) throws {
        let parsed = try SessionDescription(parsing: sdp(Self.head + ["t=10 20", "t=30 40"], ending))
        #expect(parsed.startTime == 10)
        #expect(parsed.stopTime == 20)
        #expect(parsed.otherLines == [SDPLine(type: "t", value: "30 40")])
    }

    @Test("unknown line types and media-level k= are kept in their section, in order", arguments: LineEnding.allCases)
    func unknownLines(ending: LineEnding) throws {
        let lines =
            Self.head + [
                "t=0 0",
                "x=session-level",  // not a type of RFC 8866
                "m=audio 5004 RTP/AVP 96",
                "k=prompt",  // obsolete key line, media level
                "y=media-level",
                "a=rtpmap:96 L24/48000/2",
            ]
        let parsed = try SessionDescription(parsing: sdp(lines, ending))
        #expect(parsed.otherLines == [SDPLine(type: "x", value: "session-level")])
        #expect(
            parsed.media[0].otherLines == [
                SDPLine(type: "k", value: "prompt"), SDPLine(type: "y", value: "media-level"),
            ])
        #expect(parsed.rendered() == sdp(lines))
    }

    @Test(
        "a byte-order mark and blank lines are skipped; line numbers still count the blank lines",
        arguments: LineEnding.allCases)
    func byteOrderMarkAndBlankLines(ending: LineEnding) throws {
        let lines = [
            "v=0",  // 1 (after the BOM)
            "",  // 2: blank
            "o=- 1 1 IN IP4 192.168.0.20",  // 3
            "s=gstreamer",  // 4
            "   ",  // 5: spaces only
            "c=IN IP4 192.168.0.125",  // 6
            "t=0 0",  // 7
            "\t",  // 8: a tab only
            "m=audio 5004 RTP/AVP 96",  // 9
            "a=rtpmap:96 L24/48000/2",  // 10
            "",  // 11
            "a=rtcp:5007",  // 12
            "",  // 13: trailing blank line
        ]
        let text = "\u{FEFF}" + sdp(lines, ending)
        let document = try SDPDocument(parsing: text)
        #expect(document.description == gstreamer)
        #expect(document.mediaLines == [9])
        #expect(document.mediaAttributeLines == [[10, 12]])
        // From bytes: the UTF-8 BOM EF BB BF, the same.
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(sdp(lines, ending).utf8)
        #expect(try SDPDocument(parsing: bytes) == document)
    }

    @Test("the same description from bytes as from text")
    func fromBytes() throws {
        #expect(try SDPDocument(parsing: Array(sdp(aes67Lines).utf8)).description == aes67)
        #expect(try SDPDocument(parsing: Array(sdp(aes67Lines, .lf).utf8)).description == aes67)
    }
}

// MARK: - Errors

@Suite struct SDPParserErrorTests {
    private static let valid = [
        "v=0",  // 1
        "o=- 1 1 IN IP4 192.168.0.20",  // 2
        "s=x",  // 3
        "c=IN IP4 192.168.0.125",  // 4
        "t=0 0",  // 5
        "m=audio 5004 RTP/AVP 96",  // 6
        "a=rtpmap:96 L24/48000/2",  // 7
    ]

    /// The valid description with line `number` (counting from 1) replaced by `line`.
    private static func replacing(_ number: Int, with line: String) -> [String] {
        var lines = valid
        lines[number - 1] = line
        return lines
    }

    private static func parse(_ lines: [String], _ ending: LineEnding) throws(SDPError) -> SDPDocument {
        try SDPDocument(parsing: sdp(lines, ending))
    }

    @Test("the fixture these cases break is itself valid", arguments: LineEnding.allCases)
    func validBase(ending: LineEnding) throws {
        #expect(try Self.parse(Self.valid, ending).description.media.count == 1)
    }

    @Test("nothing to parse", arguments: LineEnding.allCases)
    func empty(ending: LineEnding) {
        #expect(throws: SDPError.empty) { try SDPDocument(parsing: "") }
        #expect(throws: SDPError.empty) { try Self.parse(["", " ", ""], ending) }
        #expect(throws: SDPError.empty) { try SDPDocument(parsing: "\u{FEFF}") }
        #expect(throws: SDPError.empty) { try SDPDocument(parsing: [UInt8]()) }
    }

    @Test("a line that is not <lowercase letter>=<value>, with its number", arguments: LineEnding.allCases)
    func notTypeValue(ending: LineEnding) {
        #expect(throws: SDPError.notTypeValue(line: 4)) { try Self.parse(Self.replacing(4, with: "hello"), ending) }
        // An upper-case type.
        #expect(throws: SDPError.notTypeValue(line: 1)) { try Self.parse(Self.replacing(1, with: "V=0"), ending) }
        // A space before the '='.
        #expect(throws: SDPError.notTypeValue(line: 7)) {
            try Self.parse(Self.replacing(7, with: "a =rtpmap:96 L24/48000/2"), ending)
        }
        // A non-ASCII letter, a digit, a lone letter.
        #expect(throws: SDPError.notTypeValue(line: 3)) { try Self.parse(Self.replacing(3, with: "é=x"), ending) }
        #expect(throws: SDPError.notTypeValue(line: 3)) { try Self.parse(Self.replacing(3, with: "1=x"), ending) }
        #expect(throws: SDPError.notTypeValue(line: 3)) { try Self.parse(Self.replacing(3, with: "s"), ending) }
        // After blank lines, the number counts them.
        #expect(throws: SDPError.notTypeValue(line: 6)) {
            try Self.parse(Array(Self.valid.prefix(3)) + ["", "", "nonsense"], ending)
        }
    }

    @Test("the first line must be v=0", arguments: LineEnding.allCases)
    func badVersion(ending: LineEnding) {
        #expect(throws: SDPError.badVersion(line: 1)) { try Self.parse(Self.replacing(1, with: "v=1"), ending) }
        #expect(throws: SDPError.badVersion(line: 1)) { try Self.parse(Array(Self.valid.dropFirst()), ending) }
        // The first line that is not blank, numbered as it stands.
        #expect(throws: SDPError.badVersion(line: 3)) {
            try Self.parse(["", ""] + Self.replacing(1, with: "v=00"), ending)
        }
    }

    @Test("o=, s= and t= must be there", arguments: LineEnding.allCases)
    func missing(ending: LineEnding) {
        #expect(throws: SDPError.missing(type: "o")) {
            try Self.parse(Self.valid.filter { !$0.hasPrefix("o=") }, ending)
        }
        #expect(throws: SDPError.missing(type: "s")) {
            try Self.parse(Self.valid.filter { !$0.hasPrefix("s=") }, ending)
        }
        #expect(throws: SDPError.missing(type: "t")) {
            try Self.parse(Self.valid.filter { !$0.hasPrefix("t=") }, ending)
        }
        #expect(throws: SDPError.missing(type: "o")) { try Self.parse(["v=0"], ending) }
    }

    @Test("a malformed o=: six fields, numbers for id and version, IN, IP4 or IP6", arguments: LineEnding.allCases)
    func malformedOrigin(ending: LineEnding) {
        for origin in [
            "o=- 1 1 IN IP4",  // five fields
            "o=- 1 1 IN IP4 192.168.0.20 extra",  // seven
            "o=- one 1 IN IP4 192.168.0.20",  // id not a number
            "o=- 1 -1 IN IP4 192.168.0.20",  // version negative
            "o=- 1 1 ON IP4 192.168.0.20",  // network type not IN
            "o=- 1 1 IN IP5 192.168.0.20",  // no such address type
        ] {
            #expect(throws: SDPError.malformed(line: 2, type: "o"), "\(origin)") {
                try Self.parse(Self.replacing(2, with: origin), ending)
            }
        }
    }

    @Test("a malformed c=, at session or media level", arguments: LineEnding.allCases)
    func malformedConnection(ending: LineEnding) {
        for connection in [
            "c=IN IP4",  // no address
            "c=IN IP4 192.168.0.125 x",  // a field too many
            "c=ON IP4 192.168.0.125",  // not IN
            "c=IN IPX 192.168.0.125",  // no such address type
            "c=IN IP4 /32",  // an empty address
            "c=IN IP4 239.1.1.1/ttl",  // TTL not a number
            "c=IN IP4 239.1.1.1/70000",  // TTL out of range
            "c=IN IP4 239.1.1.1/32/2/1",  // three numbers
            "c=IN IP4 239.1.1.1/",  // an empty TTL
            "c=IN IP6 ff0e::101/2/3",  // IPv6 has no TTL: one number at most
        ] {
            #expect(throws: SDPError.malformed(line: 4, type: "c"), "\(connection)") {
                try Self.parse(Self.replacing(4, with: connection), ending)
            }
            // The same line inside the media section.
            #expect(throws: SDPError.malformed(line: 7, type: "c"), "\(connection)") {
                try Self.parse(Self.replacing(7, with: connection), ending)
            }
        }
    }

    @Test(
        "a malformed m=: four fields at least, a port 0-65535, a port count of 1 or more",
        arguments: LineEnding.allCases)
    func malformedMedia(ending: LineEnding) {
        for media in [
            "m=audio 5004 RTP/AVP",  // no format
            "m=audio port RTP/AVP 96",  // port not a number
            "m=audio 65536 RTP/AVP 96",  // port out of range
            "m=audio -1 RTP/AVP 96",  // negative
            "m=audio 5004/0 RTP/AVP 96",  // zero ports
            "m=audio 5004/2/2 RTP/AVP 96",  // two counts
            "m=audio 5004/ RTP/AVP 96",  // an empty count
        ] {
            #expect(throws: SDPError.malformed(line: 6, type: "m"), "\(media)") {
                try Self.parse(Self.replacing(6, with: media), ending)
            }
        }
        // A second section's m= names its own line.
        #expect(throws: SDPError.malformed(line: 8, type: "m")) {
            try Self.parse(Self.valid + ["m=audio"], ending)
        }
    }

    @Test("a malformed t=: two numbers", arguments: LineEnding.allCases)
    func malformedTiming(ending: LineEnding) {
        for timing in ["t=0", "t=0 0 0", "t=now 0", "t=-1 0"] {
            #expect(throws: SDPError.malformed(line: 5, type: "t"), "\(timing)") {
                try Self.parse(Self.replacing(5, with: timing), ending)
            }
        }
    }

    @Test("session-level lines after m=, and lines given twice, are out of place", arguments: LineEnding.allCases)
    func outOfPlace(ending: LineEnding) {
        // s= after m=.
        #expect(throws: SDPError.outOfPlace(line: 8, type: "s")) { try Self.parse(Self.valid + ["s=late"], ending) }
        for type in ["v", "o", "t", "r", "z", "u", "e", "p"] {
            #expect(throws: SDPError.outOfPlace(line: 8, type: Character(type)), "\(type)=") {
                try Self.parse(Self.valid + ["\(type)=0"], ending)
            }
        }
        // v= again before m=.
        #expect(throws: SDPError.outOfPlace(line: 2, type: "v")) { try Self.parse(["v=0", "v=0"], ending) }
        // Session-level o=, s=, i=, c= given twice.
        var twice = Self.valid
        twice.insert("o=- 2 2 IN IP4 192.168.0.21", at: 2)
        #expect(throws: SDPError.outOfPlace(line: 3, type: "o")) { try Self.parse(twice, ending) }
        twice = Self.valid
        twice.insert("s=again", at: 3)
        #expect(throws: SDPError.outOfPlace(line: 4, type: "s")) { try Self.parse(twice, ending) }
        twice = Self.valid
        twice.insert(contentsOf: ["i=one", "i=two"], at: 3)
        #expect(throws: SDPError.outOfPlace(line: 5, type: "i")) { try Self.parse(twice, ending) }
        twice = Self.valid
        twice.insert("c=IN IP4 192.168.0.126", at: 4)
        #expect(throws: SDPError.outOfPlace(line: 5, type: "c")) { try Self.parse(twice, ending) }
        // A section's i= and c= given twice.
        #expect(throws: SDPError.outOfPlace(line: 9, type: "i")) {
            try Self.parse(Self.valid + ["i=one", "i=two"], ending)
        }
        #expect(throws: SDPError.outOfPlace(line: 9, type: "c")) {
            try Self.parse(Self.valid + ["c=IN IP4 192.168.0.125", "c=IN IP4 192.168.0.126"], ending)
        }
        // But a new section may have its own.
        #expect(throws: Never.self) {
            try Self.parse(
                Self.valid + [
                    "i=one", "c=IN IP4 192.168.0.125", "m=audio 5006 RTP/AVP 96", "i=two",
                    "c=IN IP4 192.168.0.126",
                ], ending)
        }
    }

    @Test("bytes that are not UTF-8, with the line they are on", arguments: LineEnding.allCases)
    func notUTF8(ending: LineEnding) {
        var bytes = Array(sdp(Array(Self.valid.prefix(2)), ending).utf8)  // lines 1 and 2
        // Line 3: C3 starts a two-byte sequence, 28 does not continue it.
        bytes += Array("s=".utf8) + [0xC3, 0x28] + Array(ending.rawValue.utf8)
        bytes += Array(sdp(Array(Self.valid.dropFirst(3)), ending).utf8)
        #expect(throws: SDPError.notUTF8(line: 3)) { try SDPDocument(parsing: bytes) }
        // On the first line, and on a last line without a line end.
        #expect(throws: SDPError.notUTF8(line: 1)) { try SDPDocument(parsing: [0x76, 0x3D, 0xFF]) }
        let last = Array(sdp(Self.valid, ending).utf8) + [0x61, 0x3D, 0x80]
        #expect(throws: SDPError.notUTF8(line: 8)) { try SDPDocument(parsing: last) }
    }

    @Test("each error says its line in words")
    func descriptions() {
        #expect(SDPError.notTypeValue(line: 4).description == "line 4: not a <type>=<value> line")
        #expect(SDPError.malformed(line: 2, type: "o").description == "line 2: malformed o= line")
        #expect(SDPError.outOfPlace(line: 8, type: "s").description == "line 8: s= out of place")
        #expect(SDPError.missing(type: "t").description == "no t= line")
        #expect(SDPError.badVersion(line: 1).description == "line 1: the first line must be v=0")
    }
}
