import Analysis
import Foundation
import PCM
import Planning
import RTP
import SDP
import Testing

/// Streams made packet by packet with their arrival times: what each measure must read.
@Suite struct StreamAnalyzerTests {
    static let stereo24 = StreamDescription(
        name: "t", destination: ConnectionAddress(family: .ipv4, address: "127.0.0.1"), port: 5004, payloadType: 96,
        encoding: .l24, sampleRate: 48_000, channelCount: 2, framesPerPacket: 48, rtcpPort: 5005)
    static let start: Int64 = 1_700_000_000_000_000_000

    /// Packet `n` of a stream: sequence `first + n`, timestamp `48 n`, a payload of `sample` in every sample.
    static func packet(_ n: Int, first: UInt16 = 65_000, payloadType: UInt8 = 96, sample: Int32 = 0, frames: Int = 48)
        -> [UInt8]
    {
        var bytes = [UInt8](repeating: 0, count: 12 + frames * 6)
        let header = RTPHeader(
            payloadType: payloadType, sequenceNumber: first &+ UInt16(truncatingIfNeeded: n),
            timestamp: UInt32(truncatingIfNeeded: 4_294_960_000 &+ UInt32(48 * n)), ssrc: 0x1234)
        bytes.withUnsafeMutableBytes { _ = try? header.write(to: $0) }
        for index in 0..<(frames * 2) {
            let value = UInt32(bitPattern: sample)
            bytes[12 + 3 * index] = UInt8(truncatingIfNeeded: value >> 16)
            bytes[13 + 3 * index] = UInt8(truncatingIfNeeded: value >> 8)
            bytes[14 + 3 * index] = UInt8(truncatingIfNeeded: value)
        }
        return bytes
    }

    static func feed(_ analyzer: StreamAnalyzer, _ packet: [UInt8], at arrival: Int64, leg: Int = 0) {
        packet.withUnsafeBytes { analyzer.take($0, arrival: arrival, leg: leg) }
    }

