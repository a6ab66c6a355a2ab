import SDP
import Testing

// Byte fixtures for SAP (RFC 2974 section 3), written out from the RFC's diagram, not from the writer:
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// | V=1 |A|R|T|E|C|   auth len    |         msg id hash           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// :              originating source (32 or 128 bits)              :
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                    optional authentication data               |
// :                              ....                             :
// *-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*
// |                      optional payload type                    |
// +                                         +-+- - - - - - - - - -+
// |                                         |0|                   |
// + - - - - - - - - - - - - - - - - - - - - +-+                   |
// |                                                               |
// :                            payload                            :
//
// Byte 0 = V(3 bits) A R T E C; A=1 for an IPv6 origin, T=1 for a deletion, E encrypted, C compressed.
// The auth len counts 32-bit words of authentication data.

/// "application/sdp" in ASCII, then its terminating NUL, spelled out a byte at a time.
private let applicationSDP: [UInt8] = [
    0x61, 0x70, 0x70, 0x6C, 0x69, 0x63, 0x61, 0x74, 0x69, 0x6F, 0x6E,  // "application"
    0x2F,  // "/"
    0x73, 0x64, 0x70,  // "sdp"
    0x00,  // NUL: the end of the payload type
]

/// "v=0\r\ns=x\r\n", a payload short enough to write out.
private let shortSDP: [UInt8] = [
    0x76, 0x3D, 0x30, 0x0D, 0x0A,  // "v=0" CRLF
    0x73, 0x3D, 0x78, 0x0D, 0x0A,  // "s=x" CRLF
]

/// An IPv4 announcement: version 1, A=0, T=0, no authentication, hash 0x1F2E, from 192.168.0.2.
private let ipv4Announcement: [UInt8] =
    [
        0x20,  // V=1 A=0 R=0 T=0 E=0 C=0: 0b001_0_0_0_0_0
        0x00,  // auth len 0
        0x1F, 0x2E,  // msg id hash 0x1F2E
        0xC0, 0xA8, 0x00, 0x02,  // originating source 192.168.0.2
    ] + applicationSDP + shortSDP

/// An IPv6 deletion: A=1 and T=1, hash 0xBEEF, from 2001:db8::2.
private let ipv6Deletion: [UInt8] =
    [
        0x34,  // V=1 A=1 R=0 T=1 E=0 C=0: 0b001_1_0_1_0_0
        0x00,  // auth len 0
        0xBE, 0xEF,  // msg id hash 0xBEEF
        0x20, 0x01, 0x0D, 0xB8,  // originating source 2001:0db8:
        0x00, 0x00, 0x00, 0x00,  //   0000:0000:
        0x00, 0x00, 0x00, 0x00,  //   0000:0000:
        0x00, 0x00, 0x00, 0x02,  //   0000:0002
    ] + applicationSDP + shortSDP

private let shortSDPText = "v=0\r\ns=x\r\n"
private let ipv6Origin: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02]

private func parse(_ bytes: [UInt8]) throws(SDPError) -> SAPPacket { try SAPPacket(parsing: bytes) }

@Suite struct SAPPacketTests {
    @Test("an IPv4 announcement is the RFC 2974 bytes, byte for byte, and parses back to itself")
    func ipv4AnnouncementFixture() throws {
        let packet = SAPPacket(
            kind: .announcement, messageIDHash: 0x1F2E, originatingSource: [192, 168, 0, 2], payload: shortSDPText)
        #expect(packet.bytes == ipv4Announcement)
        #expect(packet.bytes.count == 4 + 4 + 16 + 10)
        #expect(try parse(ipv4Announcement) == packet)
    }

    @Test("an IPv6 deletion sets A and T and carries 16 bytes of origin")
    func ipv6DeletionFixture() throws {
        let packet = SAPPacket(
            kind: .deletion, messageIDHash: 0xBEEF, originatingSource: ipv6Origin, payload: shortSDPText)
        #expect(packet.bytes == ipv6Deletion)
        #expect(packet.bytes[0] & 0x10 != 0)  // A
        #expect(packet.bytes[0] & 0x04 != 0)  // T
        #expect(try parse(ipv6Deletion) == packet)
    }

    @Test("the constants RFC 2974 fixes: version 1, port 9875, application/sdp")
    func constants() {
        #expect(SAPPacket.version == 1)
        #expect(SAPPacket.port == 9875)
        #expect(Array(SAPPacket.sdpPayloadType.utf8) + [0] == applicationSDP)
    }

