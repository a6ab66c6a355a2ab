import RTP
import TestSupport
import Testing

// The RTCP interval, RFC 3550 section 6.3 and appendix A.7 (rtcp_interval), worked by hand:
//
//   rtcp_bw = 5 % of the session bandwidth, in octets per second
//   if senders <= members / 4 (and we send): rtcp_bw *= 1/4, n = senders; otherwise n = members
//   t = max(avg_rtcp_size * n / rtcp_bw, minimum)
//   randomised: t x uniform(0.5, 1.5) / (e - 3/2)
//
// The session here: 48 kHz stereo L16 in 1 ms packets. Payload 48 000 x 2 x 16 = 1 536 000 bit/s; 1000 packets
// a second of 40 header bytes (IPv4 20, UDP 8, RTP 12) add 1000 x 40 x 8 = 320 000 bit/s: 1 856 000 bit/s.
// 5 % of it is 92 800 bit/s = 11 600 octets/s, the senders' quarter 2 900 octets/s.

/// e - 3/2, RFC 3550 A.7's COMPENSATION, written out here rather than taken from the code.
private let compensation = 2.718_281_828_459_045_235 - 1.5
private let sessionBandwidth = 1_856_000.0

@Suite struct RTCPIntervalTests {
    @Test func sessionBandwidthOfStereoL16() {
        let bandwidth = RTCPInterval.sessionBandwidth(
            sampleRate: 48_000, channelCount: 2, bytesPerSample: 2, framesPerPacket: 48)
        #expect(bandwidth == 1_536_000 + 1000 * 40 * 8)
        #expect(bandwidth == sessionBandwidth)
    }

    @Test func sessionBandwidthOfMonoL24With20MillisecondPackets() {
        // 44 100 x 1 x 24 = 1 058 400 bit/s of payload; 44 100 / 882 = 50 packets/s x 320 bits = 16 000.
        let bandwidth = RTCPInterval.sessionBandwidth(
            sampleRate: 44_100, channelCount: 1, bytesPerSample: 3, framesPerPacket: 882)
        #expect(bandwidth == 1_074_400)
    }

    /// Two members, one sender: 1 > 2 / 4, so no sender share. 100 x 2 / 11 600 = 0.0172 s, far below 5 s.
    @Test func minimumWinsAtTheDefault() {
        let interval = RTCPInterval(sessionBandwidth: sessionBandwidth)
        #expect(interval.minimumSeconds == 5)
        #expect(interval.deterministicSeconds(members: 2, senders: 1, averagePacketBytes: 100) == 5)
        // 1000 members that all send (1000 > 1000 / 4, no sender share): 100 x 1000 / 11 600 = 8.6 s, above it.
        let crowded = interval.deterministicSeconds(members: 1000, senders: 1000, averagePacketBytes: 100)
        #expect(abs(crowded - 100_000.0 / 11_600) < 1e-12)
    }

    /// With a 10 ms minimum the bandwidth term wins. Two members, one sender: no sender share, n = 2,
    /// 100 x 2 / (0.05 x 1 856 000 / 8) = 200 / 11 600 s.
    @Test func bandwidthWinsWithTwoMembers() {
        let interval = RTCPInterval(sessionBandwidth: sessionBandwidth, minimumSeconds: 0.01)
        let seconds = interval.deterministicSeconds(members: 2, senders: 1, averagePacketBytes: 100)
        #expect(abs(seconds - 200.0 / 11_600) < 1e-12)
        #expect(seconds > 0.01)
    }

