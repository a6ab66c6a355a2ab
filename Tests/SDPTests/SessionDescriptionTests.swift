import SDP
import Testing

// SDP (RFC 8866): lines "<type>=<value>" ending in CRLF, in the grammar's order: v, o, s, i, c, t, a,
// then per media m, i, c, a.

/// A typical single-stream description: 24-bit stereo 48 kHz on dynamic PT 96, 1 ms packets, unicast.
private func typicalStream(sessionName: String = "concert") -> SessionDescription {
    SessionDescription(
        origin: .init(
            sessionID: 3_913_056_000, sessionVersion: 3_913_056_000,
            address: ConnectionAddress(address: "192.168.1.10")),
        sessionName: sessionName,
        connection: ConnectionAddress(address: "192.168.1.20"),
        media: [
            MediaDescription(
                port: 5004, formats: ["96"],
                attributes: [Attribute("rtpmap", "96 L24/48000/2"), Attribute("ptime", "1"), Attribute("recvonly")])
        ])
}

@Suite struct SessionDescriptionTests {
    @Test func goldenTypicalStream() {
        let golden =
            "v=0\r\n"  // protocol version 0 (section 5.1)
            + "o=- 3913056000 3913056000 IN IP4 192.168.1.10\r\n"  // no user, session id, version, origin address
            + "s=concert\r\n"  // session name
            + "c=IN IP4 192.168.1.20\r\n"  // where the media goes
            + "t=0 0\r\n"  // unbounded session
            + "m=audio 5004 RTP/AVP 96\r\n"  // audio on port 5004, RTP/AVP profile, payload type 96
            + "a=rtpmap:96 L24/48000/2\r\n"  // PT 96 = L24, 48 kHz clock, 2 channels (RFC 3190)
            + "a=ptime:1\r\n"  // 1 ms of audio per packet
            + "a=recvonly\r\n"  // receivers only receive (a sender's SDP in AES67 and RAVENNA says so)
        #expect(typicalStream().rendered() == golden)
    }

    @Test func ipv6Connection() {
        // A colon in the address means IPv6.
        #expect(ConnectionAddress(address: "::1").rendered == "IN IP6 ::1")
        #expect(ConnectionAddress(address: "::1").family == .ipv6)
        #expect(ConnectionAddress(address: "10.0.0.1").rendered == "IN IP4 10.0.0.1")
        var description = typicalStream()
        description.connection = ConnectionAddress(address: "::1")
        #expect(description.rendered().contains("\r\nc=IN IP6 ::1\r\n"))
    }

    @Test func lineBreakInSessionNameCannotBreakALine() {
        // A name trying to smuggle in a line of its own.
        let rendered = typicalStream(sessionName: "evil\r\na=sendrecv\nx").rendered()
        let lines = rendered.split(separator: "\r\n", omittingEmptySubsequences: false)
        // Still nine lines and an empty tail after the last CRLF.
        #expect(lines.count == 10)
        #expect(lines.last == "")
        // No bare CR or LF anywhere but in the CRLF line ends.
        #expect(!lines.contains { $0.unicodeScalars.contains { $0 == "\r" || $0 == "\n" } })
        // The injected attribute did not become a line.
        #expect(!lines.contains("a=sendrecv"))
        #expect(lines[2].hasPrefix("s=evil"))
    }

    @Test func lineBreakInAttributeValueOrInformationCannotBreakALine() {
        var description = typicalStream()
        description.information = "line one\r\nline two"
        description.attributes = [Attribute("tool", "x\ny")]
        let lines = description.rendered().split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(!lines.contains { $0.unicodeScalars.contains { $0 == "\r" || $0 == "\n" } })
        // v o s i c t a m a a a, then the empty tail.
        #expect(lines.count == 12)
        #expect(lines[3].hasPrefix("i=line one"))
        #expect(lines[6].hasPrefix("a=tool:x"))
    }

    @Test func emptySessionNameIsADash() {
        // RFC 8866 section 5.3: s= must not be empty; "-" stands for none.
        #expect(typicalStream(sessionName: "").rendered().contains("\r\ns=-\r\n"))
    }

    /// Media-level information and connection lines come after m= and before its attributes.
    @Test func mediaLevelLinesInGrammarOrder() {
        let description = SessionDescription(
            origin: .init(sessionID: 1, sessionVersion: 2, address: ConnectionAddress(address: "::1")),
            sessionName: "two",
            attributes: [Attribute("tool", "audiostreamer")],
            media: [
                MediaDescription(
                    port: 5004, formats: ["10", "11"], information: "left",
                    connection: ConnectionAddress(address: "239.1.1.1"), attributes: [Attribute("recvonly")]),
                MediaDescription(port: 5006, formats: ["97"]),
            ])
        let golden =
            "v=0\r\n"
            + "o=- 1 2 IN IP6 ::1\r\n"
            + "s=two\r\n"
            + "t=0 0\r\n"  // no session-level c=
            + "a=tool:audiostreamer\r\n"  // session attributes before the first m=
            + "m=audio 5004 RTP/AVP 10 11\r\n"  // two formats, space-separated
            + "i=left\r\n"
            + "c=IN IP4 239.1.1.1\r\n"
            + "a=recvonly\r\n"
            + "m=audio 5006 RTP/AVP 97\r\n"
        #expect(description.rendered() == golden)
    }
}