    @Test("an IPv4 deletion sets T alone; an IPv6 announcement A alone")
    func flagsApart() {
        let deletion = SAPPacket(kind: .deletion, messageIDHash: 1, originatingSource: [10, 0, 0, 1], payload: "")
        #expect(deletion.bytes[0] == 0x24)  // V=1 T=1
        let announcement = SAPPacket(kind: .announcement, messageIDHash: 1, originatingSource: ipv6Origin, payload: "")
        #expect(announcement.bytes[0] == 0x30)  // V=1 A=1
    }

    @Test("the payload type may be left out when the payload is SDP (RFC 2974 section 3): the SDP is read as is")
    func payloadTypeOmitted() throws {
        // "If the payload type is `application/sdp' both the payload type and its terminating zero byte MAY be
        // omitted": the payload follows the origin directly, and starts with SDP's "v=0".
        let bytes: [UInt8] = [0x20, 0x00, 0x1F, 0x2E, 0xC0, 0xA8, 0x00, 0x02] + shortSDP
        let packet = try parse(bytes)
        #expect(packet.payload == shortSDPText)
        #expect(packet.kind == .announcement && packet.messageIDHash == 0x1F2E)
        #expect(packet.originatingSource == [192, 168, 0, 2])
        // Written again, it names its payload type, as the RFC says it SHOULD.
        #expect(packet.bytes == ipv4Announcement)
    }

    @Test("authentication data is skipped: auth len counts 32-bit words")
    func authenticationSkipped() throws {
        let bytes: [UInt8] =
            [
                0x20,  // V=1
                0x02,  // auth len 2: 8 bytes follow the origin
                0x1F, 0x2E,  // msg id hash
                0xC0, 0xA8, 0x00, 0x02,  // origin 192.168.0.2
                0x20, 0x00, 0x00, 0x00, 0xDE, 0xAD, 0xBE, 0xEF,  // 8 bytes of authentication data
            ] + applicationSDP + shortSDP
        #expect(try parse(bytes).payload == shortSDPText)
    }

    @Test(
        "refused, each with its reason",
        arguments: [
            // (bytes, why, expected)
            ([0x22, 0x00, 0x1F, 0x2E, 0xC0, 0xA8, 0x00, 0x02] + applicationSDP, "E set", .encryptedOrCompressed),
            ([0x21, 0x00, 0x1F, 0x2E, 0xC0, 0xA8, 0x00, 0x02] + applicationSDP, "C set", .encryptedOrCompressed),
            ([0x40, 0x00, 0x1F, 0x2E, 0xC0, 0xA8, 0x00, 0x02] + applicationSDP, "version 2", .version(2)),
            ([0x00, 0x00, 0x1F, 0x2E, 0xC0, 0xA8, 0x00, 0x02] + applicationSDP, "version 0 (SAPv0)", .version(0)),
            ([0xE0, 0x00, 0x1F, 0x2E, 0xC0, 0xA8, 0x00, 0x02] + applicationSDP, "version 7", .version(7)),
            ([], "no bytes", .truncated),
            ([0x20, 0x00, 0x1F], "3 of the 4 header bytes", .truncated),
            ([0x20, 0x00, 0x1F, 0x2E, 0xC0, 0xA8], "an IPv4 origin cut to 2 bytes", .truncated),
            ([0x30, 0x00, 0xBE, 0xEF] + Array(ipv6Origin.prefix(15)), "an IPv6 origin cut to 15 bytes", .truncated),
            (
                [0x20, 0x03, 0x1F, 0x2E, 0xC0, 0xA8, 0x00, 0x02, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08],
                "auth len 3 (12 bytes) with 8 left", .truncated
            ),
            (
                [0x20, 0xFF, 0x1F, 0x2E, 0xC0, 0xA8, 0x00, 0x02] + applicationSDP + shortSDP,
                "auth len 255 past the end", .truncated
            ),
            (
                [0x20, 0x00, 0x1F, 0x2E, 0xC0, 0xA8, 0x00, 0x02] + Array(applicationSDP.dropLast()),
                "a payload type without its NUL", .truncated
            ),
            (
                [0x20, 0x00, 0x1F, 0x2E, 0xC0, 0xA8, 0x00, 0x02, 0x74, 0x65, 0x78, 0x74, 0x00] + shortSDP,
                "payload type 'text'", .payloadType("text")
            ),
            (
                [0x20, 0x00, 0x1F, 0x2E, 0xC0, 0xA8, 0x00, 0x02] + applicationSDP + [0x76, 0x3D, 0xFF, 0xFE],
                "a payload that is not UTF-8", .notUTF8
            ),
        ] as [([UInt8], String, SAPProblem)])
    func refused(bytes: [UInt8], why: String, expected: SAPProblem) {
        #expect(throws: SDPError.sap(expected), "\(why)") { try parse(bytes) }
    }

