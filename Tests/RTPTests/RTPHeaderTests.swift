import PCM
import RTP
import Testing

// Byte fixtures for the fixed RTP header, from the RFC 3550 section 5.1 diagram:
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                           timestamp                           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           synchronization source (SSRC) identifier            |
// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
// |            contributing source (CSRC) identifiers             |
//
// Byte 0 = V(2 bits) P(1) X(1) CC(4); byte 1 = M(1) PT(7); then big-endian fields.

/// A header and the bytes it is on the wire.
struct HeaderFixture: Sendable, CustomTestStringConvertible {
    let note: String
    let header: RTPHeader
    let bytes: [UInt8]
    var testDescription: String { note }
}

enum HeaderFixtures {
    static let all: [HeaderFixture] = [
        HeaderFixture(
            note: "dynamic PT 96, no marker",
            header: RTPHeader(payloadType: 96, sequenceNumber: 0x1234, timestamp: 0xDEAD_BEEF, ssrc: 0x0102_0304),
            bytes: [
                0x80,  // V=2 P=0 X=0 CC=0: 0b10_0_0_0000
                0x60,  // M=0 PT=96: 0b0_1100000
                0x12, 0x34,  // sequence number 0x1234
                0xDE, 0xAD, 0xBE, 0xEF,  // timestamp 0xDEADBEEF
                0x01, 0x02, 0x03, 0x04,  // SSRC 0x01020304
            ]),
        HeaderFixture(
            note: "static PT 10 (L16 stereo), all-ones fields",
            header: RTPHeader(payloadType: 10, sequenceNumber: 0xFFFF, timestamp: 0xFFFF_FFFF, ssrc: 0xFFFF_FFFF),
            bytes: [
                0x80,  // V=2 P=0 X=0 CC=0
                0x0A,  // M=0 PT=10
                0xFF, 0xFF,  // sequence number 0xFFFF, the last before the wrap
                0xFF, 0xFF, 0xFF, 0xFF,  // timestamp 0xFFFFFFFF, the last before the wrap
                0xFF, 0xFF, 0xFF, 0xFF,  // SSRC 0xFFFFFFFF
            ]),
        HeaderFixture(
            note: "static PT 11 (L16 mono), marker set, zero fields",
            header: RTPHeader(marker: true, payloadType: 11, sequenceNumber: 0, timestamp: 0, ssrc: 0),
            bytes: [
                0x80,  // V=2 P=0 X=0 CC=0
                0x8B,  // M=1 PT=11: 0x80 | 0x0B
                0x00, 0x00,  // sequence number 0
                0x00, 0x00, 0x00, 0x00,  // timestamp 0
                0x00, 0x00, 0x00, 0x00,  // SSRC 0
            ]),
        HeaderFixture(
            note: "PT 127 with marker: byte 1 all ones",
            header: RTPHeader(
                marker: true, payloadType: 127, sequenceNumber: 0x0100, timestamp: 0x0001_0000, ssrc: 0x8000_0000),
            bytes: [
                0x80,  // V=2 P=0 X=0 CC=0
                0xFF,  // M=1 PT=127: 0x80 | 0x7F
                0x01, 0x00,  // sequence number 256: high byte first
                0x00, 0x01, 0x00, 0x00,  // timestamp 65536: big-endian
                0x80, 0x00, 0x00, 0x00,  // SSRC 0x80000000: top bit in the first byte
            ]),
        HeaderFixture(
            note: "two CSRCs",
            header: RTPHeader(
                payloadType: 97, sequenceNumber: 7, timestamp: 48_000, ssrc: 0xCAFE_F00D,
                csrcs: [0x1111_1111, 0xAABB_CCDD]),
            bytes: [
                0x82,  // V=2 P=0 X=0 CC=2
                0x61,  // M=0 PT=97
                0x00, 0x07,  // sequence number 7
                0x00, 0x00, 0xBB, 0x80,  // timestamp 48000 = 0xBB80
                0xCA, 0xFE, 0xF0, 0x0D,  // SSRC 0xCAFEF00D
                0x11, 0x11, 0x11, 0x11,  // CSRC 1
                0xAA, 0xBB, 0xCC, 0xDD,  // CSRC 2
            ]),
    ]
}

