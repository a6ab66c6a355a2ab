import RTP
import TestSupport
import Testing

// Byte fixtures for RTCP (RFC 3550 section 6), derived by hand from the RFC's diagrams.
//
// Every packet starts with one word (section 6.4.1):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |V=2|P|  count  |      PT       |             length            |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Byte 0 = V(2 bits) P(1) count(5): 0x80 | count with no padding. PT: SR 200 = 0xC8, RR 201 = 0xC9,
// SDES 202 = 0xCA, BYE 203 = 0xCB, APP 204 = 0xCC. length = packet bytes / 4 - 1, header included.
//
// SR (6.4.1): SSRC, NTP seconds, NTP fraction, RTP timestamp, packet count, octet count = 24 bytes, then
// 24 bytes per report block. RR (6.4.2): SSRC = 4 bytes, then the blocks. A report block: SSRC_n, fraction
// lost (8 bits) with cumulative lost (24 bits, signed), extended highest sequence number, jitter, LSR, DLSR.
// SDES (6.5): per chunk an SSRC then items (type, length, text), ended by one to four null octets that bring
// the chunk to a 32-bit boundary. BYE (6.6): SSRCs, then optionally a length octet and a reason, padded with
// nulls to a 32-bit boundary.

/// Packets and the compound datagram they are on the wire.
struct RTCPFixture: Sendable, CustomTestStringConvertible {
    let note: String
    let packets: [RTCPPacket]
    let bytes: [UInt8]
    var testDescription: String { note }
}

/// SSRCs used throughout, chosen so every byte differs.
private let senderSSRC: UInt32 = 0x0102_0304
private let sourceSSRC: UInt32 = 0x0A0B_0C0D
private let reporterSSRC: UInt32 = 0x1234_5678

enum RTCPFixtures {
    // MARK: SR, section 6.4.1

    static let senderReport = RTCPFixture(
        note: "SR without report blocks",
        packets: [
            .senderReport(
                RTCPSenderReport(
                    ssrc: senderSSRC, ntpTimestamp: NTPTimestamp(rawValue: 0x83AA_7E81_4000_0000),
                    rtpTimestamp: 0xDEAD_BEEF, packetCount: 16, octetCount: 0x0001_E000))
        ],
        bytes: [
            0x80,  // V=2 P=0 RC=0: 0b10_0_00000
            0xC8,  // PT=SR=200
            0x00, 0x06,  // length 6: 28 bytes / 4 - 1
            0x01, 0x02, 0x03, 0x04,  // SSRC of sender
            0x83, 0xAA, 0x7E, 0x81,  // NTP seconds: Unix epoch 0x83AA7E80 + 1 s
            0x40, 0x00, 0x00, 0x00,  // NTP fraction 0x40000000 = 0.25 s
            0xDE, 0xAD, 0xBE, 0xEF,  // RTP timestamp
            0x00, 0x00, 0x00, 0x10,  // sender's packet count 16
            0x00, 0x01, 0xE0, 0x00,  // sender's octet count 122 880 = 0x1E000
        ])

    static let senderReportWithBlock = RTCPFixture(
        note: "SR with one report block",
        packets: [
            .senderReport(
                RTCPSenderReport(
                    ssrc: senderSSRC, ntpTimestamp: NTPTimestamp(rawValue: 0x83AA_7E81_4000_0000),
                    rtpTimestamp: 0xDEAD_BEEF, packetCount: 16, octetCount: 0x0001_E000,
                    reports: [
                        RTCPReportBlock(
                            ssrc: sourceSSRC, fractionLost: 64, cumulativeLost: -1,
                            extendedHighestSequence: 0x0001_0005, jitter: 480, lastSenderReport: 0x7E81_4000,
                            delaySinceLastSenderReport: 0x0001_8000)
                    ]))
        ],
        bytes: [
            0x81,  // V=2 P=0 RC=1
            0xC8,  // PT=SR=200
            0x00, 0x0C,  // length 12: (28 + 24) bytes / 4 - 1
            0x01, 0x02, 0x03, 0x04,  // SSRC of sender
            0x83, 0xAA, 0x7E, 0x81,  // NTP seconds
            0x40, 0x00, 0x00, 0x00,  // NTP fraction
            0xDE, 0xAD, 0xBE, 0xEF,  // RTP timestamp
            0x00, 0x00, 0x00, 0x10,  // sender's packet count 16
            0x00, 0x01, 0xE0, 0x00,  // sender's octet count 122 880
            0x0A, 0x0B, 0x0C, 0x0D,  // block 1: SSRC_1
            0x40,  // fraction lost 64/256 = 25 %
            0xFF, 0xFF, 0xFF,  // cumulative lost -1: 24-bit two's complement
            0x00, 0x01, 0x00, 0x05,  // extended highest sequence: 1 cycle, sequence 5
            0x00, 0x00, 0x01, 0xE0,  // jitter 480 timestamp units
            0x7E, 0x81, 0x40, 0x00,  // LSR: middle 32 bits of NTP 0x83AA7E81_40000000
            0x00, 0x01, 0x80, 0x00,  // DLSR 0x18000 / 65536 = 1.5 s
        ])

