import Planning
import RTP
import Testing

/// How a description's reference clock decides what its media clock may do here (RFC 7273 `a=ts-refclk`).
@Suite struct TimelineClockTests {
    static let grandmaster = "ptp=IEEE1588-2008:00-1D-C1-FF-FE-00-00-A1:5"

    static func clock(_ reference: String?, offset: UInt32? = 77, assumed: Bool = false, host: HostClock)
        -> TimelineClock
    {
        ReferenceClock.timelineClock(offset: offset, referenceClock: reference, assumed: assumed, host: host)
    }

    @Test("local is the sender's own clock: compared with its reports, never verified, on any host")
    func local() {
        for host in [
            HostClock(synchronized: true, ptpReferenceClock: Self.grandmaster), HostClock(synchronized: false),
        ] {
            #expect(Self.clock("local", host: host) == .sendersOwn(offset: 77))
            #expect(Self.clock("LOCAL", host: host) == .sendersOwn(offset: 77))
        }
    }

    @Test("PTP is verified only where ptp4l here follows the same grandmaster in the same domain")
    func ptp() {
        let following = HostClock(synchronized: false, ptpReferenceClock: Self.grandmaster.lowercased())
        #expect(Self.clock(Self.grandmaster, host: following) == .direct(offset: 77, timescale: .tai, verified: true))
        let otherDomain = HostClock(
            synchronized: true, ptpReferenceClock: "ptp=IEEE1588-2008:00-1D-C1-FF-FE-00-00-A1:0")
        #expect(
            Self.clock(Self.grandmaster, host: otherDomain) == .direct(offset: 77, timescale: .tai, verified: false))
        #expect(
            Self.clock(Self.grandmaster, host: HostClock(synchronized: true))
                == .direct(offset: 77, timescale: .tai, verified: false))
    }

    @Test("UTC (ntp=, or none named) is verified where this host's clock is synchronised; assumed never is")
    func utc() {
        let synchronized = HostClock(synchronized: true)
        #expect(
            Self.clock("ntp=/traceable/", host: synchronized) == .direct(offset: 77, timescale: .utc, verified: true))
        #expect(Self.clock(nil, host: synchronized) == .direct(offset: 77, timescale: .utc, verified: true))
        #expect(
            Self.clock(nil, host: HostClock(synchronized: false))
                == .direct(offset: 77, timescale: .utc, verified: false))
        #expect(
            Self.clock(nil, assumed: true, host: synchronized) == .direct(offset: 77, timescale: .utc, verified: false))
        #expect(Self.clock("ntp=/traceable/", offset: nil, host: synchronized) == .senderReports)
    }
}