/// The first fixture's 12 bytes with byte 0 replaced, for parser cases that set P, X or CC.
private func fixedHeader(firstByte: UInt8) -> [UInt8] {
    [firstByte] + HeaderFixtures.all[0].bytes.dropFirst()
}

@Suite struct RTPHeaderTests {
    @Test(arguments: HeaderFixtures.all)
    func serializes(_ fixture: HeaderFixture) throws {
        #expect(fixture.header.bytes == fixture.bytes)
        #expect(fixture.header.byteCount == fixture.bytes.count)
        // write(to:) writes the same bytes and reports their count.
        var buffer = [UInt8](repeating: 0xEE, count: fixture.bytes.count + 4)
        let written = try buffer.withUnsafeMutableBytes { raw throws(RTPError) in try fixture.header.write(to: raw) }
        #expect(written == fixture.bytes.count)
        #expect(Array(buffer[0..<written]) == fixture.bytes)
        #expect(Array(buffer[written...]) == [0xEE, 0xEE, 0xEE, 0xEE])
    }

    @Test(arguments: HeaderFixtures.all)
    func parses(_ fixture: HeaderFixture) throws {
        let payload: [UInt8] = [0x01, 0x02, 0x03]
        let packet = try RTPPacket(parsing: fixture.bytes + payload)
        #expect(packet.header == fixture.header)
        #expect(packet.payloadRange == fixture.bytes.count..<fixture.bytes.count + 3)
    }

    /// A header alone (no payload) parses, with an empty payload.
    @Test func parsesHeaderWithoutPayload() throws {
        let packet = try RTPPacket(parsing: HeaderFixtures.all[0].bytes)
        #expect(packet.header == HeaderFixtures.all[0].header)
        #expect(packet.payloadRange == 12..<12)
    }

    @Test func skipsHeaderExtension() throws {
        let bytes =
            fixedHeader(firstByte: 0x90)  // V=2 P=0 X=1 CC=0
            + [0xBE, 0xDE]  // extension profile (RFC 8285 one-byte form)
            + [0x00, 0x02]  // extension length: 2 32-bit words
            + [0x10, 0xAA, 0x00, 0x00, 0x21, 0xBB, 0xCC, 0x00]  // 8 bytes of extension data
            + [0x55, 0x66, 0x77, 0x88]  // payload
        let packet = try RTPPacket(parsing: bytes)
        #expect(packet.header == HeaderFixtures.all[0].header)
        // 12 fixed + 4 extension header + 8 extension data = 24.
        #expect(packet.payloadRange == 24..<28)
        #expect(Array(bytes[packet.payloadRange]) == [0x55, 0x66, 0x77, 0x88])
    }

    @Test func skipsHeaderExtensionAfterCSRCs() throws {
        let bytes: [UInt8] =
            [0x91]  // V=2 P=0 X=1 CC=1
            + HeaderFixtures.all[0].bytes.dropFirst()  // M, PT, sequence, timestamp, SSRC
            + [0x00, 0x00, 0x00, 0x2A]  // CSRC 42
            + [0x10, 0x00, 0x00, 0x01]  // extension profile 0x1000, length 1 word
            + [0xFF, 0xFF, 0xFF, 0xFF]  // 4 bytes of extension data
            + [0x01, 0x02]  // payload
        let packet = try RTPPacket(parsing: bytes)
        #expect(packet.header.csrcs == [42])
        // 12 fixed + 4 CSRC + 4 extension header + 4 extension data = 24.
        #expect(packet.payloadRange == 24..<26)
    }

    @Test func paddingShortensThePayload() throws {
        let bytes =
            fixedHeader(firstByte: 0xA0)  // V=2 P=1 X=0 CC=0
            + [0x11, 0x22, 0x33, 0x44]  // payload
            + [0x00, 0x00, 0x03]  // 3 bytes of padding, the last one counting them all
        let packet = try RTPPacket(parsing: bytes)
        #expect(packet.header == HeaderFixtures.all[0].header)
        #expect(packet.payloadRange == 12..<16)
    }

