import Numbers
import Planning
import Testing

// Decimal numbers exact as the user writes them (packet times in milliseconds, durations in seconds).

@Suite struct ExactDecimalTests {
    @Test(arguments: [
        ("1", 1, 1), ("0.125", 125, 1_000), ("10", 10, 1), ("2.5", 25, 10), ("0", 0, 1),
        ("123456789.123456789", 123_456_789_123_456_789, 1_000_000_000),
    ])
    func parses(text: String, numerator: Int, denominator: Int) throws {
        let value = try #require(ExactDecimal(text))
        #expect(value.numerator == numerator)
        #expect(value.denominator == denominator)
        #expect(value == ExactDecimal(numerator: numerator, denominator: denominator))
    }

    @Test(arguments: [
        "", ".", "1.2.3", "-1", "abc", "+1", " 1", "1 ", "1e3", "1,5", "0x10",
        "\u{FF11}",  // FULLWIDTH DIGIT ONE: a number, but not ASCII
        "1234567890",  // ten digits before the point
        "0.1234567890",  // ten digits after the point
    ])
    func rejects(text: String) {
        #expect(ExactDecimal(text) == nil)
        #expect(PacketTime(milliseconds: text) == nil)
    }

    @Test(arguments: [("1", "1"), ("0.125", "0.125"), ("10", "10"), ("2.5", "2.5"), ("0.005", "0.005")])
    func describesAsWritten(text: String, description: String) throws {
        #expect(try #require(ExactDecimal(text)).description == description)
    }

    @Test func describesFractionsWithLeadingZeros() {
        // 5/1000 = 0.005; 0/10 = 0.0.
        #expect(ExactDecimal(numerator: 5, denominator: 1_000).description == "0.005")
        #expect(ExactDecimal(numerator: 0, denominator: 10).description == "0.0")
    }

    @Test func scalesRoundingHalvesUp() {
        // 2.5 x 3 = 7.5 -> 8; 2.5 x 1 = 2.5 -> 3; 0.125 x 4 = 0.5 -> 1; 0.125 x 3 = 0.375 -> 0.
        let twoAndAHalf = ExactDecimal(numerator: 25, denominator: 10)
        #expect(twoAndAHalf.scaled(by: 3) == 8)
        #expect(twoAndAHalf.scaled(by: 1) == 3)
        #expect(ExactDecimal(numerator: 125, denominator: 1_000).scaled(by: 4) == 1)
        #expect(ExactDecimal(numerator: 125, denominator: 1_000).scaled(by: 3) == 0)
        // 10 x 44100 / 1000 = 441.
        #expect(ExactDecimal(numerator: 10).scaled(by: 44_100, dividedBy: 1_000) == 441)
    }

    /// `--duration 99999999.9999999` passes the parser (8 + 7 digits); in frames at 48 kHz it is
    /// 99 999 999.9999999 x 48 000 = 4 799 999 999 999.9952 -> 4 800 000 000 000, well inside Int.
    /// The conversion must give that number, not trap on the intermediate numerator x rate
    /// (999 999 999 999 999 x 48 000 = 4.8e19 > Int.max = 9.2e18).
    @Test func scalingALongAcceptedDurationDoesNotTrap() async {
        await #expect(processExitsWith: .success) {
            let duration = ExactDecimal("99999999.9999999")
            precondition(duration != nil, "the parser accepts 8 + 7 digits")
            precondition(duration?.scaled(by: 48_000) == 4_800_000_000_000)
        }
    }
}
