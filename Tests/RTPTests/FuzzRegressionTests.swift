import RTP
import Testing

// Inputs the fuzz target Tests/Fuzz/RTCP (`.ci/fuzz rtcp`) trips on, each cut to the bytes that matter; the same bytes
// are seeds in Tests/Fuzz/Corpus/rtcp/regression-*.
//
// Both were one defect in two places: SDES item text and a BYE reason were decoded with `String(decoding:as:)`, which
// replaces each invalid UTF-8 byte with U+FFFD (three bytes), so a text of at most 255 bytes on the wire could hold
// up to 765 once parsed; the encoder then kept `utf8.prefix(255)`, and the packet re-encoded parsed to another
// text. Text that is not UTF-8 now has each byte above 0x7F read as `?`, byte for byte.

/// 86 bytes of 0xFF: 86 x U+FFFD once parsed, 258 bytes of UTF-8, three more than a length octet counts.
private let invalidText = [UInt8](repeating: 0xFF, count: 86)

/// BYE with no sources and a reason of 86 invalid bytes.
/// Tests/Fuzz/Corpus/rtcp/regression-bye-reason-repaired-past-255.rtcp.
private let goodbyeWithInvalidReason: [UInt8] =
    [
        0x80,  // V=2 P=0 SC=0
        0xCB,  // PT=BYE=203
        0x00, 0x16,  // length 22: (4 + 88) bytes / 4 - 1
        0x56,  // reason length 86
    ] + invalidText
    + [
        0x00  // 1 + 86 = 87 reason bytes + 1 null = 88, a 32-bit boundary
    ]

/// SDES, one chunk: a CNAME of 86 invalid bytes. Tests/Fuzz/Corpus/rtcp/regression-sdes-item-repaired-past-255.rtcp.
private let sourceDescriptionWithInvalidName: [UInt8] =
    [
        0x81,  // V=2 P=0 SC=1
        0xCA,  // PT=SDES=202
        0x00, 0x18,  // length 24: (4 + 96) bytes / 4 - 1
        0x01, 0x02, 0x03, 0x04,  // chunk 1: SSRC
        0x01,  // item type 1: CNAME
        0x56,  // item length 86
    ] + invalidText
    + [
        0x00, 0x00, 0x00, 0x00,  // 2 + 86 = 88 item bytes, already aligned: a whole word of nulls
    ]

/// 86 x `?`: the text each of the two packets is parsed to.
private let repairedText = String(repeating: "?", count: invalidText.count)

@Suite struct RTCPFuzzRegressionTests {
    /// Pinned: parsed, not refused, the text read as 86 x `?`. Each packet's structure is valid (RFC 3550 sections
    /// 6.5, 6.6); only its text is not the UTF-8 the RFC asks for, and refusing a compound for that would throw away
    /// the sender report beside it in real traffic. Read byte for byte with `?` for each byte above 0x7F, the text
    /// stays within the 255 bytes its length octet counts, the packet re-encodes to the bytes received with `?` in
    /// place of each 0xFF (the same length fields), and that parses to the same value.
    @Test(
        "an SDES item or BYE reason of invalid UTF-8 survives a round trip",
        arguments: [
            (goodbyeWithInvalidReason, RTCPPacket.goodbye(RTCPGoodbye(sources: [], reason: repairedText))),
            (
                sourceDescriptionWithInvalidName,
                RTCPPacket.sourceDescription(
                    RTCPSourceDescription(chunks: [
                        .init(
                            ssrc: 0x0102_0304,
                            items: [.init(type: RTCPSourceDescription.Item.canonicalName, text: repairedText)])
                    ]))
            ),
        ])
    func invalidTextRoundTrips(bytes: [UInt8], expected: RTCPPacket) throws {
        let packets = try RTCPPacket.parseCompound(bytes)
        #expect(packets == [expected])
        let encoded = RTCPPacket.compound(packets)
        #expect(encoded == bytes.map { $0 == 0xFF ? UInt8(ascii: "?") : $0 })
        #expect(try RTCPPacket.parseCompound(encoded) == packets)
    }
}
