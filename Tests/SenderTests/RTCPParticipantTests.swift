import Interfaces
import Platform
import RTCP
import RTP
import Sender
import Synchronization
import Testing

// One track's RTCP participant (RFC 3550 section 6): the SR maps the wall clock (NTP) onto the media clock
// (RTP timestamp) at one instant, extrapolated from the stream's start on the monotonic clock; the receiver
// reports that come back are turned into loss, jitter and round-trip figures (section 6.4.1).

/// The SSRC `makeTrack` gives every track: "SSRC" in ASCII.
private let trackSSRC: UInt32 = 0x5353_5243
/// The receiver that reports in these tests.
private let reporterSSRC: UInt32 = 0x1234_5678

/// 2024-01-01T00:00:00.5Z: Unix 1 704 067 200 s + 0.5 s. In NTP: 1 704 067 200 + 2 208 988 800 = 3 913 056 000
/// = 0xE93C7F00 seconds, fraction 0x80000000; middle 32 bits 0x7F008000.
private let halfPastMidnight: Int64 = 1_704_067_200_500_000_000

/// A session for a mono L16 track of `sampleRate` whose socket is bound to 127.0.0.1 port 0 and whose
/// destination is a loopback port nothing is sent to unless `destination` says otherwise.
private func makeSession(
    sampleRate: Int = 48_000, initialTimestamp: UInt32 = 0, isMultiplexed: Bool = false,
    destination: Endpoint? = nil
) throws -> StreamParticipant {
    let (track, _) = try makeTrack(
        sampleRate: sampleRate, framesPerPacket: sampleRate / 1000, frames: sampleRate / 10,
        clock: ManualClock(time: 0), initialTimestamp: initialTimestamp)
    let socket = try UDPSocket(family: .ipv4)
    try socket.bind(to: .loopback(.ipv4, port: 0))
    return StreamParticipant(
        track: track, socket: socket, destination: destination ?? .loopback(.ipv4, port: 9),
        canonicalName: "test@host", isMultiplexed: isMultiplexed)
}

/// A 32-bit field, big-endian.
private func be32(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}

/// An RR from `reporterSSRC` with one report block, written field by field (RFC 3550 section 6.4.2).
private func receiverReport(
    about ssrc: UInt32 = trackSSRC, fractionLost: UInt8 = 64, cumulativeLost: [UInt8] = [0x00, 0x00, 0x03],
    jitter: UInt32 = 480, lastSenderReport: UInt32, delaySinceLastSenderReport: UInt32
) -> [UInt8] {
    [
        0x81,  // V=2 P=0 RC=1
        0xC9,  // PT=RR=201
        0x00, 0x07,  // length 7: 32 bytes / 4 - 1
    ]
        + be32(reporterSSRC)  // SSRC of packet sender
        + be32(ssrc)  // SSRC_1: the source reported on
        + [fractionLost]  // fraction lost, of 256
        + cumulativeLost  // cumulative lost, 24-bit two's complement
        + be32(0x0000_1000)  // extended highest sequence 4096
        + be32(jitter)  // interarrival jitter, in timestamp units
        + be32(lastSenderReport)  // LSR
        + be32(delaySinceLastSenderReport)  // DLSR, 1/65536 s
}

/// An SDES with one chunk: `reporterSSRC`, CNAME "rx@host" (RFC 3550 section 6.5).
private let receiverDescription: [UInt8] = [
    0x81,  // V=2 P=0 SC=1
    0xCA,  // PT=SDES=202
    0x00, 0x04,  // length 4: 20 bytes / 4 - 1
    0x12, 0x34, 0x56, 0x78,  // chunk 1: SSRC of the reporter
    0x01,  // item type 1: CNAME
    0x07,  // item length 7
    0x72, 0x78, 0x40, 0x68, 0x6F, 0x73, 0x74,  // "rx@host"
    0x00, 0x00, 0x00,  // 2 + 7 = 9 item bytes + 3 nulls = 12
]

