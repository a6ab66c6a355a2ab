/// Decimal numbers as text, without Foundation: one rule for status lines, JSON figures, SDP packet times and the
/// benchmark's tables.
public enum DecimalText {
    /// `value` rounded to `digits` decimals (halves away from zero), e.g. `fixed(1.23456, digits: 3)` is "1.235".
    /// Infinite and NaN values render as "0": a figure that cannot be computed is shown as none.
    public static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let magnitude = (abs(value) * scale).rounded()
        guard magnitude < 9.0e18 else { return value < 0 ? "-" + String(Int.max) : String(Int.max) }
        let scaled = Int(magnitude)
        let text = render(scaled: scaled, fractionDigits: digits, trimmingZeros: false)
        return value < 0 && scaled != 0 ? "-" + text : text
    }

    /// `scaled` / 10^fractionDigits as text; with `trimmingZeros` the fraction loses its trailing zeros, and the
    /// point too when nothing is left of it (`render(scaled: 5000, fractionDigits: 3, trimmingZeros: true)` is "5").
    public static func render(scaled: Int, fractionDigits: Int, trimmingZeros: Bool) -> String {
        var text = String(scaled)
        guard fractionDigits > 0 else { return text }
        while text.count <= fractionDigits { text = "0" + text }
        var fraction = String(text.suffix(fractionDigits))
        let whole = String(text.dropLast(fractionDigits))
        if trimmingZeros {
            while fraction.hasSuffix("0") { fraction.removeLast() }
            if fraction.isEmpty { return whole }
        }
        return whole + "." + fraction
    }
}
