import RTP
import TestSupport
import Testing

/// The RTP and RTCP parsers are total: any bytes give a packet or an `RTPError`, never a trap. Seeded random
/// datagrams, and valid packets with bytes flipped and cut, stand in here for the fuzzers run apart.
@Suite struct ParserTotalityTests {
    static func randomBytes(_ random: inout SplitMix64, count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    @Test("20 000 random and mutated datagrams: every one parses or throws")
    func anyBytes() {
        var random = SplitMix64(state: 0x7075_7A7A)
        let seeds: [[UInt8]] = [
            RTCPPacket.compound([
                .senderReport(
                    RTCPSenderReport(
                        ssrc: 1, ntpTimestamp: NTPTimestamp(rawValue: 2), rtpTimestamp: 3, packetCount: 4,
                        octetCount: 5)),
                .sourceDescription(.init(chunks: [.init(ssrc: 1, items: [.init(type: 1, text: "a@b")])])),
                .goodbye(RTCPGoodbye(sources: [1], reason: "end")),
            ]),
            RTPHeader(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: [4, 5]).bytes + [1, 2, 3, 4],
        ]
        var parsed = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = Self.randomBytes(&random, count: Int(random.next() % 80))
                // Mostly version 2, so the parsers get past their first check.
                if !bytes.isEmpty && round % 4 == 0 { bytes[0] = bytes[0] & 0x3F | 0x80 }
            } else {
                bytes = seeds[round % seeds.count]
                for _ in 0..<(1 + random.next() % 4) {
                    let index = Int(random.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: random.next())
                }
                bytes.removeLast(Int(random.next() % UInt64(bytes.count / 2)))
            }
            if (try? RTPPacket(parsing: bytes)) != nil { parsed += 1 }
            if (try? RTCPPacket.parseCompound(bytes)) != nil { parsed += 1 }
        }
        // Some inputs are valid, most are not: both ways are exercised.
        #expect(parsed > 100 && parsed < 30_000)
    }
}
