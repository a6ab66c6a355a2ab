/// A non-negative decimal number as the user wrote it, kept exact as a fraction (`0.125` = 125/1000):
/// packet times in milliseconds, durations and intervals in seconds.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let numerator: Int
    /// A power of ten.
    public let denominator: Int

    /// The most digits accepted on either side of the point: 10^9 x 10^9 still fits an Int.
    public static let maximumDigits = 9

    public init(numerator: Int, denominator: Int = 1) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Parses digits with at most one decimal point (`1`, `0.125`, `2.5`); at most 9 digits on each side.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts.first ?? ""
        let fraction = parts.count > 1 ? parts[1] : ""
        let digits = whole + fraction
        guard !digits.isEmpty, whole.count <= Self.maximumDigits, fraction.count <= Self.maximumDigits,
            digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits)
        else { return nil }
        numerator = value
        denominator = fraction.reduce(1) { product, _ in product * 10 }
    }

    /// value x multiplier / divisor, rounded to the nearest whole number, halves upwards.
    ///
    /// - Precondition: the whole part times `multiplier` fits an Int (callers bound both; see `maximumDigits`).
    public func scaled(by multiplier: Int, dividedBy divisor: Int = 1) -> Int {
        let scale = divisor * denominator
        // Whole part and remainder apart, so a long duration times a sample rate cannot overflow.
        let whole = numerator / scale
        let rest = numerator % scale
        return whole * multiplier + (rest * multiplier + scale / 2) / scale
    }

    /// Whether value x multiplier fits an Int, so `scaled(by:)` cannot trap.
    public func canScale(by multiplier: Int) -> Bool {
        let whole = numerator / denominator
        return multiplier == 0 || whole <= (Int.max / 2) / multiplier
    }

    public var isZero: Bool { numerator == 0 }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        // Both denominators are at most 10^9 and numerators below 10^18: compare in 128 bits of room.
        let left = lhs.numerator.multipliedFullWidth(by: rhs.denominator)
        let right = rhs.numerator.multipliedFullWidth(by: lhs.denominator)
        return (left.high, left.low) < (right.high, right.low)
    }

    public var description: String {
        DecimalText.render(scaled: numerator, fractionDigits: String(denominator).count - 1, trimmingZeros: false)
    }
}
