/// A 64-bit NTP timestamp: seconds since 1900-01-01 in the high 32 bits, a binary fraction in the low 32
/// (RFC 3550 section 4, RFC 5905 section 6).
public struct NTPTimestamp: Sendable, Hashable, Comparable {
    /// Seconds from the NTP epoch (1900) to the Unix epoch (1970): 70 years with 17 leap days.
    public static let unixEpochSeconds: UInt64 = 2_208_988_800

    public var rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The NTP time of `nanoseconds` since the Unix epoch, the fraction rounded to nearest.
    public init(unixNanoseconds nanoseconds: Int64) {
        precondition(nanoseconds >= 0, "times before 1970 are not represented")
        let seconds = UInt64(nanoseconds / 1_000_000_000)
        let remainder = UInt64(nanoseconds % 1_000_000_000)
        let fraction = (remainder << 32 + 500_000_000) / 1_000_000_000
        rawValue = (seconds + Self.unixEpochSeconds) << 32 &+ fraction
    }

    public var seconds: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }
    public var fraction: UInt32 { UInt32(truncatingIfNeeded: rawValue) }

    /// Nanoseconds since the Unix epoch, rounded to nearest.
    public var unixNanoseconds: Int64 {
        let seconds = Int64(rawValue >> 32) - Int64(Self.unixEpochSeconds)
        let nanoseconds = (Int64(rawValue & 0xFFFF_FFFF) * 1_000_000_000 + (1 << 31)) >> 32
        return seconds * 1_000_000_000 + nanoseconds
    }

    /// The middle 32 bits, as RTCP's LSR field carries them (RFC 3550 section 6.4.1).
    public var middle32: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 16) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