    // MARK: RR, section 6.4.2

    static let receiverReport = RTCPFixture(
        note: "RR with one report block",
        packets: [
            .receiverReport(
                RTCPReceiverReport(
                    ssrc: reporterSSRC,
                    reports: [
                        RTCPReportBlock(
                            ssrc: senderSSRC, fractionLost: 0, cumulativeLost: 3, extendedHighestSequence: 0xFFFF,
                            jitter: 0, lastSenderReport: 0, delaySinceLastSenderReport: 0)
                    ]))
        ],
        bytes: [
            0x81,  // V=2 P=0 RC=1
            0xC9,  // PT=RR=201
            0x00, 0x07,  // length 7: (8 + 24) bytes / 4 - 1
            0x12, 0x34, 0x56, 0x78,  // SSRC of packet sender (the reporter)
            0x01, 0x02, 0x03, 0x04,  // block 1: SSRC_1, the source reported on
            0x00,  // fraction lost 0
            0x00, 0x00, 0x03,  // cumulative lost 3
            0x00, 0x00, 0xFF, 0xFF,  // extended highest sequence: 0 cycles, sequence 65535
            0x00, 0x00, 0x00, 0x00,  // jitter 0
            0x00, 0x00, 0x00, 0x00,  // LSR 0: no SR received yet
            0x00, 0x00, 0x00, 0x00,  // DLSR 0
        ])

    static let emptyReceiverReport = RTCPFixture(
        note: "RR without report blocks (nothing received yet)",
        packets: [.receiverReport(RTCPReceiverReport(ssrc: reporterSSRC, reports: []))],
        bytes: [
            0x80,  // V=2 P=0 RC=0
            0xC9,  // PT=RR=201
            0x00, 0x01,  // length 1: 8 bytes / 4 - 1
            0x12, 0x34, 0x56, 0x78,  // SSRC of packet sender
        ])

    static let receiverReportExtremes = RTCPFixture(
        note: "RR with two blocks at the limits of the 24-bit cumulative loss",
        packets: [
            .receiverReport(
                RTCPReceiverReport(
                    ssrc: reporterSSRC,
                    reports: [
                        RTCPReportBlock(
                            ssrc: senderSSRC, fractionLost: 255, cumulativeLost: 8_388_607,
                            extendedHighestSequence: 0xFFFF_FFFF, jitter: 0xFFFF_FFFF, lastSenderReport: 0xFFFF_FFFF,
                            delaySinceLastSenderReport: 0xFFFF_FFFF),
                        RTCPReportBlock(
                            ssrc: sourceSSRC, fractionLost: 1, cumulativeLost: -8_388_608,
                            extendedHighestSequence: 0x0002_0000, jitter: 1, lastSenderReport: 0x0000_0001,
                            delaySinceLastSenderReport: 0x0000_0001),
                    ]))
        ],
        bytes: [
            0x82,  // V=2 P=0 RC=2
            0xC9,  // PT=RR=201
            0x00, 0x0D,  // length 13: (8 + 2 x 24) bytes / 4 - 1
            0x12, 0x34, 0x56, 0x78,  // SSRC of packet sender
            0x01, 0x02, 0x03, 0x04,  // block 1: SSRC_1
            0xFF,  // fraction lost 255/256
            0x7F, 0xFF, 0xFF,  // cumulative lost +8 388 607 = 2^23 - 1, the largest
            0xFF, 0xFF, 0xFF, 0xFF,  // extended highest sequence: all ones
            0xFF, 0xFF, 0xFF, 0xFF,  // jitter: all ones
            0xFF, 0xFF, 0xFF, 0xFF,  // LSR: all ones
            0xFF, 0xFF, 0xFF, 0xFF,  // DLSR: all ones
            0x0A, 0x0B, 0x0C, 0x0D,  // block 2: SSRC_2
            0x01,  // fraction lost 1/256
            0x80, 0x00, 0x00,  // cumulative lost -8 388 608 = -2^23, the smallest
            0x00, 0x02, 0x00, 0x00,  // extended highest sequence: 2 cycles, sequence 0
            0x00, 0x00, 0x00, 0x01,  // jitter 1
            0x00, 0x00, 0x00, 0x01,  // LSR 1
            0x00, 0x00, 0x00, 0x01,  // DLSR 1
        ])

    // MARK: SDES, section 6.5

