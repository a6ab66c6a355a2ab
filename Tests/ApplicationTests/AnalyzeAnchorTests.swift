import Testing

@testable import Application

/// Which clock a stream's RTP timestamps are judged against when analysed: its media clock only where the
/// description ties the timestamps to PTP or NTP and this host's clock is on that timescale.
@Suite struct AnalyzeAnchorTests {
    static func stream(clock: String?, offset: UInt32?) -> StreamDescription {
        StreamDescription(
            name: "s", destination: ConnectionAddress(family: .ipv4, address: "127.0.0.1"), port: 5004,
            payloadType: 96, encoding: .l24, sampleRate: 48_000, channelCount: 2, framesPerPacket: 48,
            rtcpPort: 5005, referenceClock: clock, mediaClockOffset: offset)
    }

    @Test("PTP adds the TAI offset, NTP does not; a local clock, no mediaclk or an unsynchronised host is relative")
    func anchors() {
        let ptp = Self.stream(clock: "ptp=IEEE1588-2008:00-1D-C1-FF-FE-00-00-A1:5", offset: 1000)
        let ntp = Self.stream(clock: "ntp=pool.ntp.org", offset: 0)
        func anchor(_ stream: StreamDescription, synchronized: Bool = true) -> ArrivalDelay.ClockAnchor {
            AnalyzeProgram.anchor(for: stream, synchronized: synchronized, taiOffsetSeconds: 37)
        }
        #expect(anchor(ptp) == .mediaClock(offset: 1000, taiOffsetSeconds: 37))
        #expect(anchor(ntp) == .mediaClock(offset: 0, taiOffsetSeconds: 0))
        #expect(anchor(ptp, synchronized: false) == .relative)
        #expect(anchor(ntp, synchronized: false) == .relative)
        #expect(anchor(Self.stream(clock: "local", offset: 0)) == .relative)
        #expect(anchor(Self.stream(clock: "ptp=IEEE1588-2008:traceable", offset: nil)) == .relative)
        #expect(anchor(Self.stream(clock: nil, offset: 0)) == .relative)
    }
}
