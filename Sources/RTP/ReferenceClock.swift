/// The time scale of a reference clock (RFC 7273): UTC, as NTP and the system clock count, or TAI, as PTP counts
/// (IEEE 1588), ahead of UTC by the leap seconds since 1972.
public enum Timescale: Sendable, Hashable {
    case utc
    case tai

    /// The timescale a `ts-refclk` names: `ptp=...` is TAI, anything else (or nothing) UTC.
    public init(referenceClock: String?) {
        self = referenceClock?.hasPrefix("ptp") == true ? .tai : .utc
    }
}

/// TAI - UTC: one value for everything that turns PTP time into UTC or back.
public enum TAI {
    /// TAI - UTC in seconds since 2017-01-01 (IERS Bulletin C), what is used where nothing says otherwise.
    public static let defaultOffsetSeconds = 37

    /// TAI - UTC on this host: the kernel's where it is set (ptp4l, phc2sys or chrony set it), else what a PTP
    /// grandmaster announces, else the default.
    public static func offsetSeconds(kernel: Int, ptp: Int?) -> Int {
        if kernel > 0 { return kernel }
        if let ptp, ptp > 0 { return ptp }
        return defaultOffsetSeconds
    }
}

/// How a stream's RTP timestamps are placed on a timeline.
public enum TimelineClock: Sendable, Hashable {
    /// RFC 7273 direct: the RTP timestamp minus `offset` is the reference clock's time in samples, modulo 2^32, on
    /// `timescale`; `verified` when this host has checked the reference clock the description names (and not when
    /// it cannot, or a take file's senders' default is assumed).
    case direct(offset: UInt32, timescale: Timescale, verified: Bool)
    /// RFC 7273 direct on the sender's own clock (`ts-refclk:local`): never read as UTC, so the stream is placed by
    /// its sender reports, which count the same clock; the media clock is only compared with them.
    case sendersOwn(offset: UInt32)
    /// From the stream's RTCP sender reports (RFC 3550 section 6.4.1).
    case senderReports
}

extension MediaClock {
    /// What to add to an extended RTP timestamp to get frames since the Unix epoch (UTC) for an RFC 7273 direct
    /// media clock: the timestamp less `offset` is the reference clock's time in samples modulo 2^32, unwrapped to
    /// the value nearest `near` (the clocks agree to far better than the 2^31 samples, 12 hours at 48 kHz, that
    /// would confuse it), then taken from TAI to UTC by `taiOffsetSeconds` where the reference counts TAI.
    public static func directDelta(
        timestamp: UInt32, extended: Int64, offset: UInt32, timescale: Timescale, taiOffsetSeconds: Int,
        near unixNanoseconds: Int64, rate: Int
    ) -> Int64 {
        let tai = timescale == .tai ? Int64(taiOffsetSeconds) : 0
        let reference = EpochFrames(unixNanoseconds: unixNanoseconds + tai * 1_000_000_000, rate: rate).frames
        let media = timestamp &- offset
        let unwrapped = reference + Int64(Int32(bitPattern: media &- UInt32(truncatingIfNeeded: reference)))
        return unwrapped - Int64(rate) * tai - extended
    }
}