    @Test("a stream on time: TS-DF 0 in each 1 s period, PIT 1 ms, narrow, nothing lost, jitter 0")
    func onTime() {
        let analyzer = StreamAnalyzer(Self.stereo24)
        // Across a sequence number and timestamp wrap.
        for n in 0..<3000 { Self.feed(analyzer, Self.packet(n), at: Self.start + Int64(n) * 1_000_000) }
        analyzer.finish()
        #expect(analyzer.delayFactor.periods.count == 3)
        #expect(analyzer.delayFactor.summary?.maximum == 0)
        #expect(analyzer.intervals.meanNanoseconds == 1_000_000)
        #expect(
            analyzer.intervals.minimumNanoseconds == 1_000_000 && analyzer.intervals.maximumNanoseconds == 1_000_000)
        #expect(
            analyzer.sequence.lost == 0 && analyzer.sequence.packets == 3000 && analyzer.sequence.sequenceErrors == 0)
        #expect(analyzer.jitterMaximumNanoseconds == 0)
        let verdict = StreamVerdict.judge(analyzer, profile: .narrow)
        #expect(verdict.timing == .narrow && verdict.meetsProfile)
    }

    @Test("one packet 3.5 ms late in the second period: that period's TS-DF is 3.5 ms, the others 0; wide, not narrow")
    func oneLatePacket() {
        let analyzer = StreamAnalyzer(Self.stereo24)
        // In arrival order, as a capture or a socket gives them: 1500 after 1503.
        let arrivals = (0..<3000).map { n in (n, Self.start + Int64(n) * 1_000_000 + (n == 1500 ? 3_500_000 : 0)) }
        for (n, arrival) in arrivals.sorted(by: { $0.1 < $1.1 }) { Self.feed(analyzer, Self.packet(n), at: arrival) }
        analyzer.finish()
        let factors = analyzer.delayFactor.periods.map(\.delayFactorNanoseconds)
        #expect(factors == [0, 3_500_000, 0])
        #expect(analyzer.delayFactor.summary?.median == 0)
        #expect(StreamVerdict.judge(analyzer, profile: .wide).timing == .wide)
        #expect(StreamVerdict.judge(analyzer, profile: .wide).meetsProfile)
        let narrow = StreamVerdict.judge(analyzer, profile: .narrow)
        #expect(narrow.failures == [.delayFactor(.wide, maximumNanoseconds: 3_500_000, required: .narrow)])
        // The late packet came after the next three: reordered once; the order broke three times (1499 to 1501,
        // 1503 to 1500, 1500 to 1504); nothing lost.
        #expect(analyzer.sequence.reordered == 1 && analyzer.sequence.sequenceErrors == 3)
        #expect(analyzer.sequence.lost == 0)
    }

    @Test("the analysis so far: no TS-DF before a period closes, then the newest and the largest, and their class")
    func progressSoFar() {
        let analyzer = StreamAnalyzer(Self.stereo24)
        let before = analyzer.progress
        #expect(before.name == "t" && before.packets == 0 && before.timing == nil)
        // Packet 1500 comes 3.5 ms late (after 1503), packets 2200-2209 never: read after each second.
        let arrivals = (0..<3500).filter { !(2200..<2210).contains($0) }.map { n in
            (n, Self.start + Int64(n) * 1_000_000 + (n == 1500 ? 3_500_000 : 0))
        }
        var seen: [StreamAnalyzer.Progress] = []
        for (n, arrival) in arrivals.sorted(by: { $0.1 < $1.1 }) {
            if n % 1000 == 999 { seen.append(analyzer.progress) }
            Self.feed(analyzer, Self.packet(n), at: arrival)
        }
        // Before packet 999 no period has closed; before 1999 the first has (at 1001, TS-DF 0); before 2999 the
        // second (at 2002: 3.5 ms, wide), and the ten lost packets are counted.
        #expect(seen.map(\.packets) == [999, 1999, 2989])
        #expect(seen.map(\.lastDelayFactorNanoseconds) == [nil, 0, 3_500_000])
        #expect(seen.map(\.largestDelayFactorNanoseconds) == [nil, 0, 3_500_000])
        #expect(seen.map(\.timing) == [nil, .narrow, .wide])
        #expect(seen.map(\.lost) == [0, 0, 10])
        // The third period, on time but for the loss, closed at packet 3003: the newest 0, the largest still 3.5 ms.
        #expect(analyzer.progress.lastDelayFactorNanoseconds == 0)
        #expect(analyzer.progress.largestDelayFactorNanoseconds == 3_500_000 && analyzer.progress.timing == .wide)
    }

    @Test("lost, duplicated and reordered packets are counted apart; a gap is placed where it showed")
    func sequenceCounts() {
        let analyzer = StreamAnalyzer(Self.stereo24)
        let order = [0, 1, 2, 5, 6, 6, 4, 7, 8, 20, 21]
        for (index, n) in order.enumerated() {
            Self.feed(analyzer, Self.packet(n), at: Self.start + Int64(index) * 1_000_000)
        }
        // Lost: 3, and 9 to 19; 4 came late; 6 came twice.
        #expect(analyzer.sequence.packets == 11)
        #expect(analyzer.sequence.duplicates == 1)
        #expect(analyzer.sequence.reordered == 1)
        #expect(analyzer.sequence.lost == 12)
        #expect(analyzer.sequence.gaps.map(\.packets) == [2, 11])
        #expect(analyzer.sequence.gaps.last?.atNanoseconds == 9_000_000)
    }

    @Test("levels as AES17 reads them: a constant at half scale peaks at -6.02 dBFS; silence has none; clips counted")
    func levels() {
        let analyzer = StreamAnalyzer(Self.stereo24)
        for n in 0..<100 { Self.feed(analyzer, Self.packet(n, sample: 1 << 22), at: Self.start + Int64(n) * 1_000_000) }
        for n in 100..<200 {
            Self.feed(analyzer, Self.packet(n, sample: 8_388_607), at: Self.start + Int64(n) * 1_000_000)
        }
        analyzer.finish()
        let level = analyzer.levels.level(0)
        #expect(abs((level.peak ?? 99) - 0) < 0.001)
        #expect(analyzer.levels.clipped == [4800, 4800])
        let first = analyzer.levels.level(window: 0, channel: 1)
        #expect(abs((first.peak ?? 0) + 6.0206) < 0.001)
        // A constant is a square wave's RMS: its peak plus 3.01 dB.
        #expect(abs((first.rms ?? 0) + 6.0206 - 3.0103) < 0.001)
        let quiet = StreamAnalyzer(Self.stereo24)
        for n in 0..<10 { Self.feed(quiet, Self.packet(n), at: Self.start + Int64(n) * 1_000_000) }
        quiet.finish()
        #expect(quiet.levels.level(1).peak == nil && quiet.levels.level(1).rms == nil)
    }

    @Test("the payload against its description: another payload type, another length")
    func payloadChecks() {
        let analyzer = StreamAnalyzer(Self.stereo24)
        Self.feed(analyzer, Self.packet(0), at: Self.start)
        Self.feed(analyzer, Self.packet(1, payloadType: 97), at: Self.start + 1_000_000)
        Self.feed(analyzer, Self.packet(2, frames: 47), at: Self.start + 2_000_000)
        #expect(analyzer.wrongPayloadType == 1 && analyzer.heardPayloadType == 97)
        #expect(analyzer.wrongLength == 1 && analyzer.heardLength == 47 * 6)
    }

    @Test("RFC 3550 jitter: transit alternating 200 us apart settles at 200 us; its largest and mean kept")
    func jitter() {
        let analyzer = StreamAnalyzer(Self.stereo24)
        for n in 0..<400 {
            Self.feed(analyzer, Self.packet(n), at: Self.start + Int64(n) * 1_000_000 + (n % 2 == 0 ? 0 : 200_000))
        }
        #expect(abs(analyzer.jitterNanoseconds - 200_000) < 1)
        #expect(analyzer.jitterMaximumNanoseconds <= 200_000 && analyzer.jitterMeanNanoseconds < 200_000)
    }

    @Test("the RTP timestamp against a media clock: 1 ms behind is +1 ms; ahead is caught by JT-NM 2022")
    func againstMediaClock() {
        // Timestamps on the PTP media clock with offset 1000: a packet sent at its instant arrives 1 ms later.
        let analyzer = StreamAnalyzer(Self.stereo24, anchor: .mediaClock(offset: 1000, taiOffsetSeconds: 37))
        for n in 0..<1600 {
            let arrival = Self.start + Int64(n) * 1_000_000
            let due =
                ArrivalDelay.mediaClockTicks(
                    unixNanoseconds: arrival - 1_000_000, taiOffsetSeconds: 37, sampleRate: 48_000) &+ 1000
            var packet = Self.packet(n)
            packet[4] = UInt8(due >> 24)
            packet[5] = UInt8(truncatingIfNeeded: due >> 16)
            packet[6] = UInt8(truncatingIfNeeded: due >> 8)
            packet[7] = UInt8(truncatingIfNeeded: due)
            if n == 1000 {
                let ahead = due &+ 96
                packet[6] = UInt8(truncatingIfNeeded: ahead >> 8)
                packet[7] = UInt8(truncatingIfNeeded: ahead)
                packet[4] = UInt8(ahead >> 24)
                packet[5] = UInt8(truncatingIfNeeded: ahead >> 16)
            }
            Self.feed(analyzer, packet, at: arrival)
        }
        analyzer.finish()
        #expect(analyzer.delay.maximumNanoseconds == 1_000_000)
        #expect(analyzer.delay.minimumNanoseconds == -1_000_000)
        let verdict = StreamVerdict.judge(analyzer, profile: .jtnm2022)
        #expect(verdict.delayJudged)
        #expect(verdict.failures.contains(.timestampAhead(minimumNanoseconds: -1_000_000)))
    }

    @Test("against a media clock the delay is in nanoseconds, not in samples: 5 us and 25 us behind read as such")
    func againstMediaClockFinely() {
        let analyzer = StreamAnalyzer(Self.stereo24, anchor: .mediaClock(offset: 0, taiOffsetSeconds: 37))
        // Each packet's timestamp is a tick of the clock; it arrives 5 us after that tick (25 us for the odd ones),
        // 5 us being a quarter of a 48 kHz tick (20.8 us) and 25 us more than one.
        for n in 0..<200 {
            let due = Self.start + 7_000_000 + Int64(n) * 1_000_000
            let ticks = ArrivalDelay.mediaClockTicks(unixNanoseconds: due, taiOffsetSeconds: 37, sampleRate: 48_000)
            var packet = Self.packet(n)
            for (index, shift) in [24, 16, 8, 0].enumerated() {
                packet[4 + index] = UInt8(truncatingIfNeeded: ticks >> UInt32(shift))
            }
            Self.feed(analyzer, packet, at: due + (n % 2 == 0 ? 5_000 : 25_000))
        }
        #expect(analyzer.delay.minimumNanoseconds == 5_000)
        #expect(analyzer.delay.maximumNanoseconds == 25_000)
        #expect(analyzer.delay.meanNanoseconds == 15_000)
        // 1 s and 25 us at 48 kHz: tick 48001, and 0.2 of a tick past it.
        let position = ArrivalDelay.mediaClockPosition(
            unixNanoseconds: 1_000_025_000, taiOffsetSeconds: 0, sampleRate: 48_000)
        #expect(position.ticks == 48_001 && position.nanoticks == 200_000_000)
    }

    @Test("an ST 2022-7 stream: each leg counted, copies merged, what one leg alone carried, the copies' skew")
    func twoLegs() {
        var description = Self.stereo24
        description.secondLeg = StreamDescription.Leg(
            destination: ConnectionAddress(family: .ipv4, address: "127.0.0.2"), port: 5006, rtcpPort: 5007,
            sourceFilter: nil)
        let analyzer = StreamAnalyzer(description)
        for n in 0..<100 {
            let time = Self.start + Int64(n) * 1_000_000
            if n != 10 { Self.feed(analyzer, Self.packet(n), at: time, leg: 0) }
            if n != 20 { Self.feed(analyzer, Self.packet(n), at: time + 30_000, leg: 1) }
        }
        #expect(analyzer.legPackets == [99, 99])
        #expect(analyzer.copies == 98)
        #expect(analyzer.sequence.packets == 100 && analyzer.sequence.lost == 0)
        #expect(Set(analyzer.copySkews) == [30_000])
        #expect(analyzer.legLost == [1, 1] && analyzer.onlyOneLeg == 2)
    }
}