    static let sourceDescription = RTCPFixture(
        note: "SDES, one chunk, CNAME a@b",
        packets: [
            .sourceDescription(
                RTCPSourceDescription(chunks: [
                    .init(ssrc: senderSSRC, items: [.init(type: RTCPSourceDescription.Item.canonicalName, text: "a@b")])
                ]))
        ],
        bytes: [
            0x81,  // V=2 P=0 SC=1
            0xCA,  // PT=SDES=202
            0x00, 0x03,  // length 3: (4 + 12) bytes / 4 - 1
            0x01, 0x02, 0x03, 0x04,  // chunk 1: SSRC
            0x01,  // item type 1: CNAME
            0x03,  // item length 3
            0x61, 0x40, 0x62,  // "a@b"
            0x00, 0x00, 0x00,  // end of list: 2 + 3 = 5 item bytes + 3 nulls = 8, a 12-byte chunk
        ])

    static let sourceDescriptionOnBoundary = RTCPFixture(
        note: "SDES, items ending on a 32-bit boundary: a whole word of nulls",
        packets: [
            .sourceDescription(
                RTCPSourceDescription(chunks: [
                    .init(
                        ssrc: senderSSRC, items: [.init(type: RTCPSourceDescription.Item.canonicalName, text: "abcdef")]
                    )
                ]))
        ],
        bytes: [
            0x81,  // V=2 P=0 SC=1
            0xCA,  // PT=SDES=202
            0x00, 0x04,  // length 4: (4 + 16) bytes / 4 - 1
            0x01, 0x02, 0x03, 0x04,  // chunk 1: SSRC
            0x01,  // item type 1: CNAME
            0x06,  // item length 6
            0x61, 0x62, 0x63, 0x64, 0x65, 0x66,  // "abcdef"
            0x00, 0x00, 0x00, 0x00,  // 8 item bytes, already aligned: at least one null, so four
        ])

    static let sourceDescriptionTwoChunks = RTCPFixture(
        note: "SDES, two chunks: CNAME + TOOL, then no items",
        packets: [
            .sourceDescription(
                RTCPSourceDescription(chunks: [
                    .init(
                        ssrc: senderSSRC,
                        items: [
                            .init(type: RTCPSourceDescription.Item.canonicalName, text: "x"),
                            .init(type: RTCPSourceDescription.Item.tool, text: "ab"),
                        ]),
                    .init(ssrc: sourceSSRC, items: []),
                ]))
        ],
        bytes: [
            0x82,  // V=2 P=0 SC=2
            0xCA,  // PT=SDES=202
            0x00, 0x05,  // length 5: (4 + 12 + 8) bytes / 4 - 1
            0x01, 0x02, 0x03, 0x04,  // chunk 1: SSRC
            0x01, 0x01, 0x78,  // CNAME, length 1, "x"
            0x06, 0x02, 0x61, 0x62,  // TOOL (type 6), length 2, "ab"
            0x00,  // 3 + 4 = 7 item bytes + 1 null = 8
            0x0A, 0x0B, 0x0C, 0x0D,  // chunk 2: SSRC
            0x00, 0x00, 0x00, 0x00,  // no items: the null that ends the list, padded to a word
        ])

    // MARK: BYE, section 6.6

    static let goodbye = RTCPFixture(
        note: "BYE, one source, no reason",
        packets: [.goodbye(RTCPGoodbye(sources: [senderSSRC]))],
        bytes: [
            0x81,  // V=2 P=0 SC=1
            0xCB,  // PT=BYE=203
            0x00, 0x01,  // length 1: 8 bytes / 4 - 1
            0x01, 0x02, 0x03, 0x04,  // SSRC
        ])

    static let goodbyeTwoSources = RTCPFixture(
        note: "BYE, two sources, no reason",
        packets: [.goodbye(RTCPGoodbye(sources: [senderSSRC, sourceSSRC]))],
        bytes: [
            0x82,  // V=2 P=0 SC=2
            0xCB,  // PT=BYE=203
            0x00, 0x02,  // length 2: 12 bytes / 4 - 1
            0x01, 0x02, 0x03, 0x04,  // SSRC 1
            0x0A, 0x0B, 0x0C, 0x0D,  // SSRC 2
        ])

    static let goodbyeWithReason = RTCPFixture(
        note: "BYE with a reason padded to a word",
        packets: [.goodbye(RTCPGoodbye(sources: [senderSSRC], reason: "done"))],
        bytes: [
            0x81,  // V=2 P=0 SC=1
            0xCB,  // PT=BYE=203
            0x00, 0x03,  // length 3: 16 bytes / 4 - 1
            0x01, 0x02, 0x03, 0x04,  // SSRC
            0x04,  // reason length 4
            0x64, 0x6F, 0x6E, 0x65,  // "done"
            0x00, 0x00, 0x00,  // 1 + 4 = 5 bytes, 3 nulls to the word boundary
        ])

