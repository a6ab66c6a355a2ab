/// When a take starts: `--start-at` as an ISO 8601 UTC time or `+SECONDS` from now, exact to the nanosecond.
public enum StartTime {
    /// Unix nanoseconds of `text`: `2026-11-29T12:00:00.25Z` (UTC, `Z` or `+00:00`, fraction optional) or
    /// `+2.5` (seconds after `now`). Nil when the text is neither.
    public static func parse(_ text: String, now: Int64) -> Int64? {
        if text.hasPrefix("+") {
            guard let seconds = ExactDecimal(String(text.dropFirst())) else { return nil }
            return now + Int64(seconds.scaled(by: 1_000_000_000))
        }
        var body = Substring(text)
        if body.hasSuffix("Z") || body.hasSuffix("z") {
            body = body.dropLast()
        } else if body.hasSuffix("+00:00") {
            body = body.dropLast(6)
        } else {
            return nil
        }
        let parts = body.split(separator: "T", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-")
        let time = parts[1].split(separator: ":")
        guard date.count == 3, time.count == 3, let year = Int(date[0]), let month = Int(date[1]),
            let day = Int(date[2]), let hour = Int(time[0]), let minute = Int(time[1]),
            (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            let seconds = ExactDecimal(String(time[2])), seconds.scaled(by: 1) < 61
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let wholeSeconds = Int64(days) * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60
        return wholeSeconds * 1_000_000_000 + Int64(seconds.scaled(by: 1_000_000_000))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// What `a=ts-refclk` (RFC 7273 section 4.8) can truly say about this host's clock.
public enum ReferenceClock {
    /// `ntp=<server>` when a server is given or configured and the kernel says the clock is synchronised,
    /// `ntp=/traceable/` when synchronised to a server not known here, `local` otherwise.
    public static func describe(synchronized: Bool, server: String?) -> String {
        guard synchronized else { return "local" }
        if let server, !server.isEmpty { return "ntp=\(server)" }
        return "ntp=/traceable/"
    }

    /// The first `server` or `pool` of an NTP daemon's configuration text (chrony, ntpd), or `NTP=` of
    /// systemd-timesyncd.
    public static func configuredServer(in configuration: String) -> String? {
        for line in configuration.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = words.first else { continue }
            if (first == "server" || first == "pool"), words.count > 1 { return String(words[1]) }
            if first.hasPrefix("NTP="), let value = first.split(separator: "=").dropFirst().first {
                return String(value)
            }
        }
        return nil
    }
}
