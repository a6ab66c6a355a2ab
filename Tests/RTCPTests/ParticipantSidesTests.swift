import Interfaces
import RTCP
import RTP
import Testing

/// A socket that keeps what is sent, for the participant's sending path.
private final class KeptDatagrams: DatagramSocket, @unchecked Sendable {
    var sent: [(bytes: [UInt8], destination: Endpoint)] = []
    func send(_ bytes: UnsafeRawBufferPointer, to destination: Endpoint) -> SendResult {
        sent.append((Array(bytes), destination))
        return .sent
    }
    func receiveNow(into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, source: Endpoint)? { nil }
}

/// A receiving side that reports one block about a source it hears.
private struct HeardSource: RTCPReceiving {
    func reportBlocks(now: Int64) -> [RTCPReportBlock] {
        [
            RTCPReportBlock(
                ssrc: 0xABCD, fractionLost: 64, cumulativeLost: 3, extendedHighestSequence: 1000, jitter: 12,
                lastSenderReport: 0x7F00_8000, delaySinceLastSenderReport: 0x0001_0000)
        ]
    }
}

/// A sending side with a fixed report.
private struct FixedSender: RTCPSending {
    func senderReport(ssrc: UInt32, at now: ClockPair, start: ClockPair) -> RTCPSenderReport? {
        RTCPSenderReport(
            ssrc: ssrc, ntpTimestamp: NTPTimestamp(unixNanoseconds: now.wall), rtpTimestamp: 4800, packetCount: 100,
            octetCount: 9600)
    }
}

/// One participant type for both ends: what it sends depends on its sides alone (RFC 3550 section 6.4).
@Suite struct ParticipantSidesTests {
    let now = ClockPair(monotonic: 1_000_000_000, wall: 1_704_067_200_500_000_000)
    let receiverAddress = Endpoint.loopback(.ipv4, port: 5005)

    @Test("a receiver's compound: RR with its blocks, SDES CNAME, BYE at the end; sent to the sender named")
    func receiverSide() throws {
        let socket = KeptDatagrams()
        let participant = RTCPParticipant(
            ssrc: 0x1111, canonicalName: "rec@host", sampleRate: 48_000, socket: socket, destination: nil,
            isMultiplexed: false, sending: NotSending(), receiving: HeardSource())
        // No destination known yet: nothing leaves.
        #expect(!participant.send(at: now, start: now, goodbye: false))
        #expect(participant.send(at: now, start: now, to: receiverAddress, goodbye: true))
        let sent = try #require(socket.sent.first)
        #expect(sent.destination == receiverAddress && participant.sentPackets.load(ordering: .relaxed) == 1)
        let packets = try RTCPPacket.parseCompound(sent.bytes)
        guard case .receiverReport(let report) = packets[0] else {
            Issue.record("the first packet is not an RR: \(packets)")
            return
        }
        #expect(report.ssrc == 0x1111 && report.reports == HeardSource().reportBlocks(now: 0))
        guard case .sourceDescription(let description) = packets[1] else {
            Issue.record("no SDES: \(packets)")
            return
        }
        #expect(description.chunks.first?.canonicalName == "rec@host")
        #expect(packets.count == 3 && packets[2] == .goodbye(RTCPGoodbye(sources: [0x1111])))
    }

    @Test("a sender's compound: SR carrying the blocks of what it also hears; a sender hearing nothing has none")
    func senderSide() throws {
        let socket = KeptDatagrams()
        let both = RTCPParticipant(
            ssrc: 0x2222, canonicalName: "tx@host", sampleRate: 48_000, socket: socket, destination: receiverAddress,
            isMultiplexed: false, sending: FixedSender(), receiving: HeardSource())
        let packets = try RTCPPacket.parseCompound(both.compound(at: now, start: now, goodbye: false))
        guard case .senderReport(let report) = packets[0] else {
            Issue.record("the first packet is not an SR: \(packets)")
            return
        }
        #expect(report.ssrc == 0x2222 && report.packetCount == 100 && report.reports.count == 1)
        #expect(packets.count == 2)
        let senderOnly = RTCPParticipant(
            ssrc: 0x2222, canonicalName: "tx@host", sampleRate: 48_000, socket: socket, destination: receiverAddress,
            isMultiplexed: false, sending: FixedSender(), receiving: NotReceiving())
        let bytes = senderOnly.compound(at: now, start: now, goodbye: false)
        // V=2, no report blocks, PT 200, length 6: 28 bytes of SR.
        #expect(Array(bytes.prefix(4)) == [0x80, 200, 0x00, 0x06])
    }
}