/// RTT = arrival middle 32 bits - LSR - DLSR in 1/65536 s. 5 ms is 327.68 units, not a whole number: the
/// nearest is 328 units = 328 x 1000 / 65536 = 5.0048828125 ms, which the JSON shows as 5.005.
private let roundTripUnits: UInt32 = 328
private let roundTripMilliseconds = 5.004_882_812_5

/// The RR + SDES compound a receiver sends, arriving at `halfPastMidnight` with a round trip of 328 units:
/// DLSR 1 s = 0x10000, LSR = 0x7F008000 - 0x10000 - 328 = 0x7EFF7EB8.
private let receiverCompound =
    receiverReport(lastSenderReport: 0x7EFF_7EB8, delaySinceLastSenderReport: 0x0001_0000) + receiverDescription

private let receiverAddress = Endpoint.loopback(.ipv4, port: 5004)

/// When the stream's first frame was due, for the JSON's anchor: one minute before `halfPastMidnight`.
private let streamStart = ClockPair(monotonic: 63_000_000_000, wall: halfPastMidnight - 60_000_000_000)

private func arrival(wall: Int64 = halfPastMidnight) -> ClockPair {
    ClockPair(monotonic: 123_000_000_000, wall: wall)
}

@Suite struct RTCPParticipantTests {
    // MARK: Sender reports

    @Test func senderReportCarriesTheWallClockAsNTP() throws {
        let session = try makeSession()
        let start = ClockPair(monotonic: 1_000_000_000, wall: halfPastMidnight - 2_000_000_000)
        let now = ClockPair(monotonic: 3_000_000_000, wall: halfPastMidnight)
        let report = session.senderReport(at: now, start: start)
        #expect(report.ntpTimestamp.rawValue == 0xE93C_7F00_8000_0000)
        #expect(report.ntpTimestamp == NTPTimestamp(unixNanoseconds: now.wall))
        #expect(report.ssrc == trackSSRC)
        // Two seconds of 48 kHz after the start.
        #expect(report.rtpTimestamp == 96_000)
    }

    /// A step of the wall clock (`date -s`, `chronyc makestep`) moves the SR's NTP time by the step, while its RTP
    /// timestamp keeps following the monotonic media timeline the packets are paced on: no jump in the media, and
    /// the mapping receivers build from the SRs shows the step.
    @Test func wallClockStepMovesNTPButNotTheMediaTimeline() throws {
        let session = try makeSession()
        let start = ClockPair(monotonic: 1_000_000_000, wall: halfPastMidnight - 2_000_000_000)
        let before = session.senderReport(at: ClockPair(monotonic: 3_000_000_000, wall: halfPastMidnight), start: start)
        // One second later on the monotonic clock, but the wall clock was stepped back by 10 s meanwhile.
        let after = session.senderReport(
            at: ClockPair(monotonic: 4_000_000_000, wall: halfPastMidnight + 1_000_000_000 - 10_000_000_000),
            start: start)
        #expect(after.rtpTimestamp &- before.rtpTimestamp == 48_000)  // exactly one second of media
        #expect(after.ntpTimestamp.unixNanoseconds - before.ntpTimestamp.unixNanoseconds == -9_000_000_000)
    }