@Suite struct BoundedSeriesTests {
    @Test("levels: past 2048 windows neighbours merge and the window doubles; the totals stay exact")
    func levelWindowsMerge() {
        var levels = ChannelLevels(channelCount: 1, encoding: .l16, windowFrames: 1)
        // 5000 frames, sample k = k % 1000 (big-endian 16-bit), in packets of 10.
        var peakSquares = 0.0
        for packet in 0..<500 {
            var bytes = [UInt8]()
            for frame in 0..<10 {
                let value = (packet * 10 + frame) % 1000
                peakSquares += Double(value * value)
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            bytes.withUnsafeBytes { levels.take(payload: $0) }
        }
        levels.finish()
        #expect(levels.windowCount <= ChannelLevels.maximumWindows)
        #expect(levels.windowFrames == 4)
        #expect(levels.windowCount == 1250)
        let whole = levels.level(0)
        let expectedRMS = 20 * log10((peakSquares / 5000 * 2).squareRoot() / 32_768)
        #expect(abs((whole.rms ?? 0) - expectedRMS) < 1e-9)
        #expect(abs((whole.peak ?? 0) - 20 * log10(999.0 / 32_768)) < 1e-9)
        // The last window: frames 4996 to 4999.
        #expect(abs((levels.level(window: 1249, channel: 0).peak ?? 0) - 20 * log10(999.0 / 32_768)) < 1e-9)
    }
}

@Suite struct ControlSummaryTests {
    /// A compound of a sender report at `seconds` with RTP timestamp `rtp`, and an SDES with a CNAME.
    static func compound(seconds: Int64, rtp: UInt32) -> [UInt8] {
        RTCPPacket.compound([
            .senderReport(
                RTCPSenderReport(
                    ssrc: 7, ntpTimestamp: NTPTimestamp(unixNanoseconds: seconds * 1_000_000_000), rtpTimestamp: rtp,
                    packetCount: 0, octetCount: 0)),
            .sourceDescription(
                RTCPSourceDescription(chunks: [
                    .init(ssrc: 7, items: [.init(type: RTCPSourceDescription.Item.canonicalName, text: "pc1")])
                ])),
        ])
    }

    @Test("sender reports: their RTP timestamps against the newest packet's, the rate two imply, the CNAME")
    func senderReports() {
        var summary = ControlSummary()
        // Across the 32-bit wrap: the newest packet at 4294967290, reports 48 frames past it, then 1 s later.
        summary.take(Self.compound(seconds: 1_700_000_000, rtp: 4_294_967_290 &+ 48), newestTimestamp: 4_294_967_290)
        summary.take(Self.compound(seconds: 1_700_000_001, rtp: 42 &+ 48_000), newestTimestamp: 4_294_967_290 &+ 48_000)
        summary.take([0x80, 200, 0, 9], newestTimestamp: nil)
        #expect(summary.senderReports == 2 && summary.malformed == 1)
        #expect(summary.reportOffsetFrames?.minimum == 48 && summary.reportOffsetFrames?.maximum == 48)
        #expect(summary.reportedRate == 48_000)
        #expect(summary.canonicalNames == ["pc1"])
    }
}
