import Analysis
import Planning
import SDP
import Testing

@Suite struct DescriptionCheckTests {
    static func stream(
        address: String = "239.69.1.1", ttl: Int? = 32, rate: Int = 48_000, channels: Int = 2, frames: Int = 48,
        clock: String? = "ptp=IEEE1588-2008:39-A7-94-FF-FE-07-CB-D0:0", offset: UInt32? = 0, filter: Bool = true
    ) -> StreamDescription {
        StreamDescription(
            name: "s", destination: ConnectionAddress(family: .ipv4, address: address, ttl: ttl), port: 5004,
            payloadType: 96, encoding: .l24, sampleRate: rate, channelCount: channels, framesPerPacket: frames,
            rtcpPort: 5005, referenceClock: clock, mediaClockOffset: offset,
            sourceFilter: filter ? ConnectionAddress(family: .ipv4, address: "192.168.1.2") : nil)
    }

    @Test("an AES67 stream as devices announce it: nothing to remark, at level A or C too")
    func clean() {
        #expect(DescriptionCheck.findings(Self.stream()).isEmpty)
        #expect(DescriptionCheck.findings(Self.stream(), level: .a).isEmpty)
        #expect(DescriptionCheck.findings(Self.stream(channels: 64, frames: 6), level: .c) == [])
        #expect(DescriptionCheck.findings(Self.stream(rate: 96_000, channels: 4, frames: 96), level: .ax).isEmpty)
    }

    @Test("each remark: packet time, rate, clock lines, TTL, source filter, payload size")
    func remarks() {
        #expect(
            DescriptionCheck.findings(Self.stream(channels: 1, frames: 480)) == [
                .packetTime(frames: 480, sampleRate: 48_000)
            ])
        #expect(DescriptionCheck.findings(Self.stream(rate: 32_000, frames: 32)) == [.sampleRate(32_000)])
        #expect(DescriptionCheck.findings(Self.stream(clock: nil, offset: nil)) == [.noReferenceClock, .noMediaClock])
        #expect(DescriptionCheck.findings(Self.stream(clock: "local")) == [.localReferenceClock])
        #expect(DescriptionCheck.findings(Self.stream(ttl: nil, filter: false)) == [.noTTL, .noSourceFilter])
        // Unicast: no TTL or source filter to ask for.
        #expect(DescriptionCheck.findings(Self.stream(address: "192.168.1.9", ttl: nil, filter: false)).isEmpty)
        #expect(
            DescriptionCheck.findings(Self.stream(channels: 16)) == [.payloadTooLarge(bytes: 2304)])
        // 44.1 kHz has no whole number of frames in 1 ms: 44 is within a frame of it.
        #expect(DescriptionCheck.findings(Self.stream(rate: 44_100, frames: 44)).isEmpty)
    }

    @Test("against a level: what it does not take, and a media clock offset other than 0, fail it")
    func levels() {
        let eight = Self.stream(channels: 8, frames: 6)
        #expect(
            DescriptionCheck.findings(eight, level: .a)
                == [.outsideLevel(.a, encoding: .l24, sampleRate: 48_000, channels: 8, frames: 6)])
        #expect(DescriptionCheck.findings(eight, level: .b).isEmpty)
        #expect(
            DescriptionCheck.findings(Self.stream(offset: 1234), level: .a) == [.mediaClockOffset(1234)])
        #expect(DescriptionCheck.findings(Self.stream(offset: 1234)).isEmpty)
        #expect(DescriptionFinding.mediaClockOffset(1).failsLevel && !DescriptionFinding.noTTL.failsLevel)
    }
}