    /// RTP timestamp = initial + floor(elapsed ns x rate / 10^9) mod 2^32, the expectations worked out with
    /// arbitrary-precision integers.
    @Test(arguments: [
        // (rate, initial timestamp, elapsed ns, expected RTP timestamp)
        (48_000, UInt32(0), Int64(0), UInt32(0)),
        (48_000, 0, 1_000_000_000, 48_000),
        (48_000, 0, 999_999_999, 47_999),  // 47 999.99995 frames, rounded down
        (48_000, 0, 20_833, 0),  // 0.999984 of a frame
        (48_000, 0, 20_834, 1),  // 1.000032 frames
        // 5 h + 0.123456789 s: 864 000 000 + floor(5925.93) = 864 005 925 frames; 0xFFFF0000 = 4 294 901 760;
        // 4 294 901 760 + 864 005 925 - 2^32 = 863 940 389.
        (48_000, 0xFFFF_0000, 18_000_123_456_789, 863_940_389),
        // 30 h + 0.999999999 s: 5 184 000 000 + 47 999 frames wraps by itself; + 0xFFFFFF00, mod 2^32.
        (48_000, 0xFFFF_FF00, 108_000_999_999_999, 889_080_447),
        // 1.5 s at 44.1 kHz: 66 150 frames after 0x12345678 = 305 419 896.
        (44_100, 0x1234_5678, 1_500_000_000, 305_486_046),
        // 7 h + 0.333333333 s at 44.1 kHz: 1 111 334 699 frames after 2^32 - 1.
        (44_100, 0xFFFF_FFFF, 25_200_333_333_333, 1_111_334_698),
    ])
    func senderReportExtrapolatesTheRTPTimestamp(
        sampleRate: Int, initialTimestamp: UInt32, elapsed: Int64, expected: UInt32
    ) throws {
        let session = try makeSession(sampleRate: sampleRate, initialTimestamp: initialTimestamp)
        let start = ClockPair(monotonic: 5_000_000_000_000, wall: halfPastMidnight)
        let now = ClockPair(monotonic: start.monotonic + elapsed, wall: halfPastMidnight + elapsed)
        #expect(session.senderReport(at: now, start: start).rtpTimestamp == expected)
    }

    @Test func senderReportCountsWrapModulo32Bits() throws {
        let session = try makeSession()
        // 5 000 000 000 - 2^32 = 705 032 704; 2^32 + 7 -> 7.
        session.counters.packets.store(5_000_000_000, ordering: .relaxed)
        session.counters.payloadOctets.store(4_294_967_303, ordering: .relaxed)
        let pair = ClockPair(monotonic: 1, wall: halfPastMidnight)
        let report = session.senderReport(at: pair, start: pair)
        #expect(report.packetCount == 705_032_704)
        #expect(report.octetCount == 7)
    }

    // MARK: Compounds

    /// The session's compound at `halfPastMidnight`, one second after the start, as bytes and parsed back.
    private func compoundOneSecondIn(_ session: StreamParticipant, goodbye: Bool) throws -> (
        bytes: [UInt8], parsed: [RTCPPacket]
    ) {
        let start = ClockPair(monotonic: 10_000_000_000, wall: halfPastMidnight - 1_000_000_000)
        let now = ClockPair(monotonic: 11_000_000_000, wall: halfPastMidnight)
        let bytes = session.compound(at: now, start: start, goodbye: goodbye)
        return (bytes, try RTCPPacket.parseCompound(bytes))
    }

