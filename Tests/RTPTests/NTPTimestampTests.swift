import RTP
import Testing

// NTP timestamps (RFC 5905 section 6, as RTCP uses them in RFC 3550 section 4): seconds since 1900-01-01
// in the high 32 bits, a binary fraction of a second in the low 32. The Unix epoch is 70 years later:
// (70 x 365 + 17 leap days) x 86400 = 2 208 988 800 s = 0x83AA7E80.

@Suite struct NTPTimestampTests {
    @Test func unixEpoch() {
        let epoch = NTPTimestamp(unixNanoseconds: 0)
        #expect(epoch.rawValue == 0x83AA_7E80_0000_0000)
        #expect(epoch.seconds == 0x83AA_7E80)
        #expect(epoch.fraction == 0)
        // The constant itself, from the calendar: 25567 days of 86400 seconds.
        #expect(NTPTimestamp.unixEpochSeconds == (70 * 365 + 17) * 86_400)
    }

    @Test func halfASecond() {
        // 0.5 s is the top bit of the fraction.
        let half = NTPTimestamp(unixNanoseconds: 500_000_000)
        #expect(half.seconds == 0x83AA_7E80)
        #expect(half.fraction == 0x8000_0000)
        #expect(half.rawValue == 0x83AA_7E80_8000_0000)
    }

    @Test func secondsAndQuarter() {
        // 1.25 s: one second more, fraction 0.25 = 0x40000000.
        #expect(NTPTimestamp(unixNanoseconds: 1_250_000_000).rawValue == 0x83AA_7E81_4000_0000)
    }

    @Test func oneNanosecond() {
        // 1 ns = 2^32 / 10^9 = 4.29 fraction units, rounded to 4.
        #expect(NTPTimestamp(unixNanoseconds: 1).fraction == 4)
        // 999 999 999 ns = 2^32 - 4.29 = 4294967291.7 units, rounded to 4294967292 = 0xFFFFFFFC.
        #expect(NTPTimestamp(unixNanoseconds: 999_999_999).fraction == 0xFFFF_FFFC)
        #expect(NTPTimestamp(unixNanoseconds: 999_999_999).seconds == 0x83AA_7E80)
    }

    @Test func aRecentDate() {
        // 2024-01-01T00:00:00Z is Unix 1 704 067 200 s.
        let time = NTPTimestamp(unixNanoseconds: 1_704_067_200 * 1_000_000_000)
        #expect(time.rawValue == UInt64(1_704_067_200 + 2_208_988_800) << 32)
    }

    @Test func nanosecondsFromRawValue() {
        // Fraction 0x80000000 = 0.5 s.
        #expect(NTPTimestamp(rawValue: 0x83AA_7E80_8000_0000).unixNanoseconds == 500_000_000)
        // One second after the epoch.
        #expect(NTPTimestamp(rawValue: 0x83AA_7E81_0000_0000).unixNanoseconds == 1_000_000_000)
        // 1 unit = 0.233 ns rounds to 0; 3 units = 0.698 ns rounds to 1.
        #expect(NTPTimestamp(rawValue: 0x83AA_7E80_0000_0001).unixNanoseconds == 0)
        #expect(NTPTimestamp(rawValue: 0x83AA_7E80_0000_0003).unixNanoseconds == 1)
        // 0xFFFFFFFF units = 1 s - 0.233 ns rounds to the next whole second.
        #expect(NTPTimestamp(rawValue: 0x83AA_7E80_FFFF_FFFF).unixNanoseconds == 1_000_000_000)
    }

    /// Nanoseconds -> NTP -> nanoseconds, within 1 ns. One fraction unit is 0.233 ns, so the fraction is off
    /// by at most 0.117 ns, which rounding back to whole nanoseconds removes: the round trip is in fact exact.
    @Test(arguments: [
        Int64(0), 1, 2, 3, 499, 500_000_000, 999_999_999, 1_000_000_000, 1_704_067_200_123_456_789,
        // 2036-02-07T06:28:15Z, the last second of NTP era 0.
        2_085_978_495_999_999_999,
    ])
    func roundTrip(nanoseconds: Int64) {
        let back = NTPTimestamp(unixNanoseconds: nanoseconds).unixNanoseconds
        #expect(abs(back - nanoseconds) <= 1)
        #expect(back == nanoseconds)
    }

    @Test func middle32() {
        // The middle 32 bits: the low 16 of the seconds, the high 16 of the fraction (RFC 3550 section 6.4.1).
        #expect(NTPTimestamp(rawValue: 0x0123_4567_89AB_CDEF).middle32 == 0x4567_89AB)
        // The Unix epoch + 0.5 s: seconds 0x83AA7E80 -> 0x7E80, fraction 0x80000000 -> 0x8000.
        #expect(NTPTimestamp(unixNanoseconds: 500_000_000).middle32 == 0x7E80_8000)
    }

    @Test func ordersByTime() {
        #expect(NTPTimestamp(unixNanoseconds: 1) < NTPTimestamp(unixNanoseconds: 2))
        #expect(NTPTimestamp(unixNanoseconds: 999_999_999) < NTPTimestamp(unixNanoseconds: 1_000_000_000))
    }
}