    /// Padding may take everything after the header (RFC 3550 section 5.1 allows an all-padding packet).
    @Test func paddingMayFillThePacket() throws {
        let bytes = fixedHeader(firstByte: 0xA0) + [0x00, 0x00, 0x00, 0x04]  // 4 bytes of padding, no payload
        let packet = try RTPPacket(parsing: bytes)
        #expect(packet.payloadRange == 12..<12)
    }

    /// Padding and an extension together: the payload lies between them.
    @Test func paddingAndExtension() throws {
        let bytes =
            fixedHeader(firstByte: 0xB0)  // V=2 P=1 X=1 CC=0
            + [0xBE, 0xDE, 0x00, 0x01]  // extension header: 1 word
            + [0x00, 0x00, 0x00, 0x00]  // extension data
            + [0x01, 0x02, 0x03, 0x04, 0x05, 0x06]  // payload
            + [0x00, 0x02]  // 2 bytes of padding
        let packet = try RTPPacket(parsing: bytes)
        #expect(packet.payloadRange == 20..<26)
    }

    // MARK: - Errors

    @Test func truncatedFixedHeader() {
        let eleven = Array(HeaderFixtures.all[0].bytes.prefix(11))
        #expect(throws: RTPError.truncated(needed: 12, available: 11)) { try RTPPacket(parsing: eleven) }
        #expect(throws: RTPError.truncated(needed: 12, available: 0)) { try RTPPacket(parsing: [UInt8]()) }
    }

    @Test func truncatedCSRCList() {
        // CC=2 needs 12 + 8 = 20 bytes; only one CSRC (16 bytes) is there.
        let bytes = Array(HeaderFixtures.all[4].bytes.prefix(16))
        #expect(throws: RTPError.truncated(needed: 20, available: 16)) { try RTPPacket(parsing: bytes) }
    }