    static let goodbyeWithAlignedReason = RTCPFixture(
        note: "BYE with a reason that fills its word exactly",
        packets: [.goodbye(RTCPGoodbye(sources: [senderSSRC], reason: "bye"))],
        bytes: [
            0x81,  // V=2 P=0 SC=1
            0xCB,  // PT=BYE=203
            0x00, 0x02,  // length 2: 12 bytes / 4 - 1
            0x01, 0x02, 0x03, 0x04,  // SSRC
            0x03,  // reason length 3
            0x62, 0x79, 0x65,  // "bye": 1 + 3 = 4 bytes, no padding
        ])

    // MARK: Packet types kept as they are

    static let application = RTCPFixture(
        note: "APP (PT 204) kept as .other",
        packets: [.other(type: 204, count: 1, body: [0x01, 0x02, 0x03, 0x04, 0x54, 0x45, 0x53, 0x54])],
        bytes: [
            0x81,  // V=2 P=0 subtype=1
            0xCC,  // PT=APP=204
            0x00, 0x02,  // length 2: 12 bytes / 4 - 1
            0x01, 0x02, 0x03, 0x04,  // SSRC
            0x54, 0x45, 0x53, 0x54,  // name "TEST"
        ])

    /// A length field above 255, to pin its high byte: 1024 body bytes + 4 = 1028 bytes = 257 words.
    static let longApplication = RTCPFixture(
        note: "APP with a 1024-byte body: length field 0x0100",
        packets: [.other(type: 204, count: 0, body: (0..<1024).map { UInt8(truncatingIfNeeded: $0) })],
        bytes: [
            0x80,  // V=2 P=0 subtype=0
            0xCC,  // PT=APP=204
            0x01, 0x00,  // length 256: 1028 bytes / 4 - 1
        ] + (0..<1024).map { UInt8(truncatingIfNeeded: $0) })  // body 0, 1, ..., 255, 0, 1, ...

    // MARK: Compound packets, section 6.1

    static let senderCompound = RTCPFixture(
        note: "compound SR + SDES + BYE, as a sender ends",
        packets: senderReportWithBlock.packets + sourceDescription.packets + goodbyeWithReason.packets,
        bytes: senderReportWithBlock.bytes + sourceDescription.bytes + goodbyeWithReason.bytes)

    static let receiverCompound = RTCPFixture(
        note: "compound RR + SDES, as a receiver reports",
        packets: receiverReport.packets + sourceDescriptionTwoChunks.packets,
        bytes: receiverReport.bytes + sourceDescriptionTwoChunks.bytes)

    static let all = [
        senderReport, senderReportWithBlock, receiverReport, emptyReceiverReport, receiverReportExtremes,
        sourceDescription, sourceDescriptionOnBoundary, sourceDescriptionTwoChunks, goodbye, goodbyeTwoSources,
        goodbyeWithReason, goodbyeWithAlignedReason, application, longApplication, senderCompound, receiverCompound,
    ]
}

/// Bytes that are not a valid compound packet and the error they give (nil: any RTPError will do, where the
/// exact figures of a truncation are the reader's business).
struct MalformedRTCP: Sendable, CustomTestStringConvertible {
    let note: String
    let bytes: [UInt8]
    let error: RTPError?
    var testDescription: String { note }
}

enum MalformedRTCPCorpus {
    /// An empty RR from `reporterSSRC`, 8 bytes.
    static let emptyRR: [UInt8] = RTCPFixtures.emptyReceiverReport.bytes
    /// A BYE for `senderSSRC`, 8 bytes.
    static let bye: [UInt8] = RTCPFixtures.goodbye.bytes

