import Application
import Arguments

/// Option values that are decimals: plain digits with an optional fraction (no sign, no exponent), so `1000` and
/// `1e3` are not treated differently by different options, and bounded, so no value far out of range reaches
/// arithmetic that could overflow.
enum DecimalValue {
    /// A decimal in `range`, as written; the message names the unit and the range.
    static func parse(_ text: String, _ spelling: String, _ range: ClosedRange<ExactDecimal>, unit: String)
        throws(UsageError) -> ExactDecimal
    {
        guard let value = ExactDecimal(text), range.contains(value) else {
            throw UsageError(
                "\(spelling) '\(text)': expected \(unit) from \(range.lowerBound) to \(range.upperBound), written as a plain decimal"
            )
        }
        return value
    }

    /// A decimal above zero and at most `maximum`.
    static func positive(_ text: String, _ spelling: String, maximum: Int, unit: String) throws(UsageError)
        -> ExactDecimal
    {
        guard let value = ExactDecimal(text), !value.isZero, value <= ExactDecimal(numerator: maximum) else {
            throw UsageError(
                "\(spelling) '\(text)': expected \(unit) above 0 and at most \(maximum), written as a plain decimal")
        }
        return value
    }

    /// A year of seconds: the longest --duration either command takes.
    static let longestDurationSeconds = 31_536_000
}
