/// Dates of the proleptic Gregorian calendar as days since 1970-01-01, both ways (Howard Hinnant's algorithms),
/// and UTC instants as ISO 8601 text: for start times, `bext` dates and messages, without Foundation.
public enum CivilDate {
    /// Days since 1970-01-01 of a date.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day count since 1970-01-01.
    public static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The parts of a UTC instant given in Unix nanoseconds (at or after 1970).
    public static func parts(unixNanoseconds: Int64) -> (
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanosecond: Int
    ) {
        let seconds = unixNanoseconds / 1_000_000_000
        let days = Int(seconds / 86_400)
        let inDay = Int(seconds % 86_400)
        let (year, month, day) = date(days: days)
        return (year, month, day, inDay / 3600, inDay / 60 % 60, inDay % 60, Int(unixNanoseconds % 1_000_000_000))
    }

    /// `2026-11-29T12:00:00.250000000Z`: ISO 8601 UTC to the nanosecond (the fraction left out when zero).
    public static func iso8601(unixNanoseconds: Int64) -> String {
        let p = parts(unixNanoseconds: unixNanoseconds)
        let fraction = p.nanosecond == 0 ? "" : "." + padded(p.nanosecond, 9)
        return
            "\(padded(p.year, 4))-\(padded(p.month, 2))-\(padded(p.day, 2))T\(padded(p.hour, 2)):\(padded(p.minute, 2)):\(padded(p.second, 2))\(fraction)Z"
    }

    /// `value` in decimal with leading zeros to `width` digits.
    public static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