    @Test func compoundIsSenderReportAndCanonicalName() throws {
        let session = try makeSession(initialTimestamp: 0x1000_0000)
        let (bytes, parsed) = try compoundOneSecondIn(session, goodbye: false)
        let report = RTCPSenderReport(
            ssrc: trackSSRC, ntpTimestamp: NTPTimestamp(rawValue: 0xE93C_7F00_8000_0000),
            rtpTimestamp: 0x1000_0000 + 48_000, packetCount: 0, octetCount: 0)
        let description = RTCPSourceDescription(chunks: [
            .init(ssrc: trackSSRC, items: [.init(type: 1, text: "test@host")])
        ])
        #expect(parsed == [.senderReport(report), .sourceDescription(description)])
        // SR 28 bytes + SDES 20 bytes.
        #expect(bytes.count == 48)
        #expect(
            Array(bytes.suffix(20)) == [
                0x81,  // V=2 P=0 SC=1
                0xCA,  // PT=SDES=202
                0x00, 0x04,  // length 4: 20 bytes / 4 - 1
                0x53, 0x53, 0x52, 0x43,  // chunk 1: the track's SSRC
                0x01,  // CNAME
                0x09,  // length 9
                0x74, 0x65, 0x73, 0x74, 0x40, 0x68, 0x6F, 0x73, 0x74,  // "test@host"
                0x00,  // 2 + 9 = 11 item bytes + 1 null = 12
            ])
    }

    @Test func goodbyeCompoundEndsWithBye() throws {
        let session = try makeSession(initialTimestamp: 0x1000_0000)
        let (bytes, parsed) = try compoundOneSecondIn(session, goodbye: true)
        #expect(parsed.count == 3)
        guard parsed.count == 3 else { return }
        guard case .senderReport(let report) = parsed[0] else {
            Issue.record("first packet is not an SR: \(parsed[0])")
            return
        }
        #expect(report.ssrc == trackSSRC)
        #expect(report.rtpTimestamp == 0x1000_0000 + 48_000)
        guard case .sourceDescription(let description) = parsed[1] else {
            Issue.record("second packet is not an SDES: \(parsed[1])")
            return
        }
        #expect(description.chunks.map(\.ssrc) == [trackSSRC])
        #expect(description.chunks.first?.canonicalName == "test@host")
        #expect(parsed[2] == .goodbye(RTCPGoodbye(sources: [trackSSRC])))
        // SR 28 + SDES 20 + BYE 8.
        #expect(bytes.count == 56)
        #expect(
            Array(bytes.suffix(8)) == [
                0x81,  // V=2 P=0 SC=1
                0xCB,  // PT=BYE=203
                0x00, 0x01,  // length 1
                0x53, 0x53, 0x52, 0x43,  // the track's SSRC
            ])
    }

    /// `send` puts exactly the compound on the wire to the destination and counts it.
    @Test func sendDeliversTheCompound() throws {
        let receiver = try UDPSocket(family: .ipv4)
        try receiver.bind(to: .loopback(.ipv4, port: 0))
        let session = try makeSession(destination: try receiver.localEndpoint())
        let start = ClockPair(monotonic: 10_000_000_000, wall: halfPastMidnight - 1_000_000_000)
        let now = ClockPair(monotonic: 11_000_000_000, wall: halfPastMidnight)
        #expect(session.send(at: now, start: start, goodbye: true))
        #expect(session.sentPackets.load(ordering: .relaxed) == 1)
        #expect(SocketPoller([receiver]).wait(milliseconds: 2000))
        var buffer = [UInt8](repeating: 0, count: 2048)
        let received = buffer.withUnsafeMutableBytes { receiver.receiveNow(into: $0) }
        #expect(received?.count == 56)
        #expect(received?.source.port == (try (session.socket as? UDPSocket)?.localEndpoint())?.port)
        #expect(Array(buffer.prefix(received?.count ?? 0)) == session.compound(at: now, start: start, goodbye: true))
    }

    // MARK: Receiver reports

    @Test func receiverReportYieldsStatistics() throws {
        let session = try makeSession()
        session.receive(receiverCompound, from: receiverAddress, arrival: arrival())
        #expect(session.droppedPackets.load(ordering: .relaxed) == 0)
        let receivers = session.receiverStatistics
        #expect(receivers.count == 1)
        guard let receiver = receivers.first else { return }
        #expect(receiver.ssrc == reporterSSRC)
        #expect(receiver.canonicalName == "rx@host")
        #expect(receiver.address == "127.0.0.1:5004")
        #expect(receiver.reports == 1)
        #expect(receiver.fractionLost == 0.25)  // 64 / 256
        #expect(receiver.cumulativeLost == 3)
        #expect(receiver.jitterMilliseconds == 10)  // 480 / 48 000 s
        #expect(receiver.roundTripMilliseconds == roundTripMilliseconds)
        // Within one unit of 1/65536 s of 5 ms.
        #expect(abs((receiver.roundTripMilliseconds ?? 0) - 5) < 1000.0 / 65536)
    }

    /// The middle 32 bits wrap every 65536 s: an arrival just after the wrap with an LSR from before it still
    /// gives the round trip, modulo 2^32.
    @Test func roundTripAcrossTheWrapOfTheMiddle32Bits() throws {
        let session = try makeSession()
        // Unix 1 704 100 224 s = NTP 0xE93D0000 s, whose low 16 bits are 0; + 3 906 250 ns = 1/256 s = fraction
        // 0x01000000. Middle 32 bits 0x00000100; LSR = 0x100 - 0x10000 - 328 mod 2^32 = 0xFFFEFFB8.
        let wall: Int64 = 1_704_100_224_003_906_250
        let report = receiverReport(lastSenderReport: 0xFFFE_FFB8, delaySinceLastSenderReport: 0x0001_0000)
        session.receive(report, from: receiverAddress, arrival: arrival(wall: wall))
        #expect(session.receiverStatistics.first?.roundTripMilliseconds == roundTripMilliseconds)
    }

    /// LSR 0 means the receiver has had no SR yet: no round trip (RFC 3550 section 6.4.1).
    @Test func noSenderReportYetMeansNoRoundTrip() throws {
        let session = try makeSession()
        session.receive(
            receiverReport(lastSenderReport: 0, delaySinceLastSenderReport: 0), from: receiverAddress,
            arrival: arrival())
        #expect(session.receiverStatistics.count == 1)
        #expect(session.receiverStatistics.first?.roundTripMilliseconds == nil)
        #expect(session.receiverStatistics.first?.canonicalName == nil)
        #expect(session.statisticsJSON(start: streamStart).contains("\"rtt_ms\": null"))
        #expect(session.statisticsJSON(start: streamStart).contains("\"cname\": null"))
    }

    /// A later report replaces the figures, counts one more report and keeps the CNAME it came without.
    @Test func laterReportUpdatesTheReceiver() throws {
        let session = try makeSession()
        session.receive(receiverCompound, from: receiverAddress, arrival: arrival())
        let later = receiverReport(
            fractionLost: 0, cumulativeLost: [0xFF, 0xFF, 0xFE], jitter: 96, lastSenderReport: 0x7EFF_7EB8,
            delaySinceLastSenderReport: 0x0001_0000)
        session.receive(later, from: receiverAddress, arrival: arrival())
        let receivers = session.receiverStatistics
        #expect(receivers.count == 1)
        #expect(receivers.first?.reports == 2)
        #expect(receivers.first?.canonicalName == "rx@host")
        #expect(receivers.first?.fractionLost == 0)
        #expect(receivers.first?.cumulativeLost == -2)  // 0xFFFFFE sign-extended
        #expect(receivers.first?.jitterMilliseconds == 2)  // 96 / 48 000 s
    }

    /// A CNAME that arrives before the receiver's first report is attached to it when the report comes.
    @Test func canonicalNameBeforeTheReport() throws {
        let session = try makeSession()
        session.receive(receiverDescription, from: receiverAddress, arrival: arrival())
        #expect(session.receiverStatistics.isEmpty)
        session.receive(
            receiverReport(lastSenderReport: 0, delaySinceLastSenderReport: 0), from: receiverAddress,
            arrival: arrival())
        #expect(session.receiverStatistics.first?.canonicalName == "rx@host")
    }

    /// Report blocks inside an SR (a receiver that also sends) count like an RR's.
    @Test func reportBlockInsideASenderReport() throws {
        let session = try makeSession()
        let block = Array(receiverCompound[8..<32])  // the RR's report block
        let senderReport: [UInt8] =
            [
                0x81,  // V=2 P=0 RC=1
                0xC8,  // PT=SR=200
                0x00, 0x0C,  // length 12: 52 bytes / 4 - 1
            ]
            + be32(reporterSSRC)  // SSRC of sender
            + be32(0xE93C_7F00) + be32(0)  // NTP timestamp
            + be32(0) + be32(0) + be32(0)  // RTP timestamp, packet count, octet count
            + block
        session.receive(senderReport, from: receiverAddress, arrival: arrival())
        #expect(session.receiverStatistics.first?.ssrc == reporterSSRC)
        #expect(session.receiverStatistics.first?.jitterMilliseconds == 10)
        #expect(session.receiverStatistics.first?.roundTripMilliseconds == roundTripMilliseconds)
    }

    @Test func blockAboutAnotherSourceIsIgnored() throws {
        let session = try makeSession()
        let other =
            receiverReport(about: 0xDEAD_BEEF, lastSenderReport: 0x7EFF_7EB8, delaySinceLastSenderReport: 0x0001_0000)
            + receiverDescription
        session.receive(other, from: receiverAddress, arrival: arrival())
        #expect(session.receiverStatistics.isEmpty)
        #expect(session.droppedPackets.load(ordering: .relaxed) == 0)

        // Two blocks, another source's first: only the block about this track counts.
        let twoBlocks: [UInt8] =
            [
                0x82,  // V=2 P=0 RC=2
                0xC9,  // PT=RR=201
                0x00, 0x0D,  // length 13: 56 bytes / 4 - 1
            ]
            + be32(reporterSSRC)  // SSRC of packet sender
            + be32(0xDEAD_BEEF) + [0xFF, 0x00, 0x00, 0x63] + be32(1) + be32(4800) + be32(0) + be32(0)  // block 1
            + Array(receiverCompound[8..<32])  // block 2: this track, 64/256 lost, 3 in all, jitter 480
        session.receive(twoBlocks, from: receiverAddress, arrival: arrival())
        #expect(session.receiverStatistics.count == 1)
        #expect(session.receiverStatistics.first?.fractionLost == 0.25)
        #expect(session.receiverStatistics.first?.cumulativeLost == 3)
        #expect(session.receiverStatistics.first?.jitterMilliseconds == 10)
    }

    /// Each datagram that is not valid RTCP counts once as dropped and leaves no receiver behind, even when
    /// its first packet is a good report.
    @Test func malformedDatagramsAreCountedAsDropped() throws {
        let session = try makeSession()
        let malformed: [[UInt8]] = [
            [],  // empty
            [0x80, 0xC9, 0x00],  // shorter than a header
            [0x40, 0xC9, 0x00, 0x01] + be32(reporterSSRC),  // version 1
            [0x81, 0xC9, 0x00, 0x07] + be32(reporterSSRC),  // length beyond the datagram
            [0x9F, 0xC9, 0x00, 0x01] + be32(reporterSSRC),  // RC=31, no blocks
            receiverCompound + [0x80, 0xCB],  // a good compound with two stray bytes
            receiverCompound + [0x40, 0xCB, 0x00, 0x00],  // a good compound, then version 1
            Array(receiverCompound.dropLast(4)),  // the SDES cut short
        ]
        for (index, datagram) in malformed.enumerated() {
            session.receive(datagram, from: receiverAddress, arrival: arrival())
            #expect(session.droppedPackets.load(ordering: .relaxed) == index + 1, "datagram \(index)")
            #expect(session.receiverStatistics.isEmpty, "datagram \(index)")
        }
        #expect(session.statisticsJSON(start: streamStart).contains("\"rtcp_dropped\": 8"))
        #expect(session.statisticsJSON(start: streamStart).contains("\"receivers\": []"))
    }

    /// With rtcp-mux (RFC 5761 section 4) an RTP packet on the socket is not RTCP's business: ignored, not dropped.
    @Test func multiplexedRTPIsIgnored() throws {
        let session = try makeSession(isMultiplexed: true)
        let rtp: [UInt8] = [
            0x80,  // V=2 P=0 X=0 CC=0
            0x60,  // M=0 PT=96: 96 is outside RTCP's 192-223
            0x00, 0x01,  // sequence number
            0x00, 0x00, 0x00, 0x00,  // timestamp
            0x53, 0x53, 0x52, 0x43,  // SSRC
            0x00, 0x00,  // one L16 sample
        ]
        session.receive(rtp, from: receiverAddress, arrival: arrival())
        // With the marker bit: 0xE0 = 224, still outside 192-223.
        session.receive([rtp[0], 0xE0] + rtp.dropFirst(2), from: receiverAddress, arrival: arrival())
        #expect(session.droppedPackets.load(ordering: .relaxed) == 0)
        #expect(session.receiverStatistics.isEmpty)
        // RTCP on the same socket still counts.
        session.receive(receiverCompound, from: receiverAddress, arrival: arrival())
        #expect(session.receiverStatistics.count == 1)
        #expect(session.droppedPackets.load(ordering: .relaxed) == 0)
    }

    /// Without rtcp-mux an RTP packet on the RTCP socket is malformed RTCP: dropped.
    @Test func unmultiplexedRTPIsDropped() throws {
        let session = try makeSession(isMultiplexed: false)
        let rtp: [UInt8] = [0x80, 0x60, 0x00, 0x01] + be32(0) + be32(trackSSRC)
        session.receive(rtp, from: receiverAddress, arrival: arrival())
        #expect(session.droppedPackets.load(ordering: .relaxed) == 1)
        #expect(session.receiverStatistics.isEmpty)
    }

    // MARK: JSON

    /// A CNAME from the network goes into the JSON escaped (RFC 8259 section 7): quote, backslash, newline and
    /// other control characters.
    @Test func statisticsJSONEscapesTheReceiversCanonicalName() throws {
        let session = try makeSession()
        var hostile = receiverCompound
        // The 7 CNAME bytes of "rx@host" (RR 32 + SDES header 4 + SSRC 4 + type 1 + length 1 = offset 42)
        // replaced by: a, quote, b, backslash, c, newline, 0x01.
        hostile.replaceSubrange(42..<49, with: [0x61, 0x22, 0x62, 0x5C, 0x63, 0x0A, 0x01])
        session.receive(hostile, from: receiverAddress, arrival: arrival())
        #expect(session.receiverStatistics.first?.canonicalName == "a\"b\\c\n\u{01}")
        #expect(session.statisticsJSON(start: streamStart).contains(#""cname": "a\"b\\c\n\u0001""#))
    }

    @Test func statisticsJSONHasTheFigures() throws {
        let session = try makeSession(initialTimestamp: 0xFFFF_FFFF)
        session.counters.packets.store(250, ordering: .relaxed)
        session.counters.payloadOctets.store(24_000, ordering: .relaxed)
        session.receive(receiverCompound, from: receiverAddress, arrival: arrival())
        let json = session.statisticsJSON(start: streamStart)
        for field in [
            "\"track\": \"track\"",
            "\"ssrc\": 1397969475",  // 0x53535243
            "\"cname\": \"test@host\"",
            "\"start_unix_ns\": 1704067140500000000",  // halfPastMidnight - 60 s
            "\"first_rtp_timestamp\": 4294967295",  // 0xFFFFFFFF
            "\"sample_rate\": 48000",
            "\"packets_sent\": 250",
            "\"octets_sent\": 24000",
            "\"rtcp_dropped\": 0",
            "\"ssrc\": 305419896",  // 0x12345678, the reporter
            "\"cname\": \"rx@host\"",
            "\"address\": \"127.0.0.1:5004\"",
            "\"reports\": 1",
            "\"fraction_lost\": 0.250",
            "\"cumulative_lost\": 3",
            "\"jitter_ms\": 10.000",
            "\"rtt_ms\": 5.005",
        ] {
            #expect(json.contains(field), "\(field) in \(json)")
        }
        #expect(json.hasPrefix("{") && json.hasSuffix("}"))
    }
}