    static let all: [MalformedRTCP] = [
        MalformedRTCP(note: "empty datagram", bytes: [], error: .empty),
        MalformedRTCP(
            note: "3 bytes: less than a header", bytes: [0x80, 0xC9, 0x00],
            error: .truncated(needed: 4, available: 3)),
        MalformedRTCP(
            note: "version 0", bytes: [0x00, 0xC9, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78], error: .unsupportedVersion(0)),
        MalformedRTCP(
            note: "version 1", bytes: [0x40, 0xC9, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78], error: .unsupportedVersion(1)),
        MalformedRTCP(
            note: "version 3", bytes: [0xC0, 0xC9, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78], error: .unsupportedVersion(3)),
        MalformedRTCP(
            note: "version 1 in the second packet of a compound",
            bytes: RTCPFixtures.senderReport.bytes + [0x40, 0xCB, 0x00, 0x00], error: .unsupportedVersion(1)),
        MalformedRTCP(
            note: "length field beyond the datagram: 32 bytes announced, 8 there",
            bytes: [0x81, 0xC9, 0x00, 0x07, 0x12, 0x34, 0x56, 0x78], error: .truncated(needed: 32, available: 8)),
        MalformedRTCP(
            note: "length field one word too long",
            bytes: [0x80, 0xC8, 0x00, 0x07] + RTCPFixtures.senderReport.bytes.dropFirst(4),
            error: .truncated(needed: 32, available: 28)),
        MalformedRTCP(
            note: "length field 0xFFFF on a lone header", bytes: [0x80, 0xC9, 0xFF, 0xFF],
            error: .truncated(needed: 262_144, available: 4)),
        MalformedRTCP(
            note: "a valid RR and two stray bytes", bytes: emptyRR + [0x80, 0xC9],
            error: .truncated(needed: 12, available: 10)),
        MalformedRTCP(
            note: "SR with length field 0 and its body following",
            bytes: [0x80, 0xC8, 0x00, 0x00] + RTCPFixtures.senderReport.bytes.dropFirst(4), error: nil),
        MalformedRTCP(
            note: "RR with length field 0 and its SSRC following",
            bytes: [0x80, 0xC9, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78], error: nil),
        MalformedRTCP(
            note: "SR shorter than its 24 fixed bytes", bytes: [0x80, 0xC8, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04],
            error: nil),
        MalformedRTCP(
            note: "RR with RC=31 and no blocks", bytes: [0x9F, 0xC9, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78],
            error: .countBeyondLength(count: 31, type: 201)),
        MalformedRTCP(
            note: "RR with RC=2 and one block", bytes: [0x82] + RTCPFixtures.receiverReport.bytes.dropFirst(),
            error: .countBeyondLength(count: 2, type: 201)),
        MalformedRTCP(
            note: "SR with RC=1 and no block", bytes: [0x81] + RTCPFixtures.senderReport.bytes.dropFirst(),
            error: .countBeyondLength(count: 1, type: 200)),
        MalformedRTCP(
            note: "BYE with SC=31 and one SSRC", bytes: [0x9F, 0xCB, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04],
            error: .countBeyondLength(count: 31, type: 203)),
        MalformedRTCP(
            note: "BYE reason longer than the packet",
            bytes: [0x81, 0xCB, 0x00, 0x02, 0x01, 0x02, 0x03, 0x04, 0x09, 0x61, 0x62, 0x63], error: nil),
        MalformedRTCP(
            note: "SDES item length beyond its packet, another packet following",
            bytes: [0x81, 0xCA, 0x00, 0x02, 0x01, 0x02, 0x03, 0x04, 0x01, 0x09, 0x61, 0x62] + bye, error: nil),
        MalformedRTCP(
            note: "SDES chunk without a null terminator",
            bytes: [0x81, 0xCA, 0x00, 0x02, 0x01, 0x02, 0x03, 0x04, 0x01, 0x02, 0x61, 0x62], error: nil),
        MalformedRTCP(
            note: "SDES with SC=2 and one chunk", bytes: [0x82] + RTCPFixtures.sourceDescription.bytes.dropFirst(),
            error: nil),
        MalformedRTCP(note: "SDES with SC=1 and no body", bytes: [0x81, 0xCA, 0x00, 0x00], error: nil),
        MalformedRTCP(
            note: "padding bit set, padding count 0",
            bytes: [0xA0, 0xC9, 0x00, 0x02, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00],
            error: .badPadding(length: 0, available: 8)),
        MalformedRTCP(
            note: "padding count 9, one more than the 8 bytes after the header",
            bytes: [0xA0, 0xC9, 0x00, 0x02, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x09],
            error: .badPadding(length: 9, available: 8)),
        MalformedRTCP(
            note: "padding count 255 in a 12-byte packet",
            bytes: [0xA0, 0xC9, 0x00, 0x02, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0xFF],
            error: .badPadding(length: 255, available: 8)),
        MalformedRTCP(
            note: "padding that swallows the RR's SSRC",
            bytes: [0xA0, 0xC9, 0x00, 0x02, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x08], error: nil),
        MalformedRTCP(
            note: "padding on the first packet of a compound",
            bytes: [0xA0, 0xC9, 0x00, 0x02, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x04] + bye,
            error: .paddingNotLast),
    ]
}

/// Cumulative losses and their 24-bit fields.
private let cumulativeLostFields: [(Int32, [UInt8])] = [
    (0, [0x00, 0x00, 0x00]),
    (3, [0x00, 0x00, 0x03]),
    (65_536, [0x01, 0x00, 0x00]),
    (8_388_607, [0x7F, 0xFF, 0xFF]),  // 2^23 - 1, the largest
    (-1, [0xFF, 0xFF, 0xFF]),
    (-2, [0xFF, 0xFF, 0xFE]),
    (-256, [0xFF, 0xFF, 0x00]),
    (-8_388_608, [0x80, 0x00, 0x00]),  // -2^23, the smallest
]

