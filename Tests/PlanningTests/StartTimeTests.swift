import Planning
import Testing

/// Start times and the reference clock, checked against values worked out independently (Python's
/// calendar.timegm).
struct StartTimeTests {
    @Test(
        "ISO 8601 UTC start times parse to the nanosecond",
        arguments: [
            ("1970-01-01T00:00:00Z", Int64(0)),
            ("2026-11-29T12:00:00.5Z", Int64(1_795_953_600_500_000_000)),
            ("2026-11-29T12:00:00.5+00:00", Int64(1_795_953_600_500_000_000)),
            ("2000-02-29T23:59:59.123456789Z", Int64(951_868_799_123_456_789)),
        ])
    func parsesISOTimes(_ text: String, _ expected: Int64) {
        #expect(StartTime.parse(text, now: 0) == expected)
    }

    @Test("+SECONDS counts from now; malformed times are refused")
    func parsesRelativeAndRefusesNonsense() {
        #expect(StartTime.parse("+2.5", now: 1_000) == 2_500_001_000)
        for text in [
            "", "tomorrow", "2026-11-29T12:00:00", "2026-11-29 12:00:00Z", "2026-13-01T00:00:00Z", "+", "+-1",
            "2026-11-29T24:00:00Z", "2026-11-29T12:00:00+01:00",
            // Found by the take file's totality test: years whose nanoseconds overflow 64 bits trapped.
            "2300-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "2026-02-30T00:00:00Z",
        ] {
            #expect(StartTime.parse(text, now: 0) == nil, "\(text)")
        }
    }

    @Test("a=ts-refclk says only what is true")
    func referenceClock() {
        #expect(ReferenceClock.describe(synchronized: false, server: "ntp.example") == "local")
        #expect(ReferenceClock.describe(synchronized: true, server: "ntp.example") == "ntp=ntp.example")
        #expect(ReferenceClock.describe(synchronized: true, server: nil) == "ntp=/traceable/")
        let chrony = "# comment\nmakestep 1 3\npool 2.debian.pool.ntp.org iburst\nserver 10.0.0.1 iburst\n"
        #expect(ReferenceClock.configuredServer(in: chrony) == "2.debian.pool.ntp.org")
        #expect(ReferenceClock.configuredServer(in: "[Time]\nNTP=time.example\n") == "time.example")
        #expect(ReferenceClock.configuredServer(in: "driftfile /var/lib/chrony\n") == nil)
    }
}