    @Test("2000 seeded random packets round-trip: hashes, IPv4 and IPv6 origins, both kinds, any UTF-8 payload")
    func roundTrip() throws {
        var random = SeededGenerator(state: 0x5A9_2974)
        let alphabet = Array("v=0\r\no- IN IP4 239.69.1.2 a=rtpmap:96 L24/48000/2 é€😀\t")
        for _ in 0..<2000 {
            let ipv6 = random.next() % 2 == 0
            let origin = (0..<(ipv6 ? 16 : 4)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let length = Int(random.next() % 200)
            let payload = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            let packet = SAPPacket(
                kind: random.next() % 2 == 0 ? .announcement : .deletion,
                messageIDHash: UInt16(truncatingIfNeeded: random.next()), originatingSource: origin, payload: payload)
            let bytes = packet.bytes
            // The layout: 4 header bytes, the origin, the payload type and its NUL, the payload.
            #expect(bytes.count == 4 + origin.count + 16 + payload.utf8.count)
            #expect(Array(bytes[2..<4]) == [UInt8(packet.messageIDHash >> 8), UInt8(packet.messageIDHash & 0xFF)])
            #expect(Array(bytes[4..<(4 + origin.count)]) == origin)
            #expect(try parse(bytes) == packet)
        }
    }

    @Test("20 000 random and mutated datagrams: every one parses or throws")
    func anyBytes() {
        var random = SeededGenerator(state: 0x5A9_F022)
        let seeds = [ipv4Announcement, ipv6Deletion]
        var parsed = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(random.next() % 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                // Mostly version 1 without E and C, so the parser gets past its first checks.
                if !bytes.isEmpty && round % 4 == 0 { bytes[0] = bytes[0] & 0x1C | 0x20 }
            } else {
                bytes = seeds[round % seeds.count]
                for _ in 0..<(1 + random.next() % 4) {
                    let index = Int(random.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: random.next())
                }
                bytes.removeLast(Int(random.next() % UInt64(bytes.count)))
            }
            do {
                _ = try SAPPacket(parsing: bytes)
                parsed += 1
            } catch {
                // SDPError by the signature: any case is an answer.
            }
        }
        #expect(parsed > 100 && parsed < 20_000)
    }

    @Test("a session is known by its o= line without the version: every version, and a deletion of o= alone")
    func sessionKey() {
        func key(_ payload: String) -> String? {
            SAPPacket(kind: .announcement, messageIDHash: 1, originatingSource: [10, 0, 0, 1], payload: payload)
                .sessionKey
        }
        let first = "v=0\r\no=- 3903178792 4005144100 IN IP4 10.206.1.1\r\ns=m1\r\nt=0 0\r\n"
        let second = "v=0\r\no=- 3903178792 4005144200 IN IP4 10.206.1.1\r\ns=m1\r\nt=0 0\r\n"
        #expect(key(first) == "- 3903178792 IN IP4 10.206.1.1")
        #expect(key(second) == key(first))
        // RFC 2974 section 3 lets a deletion carry the origin line alone, with LF only.
        #expect(key("o=- 3903178792 4005144300 IN IP4 10.206.1.1\n") == key(first))
        // Another session id, another address: another session.
        #expect(key("o=- 1 4005144100 IN IP4 10.206.1.1\r\n") != key(first))
        #expect(key("o=- 3903178792 4005144100 IN IP4 10.206.1.3\r\n") != key(first))
        // No o=, or one without its six fields: no key.
        #expect(key("v=0\r\ns=x\r\n") == nil)
        #expect(key("v=0\r\no=- 1 IN IP4\r\n") == nil)
    }
}

/// TestSupport's SplitMix64 (Steele, Lea, Flood 2014), copied: the SDPTests target does not depend on TestSupport.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
