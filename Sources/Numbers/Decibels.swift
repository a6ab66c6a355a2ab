/// Levels in decibels, without Foundation's logarithms.
public enum Decibels {
    /// 20 log10 of a fraction of full scale (0...1]: 0 dBFS at full scale, -6.02 at half; nil for silence.
    public static func fullScale(_ fraction: Double) -> Double? {
        guard fraction > 0, fraction.isFinite else { return nil }
        return 20 * naturalLogarithm(fraction) / naturalLogarithm(10)
    }

    /// ln(x) for x > 0: x = s x 2^e with s in [1, 2), and ln(s) = 2 atanh((s - 1) / (s + 1)) as a series in
    /// z = (s - 1) / (s + 1) <= 1/3, which has converged to 1e-15 after 16 terms.
    static func naturalLogarithm(_ x: Double) -> Double {
        let z = (x.significand - 1) / (x.significand + 1)
        let square = z * z
        var term = z
        var sum = 0.0
        for n in stride(from: 1, through: 33, by: 2) {
            sum += term / Double(n)
            term *= square
        }
        return 2 * sum + Double(x.exponent) * 0.693_147_180_559_945_3
    }
}