/// What parsing some bytes came to, for the property loops.
private enum Outcome {
    case packets([RTCPPacket])
    case error(RTPError)

    init(_ bytes: [UInt8]) {
        do {
            self = .packets(try RTCPPacket.parseCompound(bytes))
        } catch {
            self = .error(error)
        }
    }
}

/// Checks what must hold for any bytes whatever the outcome: a datagram that parses is a non-empty whole number
/// of words with at least one word per packet; `.empty` is the empty datagram's error alone; a version error
/// names a version other than 2.
private func checkInvariants(_ bytes: [UInt8], _ outcome: Outcome, sourceLocation: SourceLocation = #_sourceLocation) {
    switch outcome {
    case .packets(let packets):
        #expect(!bytes.isEmpty && bytes.count % 4 == 0, sourceLocation: sourceLocation)
        #expect(!packets.isEmpty && packets.count <= bytes.count / 4, sourceLocation: sourceLocation)
    case .error(.empty):
        #expect(bytes.isEmpty, sourceLocation: sourceLocation)
    case .error(.unsupportedVersion(let version)):
        #expect(version != 2, sourceLocation: sourceLocation)
    case .error:
        #expect(!bytes.isEmpty, sourceLocation: sourceLocation)
    }
}

@Suite struct RTCPPacketTests {
    // MARK: Fixtures, both directions

    @Test(arguments: RTCPFixtures.all)
    func composes(_ fixture: RTCPFixture) {
        #expect(RTCPPacket.compound(fixture.packets) == fixture.bytes)
        // One packet at a time gives the same bytes.
        #expect(fixture.packets.flatMap(\.bytes) == fixture.bytes)
    }

    @Test(arguments: RTCPFixtures.all)
    func parses(_ fixture: RTCPFixture) throws {
        #expect(try RTCPPacket.parseCompound(fixture.bytes) == fixture.packets)
    }

    /// The canonical name of a chunk is its CNAME item, wherever it stands among the items.
    @Test func chunkCanonicalName() throws {
        let packets = try RTCPPacket.parseCompound(RTCPFixtures.sourceDescriptionTwoChunks.bytes)
        guard case .sourceDescription(let description) = packets.first else {
            Issue.record("expected SDES, got \(packets)")
            return
        }
        #expect(description.chunks.map(\.canonicalName) == ["x", nil])
        let toolFirst = RTCPSourceDescription.Chunk(
            ssrc: 1, items: [.init(type: RTCPSourceDescription.Item.tool, text: "t"), .init(type: 1, text: "c@h")])
        #expect(toolFirst.canonicalName == "c@h")
    }

    /// The 24-bit cumulative loss in bytes 13-15 of a one-block RR (header 4, SSRC 4, SSRC_1 4, fraction 1):
    /// two's complement, sign-extended when read.
    @Test(arguments: cumulativeLostFields)
    func cumulativeLost(value: Int32, field: [UInt8]) throws {
        let block = RTCPReportBlock(
            ssrc: senderSSRC, fractionLost: 0x33, cumulativeLost: value, extendedHighestSequence: 0, jitter: 0,
            lastSenderReport: 0, delaySinceLastSenderReport: 0)
        let packet = RTCPPacket.receiverReport(RTCPReceiverReport(ssrc: reporterSSRC, reports: [block]))
        let bytes = RTCPPacket.compound([packet])
        #expect(bytes.count == 32)
        #expect(bytes[12] == 0x33)  // the fraction stays in its own byte
        #expect(Array(bytes[13..<16]) == field)
        #expect(try RTCPPacket.parseCompound(bytes) == [packet])
    }

    /// Padding on the last packet (P=1, the last octet counting the padding) is accepted and left out.
    @Test func paddingOnTheLastPacket() throws {
        let paddedBye: [UInt8] = [
            0xA1,  // V=2 P=1 SC=1
            0xCB,  // PT=BYE=203
            0x00, 0x02,  // length 2: 12 bytes, padding included
            0x01, 0x02, 0x03, 0x04,  // SSRC
            0x00, 0x00, 0x00, 0x04,  // 4 bytes of padding, the last one counting them
        ]
        #expect(try RTCPPacket.parseCompound(paddedBye) == RTCPFixtures.goodbye.packets)

        let paddedDescription: [UInt8] = [
            0xA1,  // V=2 P=1 SC=1
            0xCA,  // PT=SDES=202
            0x00, 0x04,  // length 4: 20 bytes, padding included
            0x01, 0x02, 0x03, 0x04,  // chunk 1: SSRC
            0x01, 0x03, 0x61, 0x40, 0x62,  // CNAME, length 3, "a@b"
            0x00, 0x00, 0x00,  // end of the item list
            0x00, 0x00, 0x00, 0x04,  // 4 bytes of padding
        ]
        #expect(
            try RTCPPacket.parseCompound(RTCPFixtures.senderReport.bytes + paddedDescription)
                == RTCPFixtures.senderReport.packets + RTCPFixtures.sourceDescription.packets)

