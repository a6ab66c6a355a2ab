import RTP
import Testing

@testable import Receiver

/// Each stage of a track's reception on its own: the filter, the segment detector, the timeline mapping.
@Suite struct StageTests {
    static let reception = Fixture.reception(clock: .senderReports, ssrc: 0xABCD)

    @Test("the filter: RTP of the stream passes; not RTP, a partial frame, another type or SSRC, mux RTCP do not")
    func filter() {
        var multiplexed = Self.reception
        multiplexed.rtcpMultiplexed = true
        let filter = PacketFilter(Self.reception)
        func verdict(_ bytes: [UInt8], _ filter: PacketFilter = filter) -> String {
            bytes.withUnsafeBytes { raw in
                switch filter.check(raw) {
                case .accepted: "accepted"
                case .malformed: "malformed"
                case .unexpected: "unexpected"
                case .otherPayloadType(let type): "payload type \(type)"
                case .rtcp: "rtcp"
                }
            }
        }
        let good = Fixture.packet(sequence: 1, timestamp: 0, ssrc: 0xABCD, payload: Fixture.payload(first: 0))
        #expect(verdict(good) == "accepted")
        #expect(verdict([0x80, 0x60, 0x00]) == "malformed")
        // 16-bit mono: a payload of 95 bytes is no whole number of frames.
        let partial = Fixture.packet(
            sequence: 1, timestamp: 0, ssrc: 0xABCD, payload: Array(Fixture.payload(first: 0).dropLast()))
        #expect(verdict(partial) == "malformed")
        #expect(verdict(Fixture.packet(sequence: 1, timestamp: 0, ssrc: 0x1, payload: [0, 0])) == "unexpected")
        #expect(
            verdict(Fixture.packet(sequence: 1, timestamp: 0, ssrc: 0xABCD, payload: [0, 0], type: 97))
                == "payload type 97")
        // An RTCP receiver report (PT 201) parses as RTP of type 73 with the marker set: on a multiplexed port it is
        // RTCP (RFC 5761 section 4), elsewhere a packet of another type.
        // A receiver report with one block: 32 bytes, length field 7.
        let report: [UInt8] = [0x81, 0xC9, 0x00, 0x07, 0x00, 0x00, 0xAB, 0xCD] + [UInt8](repeating: 0, count: 24)
        #expect(verdict(report, PacketFilter(multiplexed)) == "rtcp")
        #expect(verdict(report) == "payload type 73")
    }

    @Test("the segment detector: a jump or a new SSRC is held, confirmed by the next in sequence, else dropped")
    func segmentDetector() {
        var detector = SegmentDetector(framesPerPacket: 48, sampleRate: 48_000, capacity: 24_000)
        func header(_ sequence: UInt16, _ timestamp: UInt32, ssrc: UInt32 = 0xABCD) -> RTPHeader {
            RTPHeader(payloadType: 96, sequenceNumber: sequence, timestamp: timestamp, ssrc: ssrc)
        }
        let segment = Segment(
            index: 0, header: header(100, 4800),
            buffer: JitterBuffer(encoding: .l16, channelCount: 1, capacity: 24_000, start: 0), arrival: 0)
        func classify(_ header: RTPHeader) -> (String, UInt16?) {
            let (decision, dropped) = [UInt8](repeating: 0, count: 12).withUnsafeBytes {
                detector.classify(header, bytes: $0, arrival: 0, current: segment)
            }
            let name =
                switch decision {
                case .continues: "continues"
                case .held: "held"
                case .restart(let pending): "restart \(pending.reason)"
                }
            return (name, dropped?.sequence)
        }
        #expect(classify(header(101, 4848)) == ("continues", nil))
        // 5000 sequence numbers ahead: a jump, held; a stray, dropped when the stream goes on.
        #expect(classify(header(5101, 4848 + 48 * 5000)) == ("held", nil))
        #expect(classify(header(102, 4896)) == ("continues", 5101))
        // Timestamps two seconds off with sequence numbers in step: a jump too, confirmed by the next one.
        #expect(classify(header(103, 4944 + 96_000)) == ("held", nil))
        #expect(classify(header(104, 4992 + 96_000)) == ("restart jump", nil))
        // A new SSRC, held, then confirmed.
        #expect(classify(header(7, 0, ssrc: 0x1234)) == ("held", nil))
        #expect(classify(header(8, 48, ssrc: 0x1234)) == ("restart newSSRC", nil))
    }

    @Test("the timeline mapping: reports noted for the drift, one compared once with a mapping from elsewhere")
    func timelineMapping() {
        let second: Int64 = 1_000_000_000
        // A report at 1 s of Unix time for RTP 1000 at 48 kHz says a delta of 48 000 - 1000.
        var mapping = TimelineMapping(firstArrival: 0)
        #expect(mapping.note(ntp: second, rtp: 1000, rate: 48_000) == 47_000)
        #expect(mapping.compareOnce(47_000) == nil)  // not mapped yet
        mapping.map(delta: 46_900, source: .mediaClock)
        #expect(mapping.compareOnce(47_000) == 100)
        #expect(mapping.compareOnce(47_000) == nil)  // once
        // Mapped by the reports themselves, later reports measure drift, not disagreement.
        var byReports = TimelineMapping(firstArrival: 0)
        byReports.map(delta: 47_000, source: .senderReports)
        #expect(byReports.compareOnce(46_952) == nil)
        // Drift from the first and last reports: 96 096 frames in 2 s of wall time is 1000 ppm fast.
        #expect(mapping.note(ntp: 3 * second, rtp: 97_096, rate: 48_000) == 3 * 48_000 - 97_096)
        #expect(abs((mapping.driftPartsPerMillion(rate: 48_000) ?? 0) - 1000) < 1e-6)
        // The arrival mapping: the first packet's arrival is its first frame's time.
        let arrived = TimelineMapping(firstArrival: second)
        #expect(arrived.arrivalDelta(firstPosition: 500, rate: 48_000) == 47_500)
    }

    @Test("the direct media clock: TAI taken to UTC by the offset given, not a constant")
    func directDeltaUsesTheGivenTAIOffset() {
        let arrival: Int64 = 1_795_953_600_000_000_000
        let utcFrames = arrival / 1_000_000_000 * 48_000
        for tai in [36, 37] {
            let timestamp = UInt32(truncatingIfNeeded: utcFrames + Int64(tai) * 48_000)
            let delta = MediaClock.directDelta(
                timestamp: timestamp, extended: Int64(timestamp), offset: 0, timescale: .tai, taiOffsetSeconds: tai,
                near: arrival, rate: 48_000)
            #expect(Int64(timestamp) + delta == utcFrames, "TAI - UTC \(tai)")
        }
    }

    @Test("the format check: decided by the first two consecutive packets; the wire followed only from the first")
    func formatCheck() {
        func header(_ sequence: UInt16, _ timestamp: UInt32) -> RTPHeader {
            RTPHeader(payloadType: 96, sequenceNumber: sequence, timestamp: timestamp, ssrc: 0xABCD)
        }
        let stereo = [UInt8](repeating: 7, count: 48 * 2 * 3)
        let eight = [UInt8](repeating: 9, count: 48 * 8 * 3)
        // L24 stereo described, stereo heard: everything passes.
        var agreeing = FormatCheck(channelCount: 2, bytesPerSample: 3)
        for n in 0..<4 {
            #expect(stereo.withUnsafeBytes { agreeing.check(header(UInt16(n), UInt32(n * 48)), payload: $0) } == .pass)
        }
        // Eight channels heard from the first two packets: the wire may be followed, the first payload given back.
        var following = FormatCheck(channelCount: 2, bytesPerSample: 3)
        #expect(eight.withUnsafeBytes { following.check(header(10, 480), payload: $0) } == .pass)
        #expect(eight.withUnsafeBytes { following.check(header(11, 528), payload: $0) } == .carries(channels: 8))
        let first = following.follow()
        #expect(first?.timestamp == 480 && first?.payload == eight)
        #expect(following.mismatch == nil && following.channelCount == 8)
        #expect(eight.withUnsafeBytes { following.check(header(12, 576), payload: $0) } == .pass)
        // The first two not consecutive: packets passed as described before it was known, so the track is refused.
        var late = FormatCheck(channelCount: 2, bytesPerSample: 3)
        #expect(eight.withUnsafeBytes { late.check(header(10, 480), payload: $0) } == .pass)
        #expect(eight.withUnsafeBytes { late.check(header(12, 576), payload: $0) } == .pass)
        #expect(eight.withUnsafeBytes { late.check(header(13, 624), payload: $0) } == .refuse)
        #expect(late.mismatch?.heardChannels == 8 && late.follow() == nil)
        #expect(eight.withUnsafeBytes { late.check(header(14, 672), payload: $0) } == .refuse)
        // Refused when it could have been followed: the mismatch stands.
        var refused = FormatCheck(channelCount: 2, bytesPerSample: 3)
        _ = eight.withUnsafeBytes { refused.check(header(1, 0), payload: $0) }
        _ = eight.withUnsafeBytes { refused.check(header(2, 48), payload: $0) }
        refused.refuse()
        #expect(refused.mismatch?.heardChannels == 8)
        #expect(eight.withUnsafeBytes { refused.check(header(3, 96), payload: $0) } == .refuse)
    }
}