    /// Eight members, one sender: 1 <= 8 / 4, so the senders' quarter, n = senders = 1:
    /// 100 x 1 / (0.05 x 1 856 000 / 8 x 0.25) = 100 / 2 900 s (without the share it would be 800 / 11 600).
    @Test func bandwidthWinsWithTheSendersQuarter() {
        let interval = RTCPInterval(sessionBandwidth: sessionBandwidth, minimumSeconds: 0.01)
        let seconds = interval.deterministicSeconds(members: 8, senders: 1, averagePacketBytes: 100)
        #expect(abs(seconds - 100.0 / 2_900) < 1e-12)
        // Four members, one sender, on the boundary 1 <= 4 / 4: 100 x 1 / 2 900, which is also what the whole
        // bandwidth shared by all four would give (400 / 11 600), so the boundary cannot tell the two apart.
        let boundary = interval.deterministicSeconds(members: 4, senders: 1, averagePacketBytes: 100)
        #expect(abs(boundary - 100.0 / 2_900) < 1e-12)
        // Five members, two senders: 2 > 5 / 4, everybody shares the whole 11 600: 100 x 5 / 11 600.
        let shared = interval.deterministicSeconds(members: 5, senders: 2, averagePacketBytes: 100)
        #expect(abs(shared - 500.0 / 11_600) < 1e-12)
    }

    /// Section 6.2's reduced minimum: 360 / session bandwidth in kbit/s.
    @Test func reducedMinimum() {
        #expect(RTCPInterval.reducedMinimum(sessionBandwidth: 1_856_000) == 360.0 / 1856)
        // 0.19396... s, about 194 ms.
        #expect(abs(RTCPInterval.reducedMinimum(sessionBandwidth: 1_856_000) - 0.193_965_517) < 1e-9)
        // 72 kbit/s: 5 s, the default minimum.
        #expect(RTCPInterval.reducedMinimum(sessionBandwidth: 72_000) == 5)
    }

    /// Every draw lies within [0.5, 1.5] x deterministic / (e - 3/2); over 10 000 draws the mean is within 2 % of
    /// deterministic / (e - 3/2), and the draws spread over nearly the whole range.
    @Test(arguments: [(RTCPInterval.defaultMinimumSeconds, 2, 1), (0.01, 4, 1), (0.01, 2, 1)])
    func randomizedSeconds(minimum: Double, members: Int, senders: Int) {
        let interval = RTCPInterval(sessionBandwidth: sessionBandwidth, minimumSeconds: minimum)
        let deterministic = interval.deterministicSeconds(members: members, senders: senders, averagePacketBytes: 100)
        let centre = deterministic / compensation
        var random = SplitMix64(state: 0x0052_5443_5050)
        var sum = 0.0
        var (lowest, highest) = (Double.infinity, -Double.infinity)
        for _ in 0..<10_000 {
            let seconds = interval.randomizedSeconds(
                members: members, senders: senders, averagePacketBytes: 100, using: &random)
            #expect(seconds >= 0.5 * centre && seconds <= 1.5 * centre)
            sum += seconds
            lowest = min(lowest, seconds)
            highest = max(highest, seconds)
        }
        let mean = sum / 10_000
        #expect(abs(mean - centre) <= 0.02 * centre)
        // Uniform draws: the extremes of 10 000 come within 1 % of the range's ends.
        #expect(lowest < 0.51 * centre)
        #expect(highest > 1.49 * centre)
    }

    /// At 5 s the 5 % budget is far away: one sender, compounds of SR 28 + SDES 20 bytes + 28 of IPv4 and UDP
    /// = 76 bytes, at the shortest randomised interval 5 x 0.5 / (e - 3/2) = 2.05 s: 296 bit/s against 92 800.
    @Test(arguments: [
        sessionBandwidth,
        // The smallest stream there is: 8 kHz mono L16 in 20 ms packets, 128 000 + 50 x 320 = 144 000 bit/s.
        144_000,
    ])
    func oneSenderStaysUnderFivePercent(bandwidth: Double) {
        let interval = RTCPInterval(sessionBandwidth: bandwidth)
        let compoundBytes = 76.0
        let deterministic = interval.deterministicSeconds(members: 2, senders: 1, averagePacketBytes: compoundBytes)
        var random = SplitMix64(state: 7)
        var shortest = Double.infinity
        for _ in 0..<10_000 {
            shortest = min(
                shortest,
                interval.randomizedSeconds(members: 2, senders: 1, averagePacketBytes: compoundBytes, using: &random))
        }
        #expect(deterministic == 5)
        #expect(shortest >= 5 * 0.5 / compensation)
        #expect(compoundBytes * 8 / shortest < 0.05 * bandwidth)
    }
}