    @Test func truncatedExtension() {
        // X=1 but the packet ends with the fixed header: the extension header needs 12 + 4 = 16 bytes.
        #expect(throws: RTPError.truncated(needed: 16, available: 12)) {
            try RTPPacket(parsing: fixedHeader(firstByte: 0x90))
        }
        // The extension says 3 words (12 bytes) but only 4 follow: needs 12 + 4 + 12 = 28, has 20.
        let bytes = fixedHeader(firstByte: 0x90) + [0xBE, 0xDE, 0x00, 0x03] + [0, 0, 0, 0]
        #expect(throws: RTPError.truncated(needed: 28, available: 20)) { try RTPPacket(parsing: bytes) }
    }

    @Test(arguments: [(UInt8(0x40), UInt8(1)), (0x00, 0), (0xC0, 3)])
    func unsupportedVersion(firstByte: UInt8, version: UInt8) {
        // V is the top two bits: 0x40 = V=1, 0x00 = V=0, 0xC0 = V=3.
        #expect(throws: RTPError.unsupportedVersion(version)) {
            try RTPPacket(parsing: fixedHeader(firstByte: firstByte) + [0x00, 0x00])
        }
    }

    @Test func paddingCountOfZero() {
        // P=1 and the last byte says 0: the count includes itself, so 0 is impossible. 4 bytes after the header.
        let bytes = fixedHeader(firstByte: 0xA0) + [0x01, 0x02, 0x03, 0x00]
        #expect(throws: RTPError.badPadding(length: 0, available: 4)) { try RTPPacket(parsing: bytes) }
    }

    @Test func paddingLargerThanThePayload() {
        // P=1 and the last byte says 5, but only 4 bytes follow the header.
        let bytes = fixedHeader(firstByte: 0xA0) + [0x01, 0x02, 0x03, 0x05]
        #expect(throws: RTPError.badPadding(length: 5, available: 4)) { try RTPPacket(parsing: bytes) }
        // P=1 with nothing after the header: the "count" would be the SSRC's last byte (0x04), reaching into it.
        #expect(throws: RTPError.badPadding(length: 4, available: 0)) {
            try RTPPacket(parsing: fixedHeader(firstByte: 0xA0))
        }
    }

    @Test func writeIntoTooSmallBuffer() {
        let plain = HeaderFixtures.all[0].header
        var eleven = [UInt8](repeating: 0, count: 11)
        #expect(throws: RTPError.bufferTooSmall(needed: 12, available: 11)) {
            try eleven.withUnsafeMutableBytes { raw throws(RTPError) in try plain.write(to: raw) }
        }
        // With two CSRCs the header is 20 bytes.
        let withCSRCs = HeaderFixtures.all[4].header
        var sixteen = [UInt8](repeating: 0, count: 16)
        #expect(throws: RTPError.bufferTooSmall(needed: 20, available: 16)) {
            try sixteen.withUnsafeMutableBytes { raw throws(RTPError) in try withCSRCs.write(to: raw) }
        }
    }

    // MARK: - Payload types (RFC 3551 section 6)

    @Test func staticPayloadTypes() {
        // PT 10: L16, 44100 Hz, 2 channels; PT 11: L16, 44100 Hz, 1 channel.
        #expect(RTPPayloadType.staticType(encoding: .l16, sampleRate: 44_100, channelCount: 2) == 10)
        #expect(RTPPayloadType.staticType(encoding: .l16, sampleRate: 44_100, channelCount: 1) == 11)
        // No static type for anything else.
        #expect(RTPPayloadType.staticType(encoding: .l16, sampleRate: 48_000, channelCount: 2) == nil)
        #expect(RTPPayloadType.staticType(encoding: .l16, sampleRate: 44_100, channelCount: 3) == nil)
        #expect(RTPPayloadType.staticType(encoding: .l24, sampleRate: 44_100, channelCount: 2) == nil)
        #expect(RTPPayloadType.staticType(encoding: .l24, sampleRate: 44_100, channelCount: 1) == nil)
    }

    @Test func allowedPayloadTypes() {
        // 10 and 11 only for L16 44.1 kHz stereo and mono respectively.
        #expect(RTPPayloadType.allows(10, encoding: .l16, sampleRate: 44_100, channelCount: 2))
        #expect(RTPPayloadType.allows(11, encoding: .l16, sampleRate: 44_100, channelCount: 1))
        #expect(!RTPPayloadType.allows(11, encoding: .l16, sampleRate: 44_100, channelCount: 2))
        #expect(!RTPPayloadType.allows(10, encoding: .l16, sampleRate: 44_100, channelCount: 1))
        #expect(!RTPPayloadType.allows(10, encoding: .l16, sampleRate: 48_000, channelCount: 2))
        #expect(!RTPPayloadType.allows(10, encoding: .l24, sampleRate: 44_100, channelCount: 2))
        #expect(!RTPPayloadType.allows(11, encoding: .l24, sampleRate: 44_100, channelCount: 1))
        // The dynamic range 96-127 carries anything.
        #expect(RTPPayloadType.allows(96, encoding: .l24, sampleRate: 96_000, channelCount: 8))
        #expect(RTPPayloadType.allows(127, encoding: .l16, sampleRate: 44_100, channelCount: 2))
        // Other static or unassigned numbers carry nothing of ours.
        #expect(!RTPPayloadType.allows(0, encoding: .l16, sampleRate: 8_000, channelCount: 1))
        #expect(!RTPPayloadType.allows(95, encoding: .l16, sampleRate: 48_000, channelCount: 2))
    }

    @Test func payloadEncodingNames() {
        #expect(AudioPayloadEncoding(name: "l16") == .l16)
        #expect(AudioPayloadEncoding(name: "L24") == .l24)
        #expect(AudioPayloadEncoding(name: "L20") == nil)
        #expect(AudioPayloadEncoding.l16.bytesPerSample == 2)
        #expect(AudioPayloadEncoding.l24.bytesPerSample == 3)
    }
}