        let paddedApplication: [UInt8] = [
            0xA1,  // V=2 P=1 subtype=1
            0xCC,  // PT=APP=204
            0x00, 0x03,  // length 3: 16 bytes, padding included
            0x01, 0x02, 0x03, 0x04,  // SSRC
            0x54, 0x45, 0x53, 0x54,  // name "TEST"
            0x00, 0x00, 0x00, 0x04,  // 4 bytes of padding, not part of the kept body
        ]
        #expect(try RTCPPacket.parseCompound(paddedApplication) == RTCPFixtures.application.packets)
    }

    /// Profile-specific extensions may follow the report blocks (RFC 3550 section 6.4.1): they are skipped.
    @Test func profileExtensionAfterTheBlocksIsSkipped() throws {
        let extended: [UInt8] =
            [
                0x81,  // V=2 P=0 RC=1
                0xC9,  // PT=RR=201
                0x00, 0x08,  // length 8: 36 bytes / 4 - 1, one word more than the block needs
            ]
            + RTCPFixtures.receiverReport.bytes.dropFirst(4)  // SSRC and the report block
            + [0xCA, 0xFE, 0xBA, 0xBE]  // profile-specific extension
        #expect(try RTCPPacket.parseCompound(extended) == RTCPFixtures.receiverReport.packets)
    }

    /// RC is 5 bits (RFC 3550 section 6.4.1): 31 report blocks are the most one RR can carry.
    @Test func thirtyOneReportBlocks() throws {
        let blocks = (0..<31).map { index in
            RTCPReportBlock(
                ssrc: UInt32(index), fractionLost: 0, cumulativeLost: 0, extendedHighestSequence: 0, jitter: 0,
                lastSenderReport: 0, delaySinceLastSenderReport: UInt32(index))
        }
        let packet = RTCPPacket.receiverReport(RTCPReceiverReport(ssrc: reporterSSRC, reports: blocks))
        let bytes = RTCPPacket.compound([packet])
        #expect(bytes.count == 8 + 31 * 24)
        #expect(bytes[0] == 0x9F)  // V=2 P=0 RC=31
        #expect(Array(bytes[2..<4]) == [0x00, 0xBB])  // length 187: 752 bytes / 4 - 1
        #expect(try RTCPPacket.parseCompound(bytes) == [packet])
    }

    /// More blocks than RC's 5 bits hold must not spill into the P bit: whatever `compound` makes of 32 blocks
    /// (RFC 3550 section 6.4.2 stacks a second RR), its own parser must read all 32 back.
    @Test func thirtyTwoReportBlocksSurviveTheRoundTrip() {
        let blocks = (0..<32).map { index in
            RTCPReportBlock(
                ssrc: UInt32(index), fractionLost: 0, cumulativeLost: 0, extendedHighestSequence: 0, jitter: 0,
                lastSenderReport: 0, delaySinceLastSenderReport: 0)
        }
        let bytes = RTCPPacket.compound([.receiverReport(RTCPReceiverReport(ssrc: reporterSSRC, reports: blocks))])
        #expect(bytes[0] & 0x20 == 0, "the P bit is set: count 32 = 0b100000 overflowed the 5-bit RC field")
        let parsed = Outcome(bytes)
        guard case .packets(let packets) = parsed else {
            Issue.record("the composed datagram does not parse: \(parsed)")
            return
        }
        let received = packets.flatMap { packet -> [RTCPReportBlock] in
            if case .receiverReport(let report) = packet { return report.reports }
            return []
        }
        #expect(received == blocks)
    }

    /// `bytes` promises a whole number of 32-bit words with a length field that agrees. A packet of a type this
    /// library keeps as `.other` can have a body that is not whole words: here an APP whose last padding octet
    /// says 1 (RFC 3550 section 6.4.1 says padding counts are multiples of four, but the parser takes any
    /// count), leaving an 11-byte body. Serialised again, the packet must still be whole words.
    @Test func otherPacketWithAnUnalignedBodySerialisesToWholeWords() throws {
        let paddedByOne: [UInt8] = [
            0xA1,  // V=2 P=1 subtype=1
            0xCC,  // PT=APP=204
            0x00, 0x03,  // length 3: 16 bytes
            0x01, 0x02, 0x03, 0x04,  // SSRC
            0x54, 0x45, 0x53, 0x54,  // name "TEST"
            0x00, 0x00, 0x00,  // application data
            0x01,  // padding count 1: this octet alone
        ]
        let packets = try RTCPPacket.parseCompound(paddedByOne)
        #expect(packets == [.other(type: 204, count: 1, body: Array(paddedByOne[4..<15]))])
        let bytes = RTCPPacket.compound(packets)
        #expect(bytes.count % 4 == 0, "\(bytes.count) bytes")
        // The length field counts the words there are: (length + 1) x 4 bytes.
        #expect(bytes.count >= 4 && ((Int(bytes[2]) << 8 | Int(bytes[3])) + 1) * 4 == bytes.count)
        #expect(throws: Never.self) { try RTCPPacket.parseCompound(bytes) }
    }

    // MARK: Malformed input

    @Test(arguments: MalformedRTCPCorpus.all)
    func rejects(_ sample: MalformedRTCP) {
        if let error = sample.error {
            #expect(throws: error) { try RTCPPacket.parseCompound(sample.bytes) }
        } else {
            #expect(throws: RTPError.self) { try RTCPPacket.parseCompound(sample.bytes) }
        }
    }

    /// Every prefix of a valid compound parses to the packets it holds whole when it ends on a packet
    /// boundary, and throws otherwise; none crashes.
    @Test func everyPrefixParsesOrThrows() {
        let fixture = RTCPFixtures.senderCompound
        // SR with one block 52 bytes, SDES 16, BYE 16.
        let boundaries = [52: 1, 68: 2, 84: 3]
        #expect(fixture.bytes.count == 84)
        for length in 0...fixture.bytes.count {
            let prefix = Array(fixture.bytes.prefix(length))
            let outcome = Outcome(prefix)
            checkInvariants(prefix, outcome)
            if let count = boundaries[length] {
                guard case .packets(let packets) = outcome else {
                    Issue.record("prefix of \(length) bytes: \(outcome)")
                    continue
                }
                #expect(packets == Array(fixture.packets.prefix(count)), "prefix of \(length) bytes")
            } else if case .packets(let packets) = outcome {
                Issue.record("prefix of \(length) bytes, cut inside a packet, parsed as \(packets)")
            }
        }
    }

    /// Every single-bit change of a valid compound parses or throws; none crashes.
    @Test func everyBitFlipParsesOrThrows() {
        let original = RTCPFixtures.senderCompound.bytes + RTCPFixtures.sourceDescriptionTwoChunks.bytes
        var parsed = 0
        for index in original.indices {
            for bit in 0..<8 {
                var bytes = original
                bytes[index] ^= 1 << bit
                let outcome = Outcome(bytes)
                checkInvariants(bytes, outcome)
                if case .packets = outcome { parsed += 1 }
            }
        }
        // Flips inside SSRCs, timestamps and texts leave a valid datagram: most of them parse.
        #expect(parsed > original.count * 8 / 2)
    }

    /// 10 000 random datagrams of 0 to 200 bytes, half of them starting 0x80 (V=2, P=0, count 0) to get past the
    /// version check: each parses or throws.
    @Test func randomBytesNeverCrash() {
        var random = SplitMix64(state: 0x5254_4350)
        var outcomes = (parsed: 0, failed: 0)
        for index in 0..<10_000 {
            let count = Int.random(in: 0...200, using: &random)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            if index.isMultiple(of: 2), !bytes.isEmpty { bytes[0] = 0x80 }
            let outcome = Outcome(bytes)
            checkInvariants(bytes, outcome)
            if case .packets = outcome { outcomes.parsed += 1 } else { outcomes.failed += 1 }
        }
        #expect(outcomes.parsed + outcomes.failed == 10_000)
    }

    /// 10 000 random bodies behind a header that is right about them (V=2, P=0, a random count, PT 200 to 204,
    /// the true length), so the SR, RR, SDES and BYE parsers see arbitrary bodies: each parses or throws.
    @Test func randomBodiesNeverCrash() {
        var random = SplitMix64(state: 0x4259_4521)
        var parsedTypes: Set<UInt8> = []
        for _ in 0..<10_000 {
            let words = Int.random(in: 0...50, using: &random)
            let type = UInt8.random(in: 200...204, using: &random)
            let count = UInt8.random(in: 0...3, using: &random)
            let body = (0..<words * 4).map { _ in UInt8.random(in: 0...255, using: &random) }
            let bytes = [0x80 | count, type, UInt8(words >> 8), UInt8(words & 0xFF)] + body
            let outcome = Outcome(bytes)
            checkInvariants(bytes, outcome)
            if case .packets = outcome { parsedTypes.insert(type) }
        }
        // Random bodies are often long enough for SR, RR and BYE; APP always parses.
        #expect(parsedTypes.isSuperset(of: [200, 201, 203, 204]))
    }
}
