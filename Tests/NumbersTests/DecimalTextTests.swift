import Numbers
import Testing

/// Decimal text: one rounding rule for status lines, JSON figures, packet times and benchmark tables.
@Suite struct DecimalTextTests {
    @Test(arguments: [
        // (value, digits, text)
        (1.23456, 3, "1.235"), (0.0, 3, "0.000"), (2.5, 0, "3"), (-1.25, 1, "-1.3"), (1e-7, 3, "0.000"),
        (-1e-7, 3, "0.000"),  // rounds to zero: no minus sign on a zero
        (.infinity, 3, "0"), (.nan, 1, "0"), (10.0005, 3, "10.001"), (1000.0, 1, "1000.0"),
    ])
    func fixed(value: Double, digits: Int, text: String) {
        #expect(DecimalText.fixed(value, digits: digits) == text)
    }

    @Test(arguments: [
        // (scaled, fraction digits, trimming, text)
        (5000, 3, true, "5"), (125, 3, true, "0.125"), (333, 3, true, "0.333"), (1500, 3, true, "1.5"),
        (5, 3, false, "0.005"), (0, 1, false, "0.0"), (42, 0, false, "42"), (1, 9, false, "0.000000001"),
    ])
    func render(scaled: Int, digits: Int, trimming: Bool, text: String) {
        #expect(DecimalText.render(scaled: scaled, fractionDigits: digits, trimmingZeros: trimming) == text)
    }
}
