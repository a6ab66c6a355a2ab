/// The media clock tied to the wall clock (RFC 7273 "direct" media clock): the RTP timestamp of a sample is
/// its UTC time since the Unix epoch times the sample rate, modulo 2^32, so the same instant has the same RTP
/// timestamp on every track and every PC whose clocks NTP or PTP keeps in step.
public enum MediaClock {
    /// floor(unixNanoseconds x sampleRate / 10^9) modulo 2^32, without overflow.
    public static func rtpTimestamp(unixNanoseconds: Int64, sampleRate: Int) -> UInt32 {
        let seconds = unixNanoseconds / 1_000_000_000
        let rest = unixNanoseconds % 1_000_000_000
        let whole = UInt64(seconds) &* UInt64(sampleRate)
        let part = UInt64(rest) * UInt64(sampleRate) / 1_000_000_000
        return UInt32(truncatingIfNeeded: whole &+ part)
    }

    /// The first instant after `unixNanoseconds` that is a whole multiple of `step` nanoseconds: tracks started
    /// there begin on a packet boundary of the wall clock.
    public static func nextBoundary(after unixNanoseconds: Int64, step: Int64) -> Int64 {
        (unixNanoseconds / step + 1) * step
    }
}

/// Where the RTP timestamps of a stream start.
public enum TimestampOrigin: Sendable, Hashable {
    /// From the wall clock at the start instant (RFC 7273 direct, offset 0): the default.
    case wallClock
    /// A random offset (RFC 3550 section 5.1's classic choice).
    case random
}
