import Numbers

/// When a take starts, as asked: an absolute wall-clock instant or a delay from now, exact to the nanosecond.
public enum StartRequest: Sendable, Hashable {
    /// Unix nanoseconds.
    case at(Int64)
    /// Seconds after the moment of planning.
    case after(ExactDecimal)

    /// Parses `2026-11-29T12:00:00.25Z` (ISO 8601 UTC: `Z` or `+00:00`, fraction optional, to the nanosecond) or
    /// `+2.5` (seconds from now). Nil when the text is neither.
    public init?(_ text: String) {
        if text.hasPrefix("+") {
            guard let seconds = ExactDecimal(String(text.dropFirst())) else { return nil }
            self = .after(seconds)
            return
        }
        guard let instant = StartTime.unixNanoseconds(iso8601: text) else { return nil }
        self = .at(instant)
    }

    /// The instant in Unix nanoseconds, for a plan made at `now`.
    public func unixNanoseconds(now: Int64) -> Int64 {
        switch self {
        case .at(let instant): instant
        case .after(let seconds): now + Int64(seconds.scaled(by: 1_000_000_000))
        }
    }
}

/// Calendar arithmetic for start times, without Foundation.
public enum StartTime {
    /// The years a start may name: from 1970 (Unix time before it is not represented here) to 2199 (Unix
    /// nanoseconds in 64 bits end in 2262).
    public static let years = 1970...2199

    /// Unix nanoseconds of `text` (either form `StartRequest` reads) for a plan made at `now`, or nil.
    public static func parse(_ text: String, now: Int64) -> Int64? {
        StartRequest(text)?.unixNanoseconds(now: now)
    }

    /// Unix nanoseconds of an ISO 8601 UTC time such as `2026-11-29T12:00:00.25Z`, or nil.
    public static func unixNanoseconds(iso8601 text: String) -> Int64? {
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
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard date.count == 3, time.count == 3, date[0].count == 4, date[1].count == 2, date[2].count == 2,
            time[0].count == 2, time[1].count == 2,
            let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2]), let hour = Int(time[0]),
            let minute = Int(time[1]), years.contains(year), (1...12).contains(month),
            (1...daysInMonth(year: year, month: month)).contains(day), (0...23).contains(hour),
            (0...59).contains(minute), let seconds = ExactDecimal(String(time[2])), seconds.scaled(by: 1) < 61
        else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        let wholeSeconds = Int64(days) * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60
        return wholeSeconds * 1_000_000_000 + Int64(seconds.scaled(by: 1_000_000_000))
    }

    /// Days in a month of the proleptic Gregorian calendar.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

}
