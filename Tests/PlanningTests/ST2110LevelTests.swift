import Numbers
import Planning
import Testing

/// ST 2110-30's conformance levels, as a table of what each takes.
@Suite struct ST2110LevelTests {
    static let oneMillisecond = PacketTime.standard
    static let shortest = PacketTime(milliseconds: ExactDecimal(numerator: 125, denominator: 1000))

    @Test(
        "each level's largest stream at 48 and 96 kHz",
        arguments: [
            (ST2110Level.a, 8, nil), (.ax, 8, 4), (.b, 8, nil), (.bx, 8, 8), (.c, 64, nil), (.cx, 64, 32),
        ] as [(ST2110Level, Int, Int?)])
    func largestStreams(_ level: ST2110Level, at48: Int, at96: Int?) {
        #expect(level.maximumChannels(atSampleRate: 48_000) == at48)
        #expect(level.maximumChannels(atSampleRate: 96_000) == at96)
        #expect(level.maximumChannels(atSampleRate: 44_100) == nil)
    }

    @Test("1 ms where the level takes the stream at 1 ms, else 125 us, else refused")
    func packetTimes() {
        #expect(ST2110Level.a.packetTime(sampleRate: 48_000, channels: 8) == Self.oneMillisecond)
        #expect(ST2110Level.a.packetTime(sampleRate: 48_000, channels: 9) == nil)
        #expect(ST2110Level.b.packetTime(sampleRate: 48_000, channels: 2) == Self.oneMillisecond)
        #expect(ST2110Level.b.packetTime(sampleRate: 48_000, channels: 9) == nil)
        #expect(ST2110Level.c.packetTime(sampleRate: 48_000, channels: 8) == Self.oneMillisecond)
        #expect(ST2110Level.c.packetTime(sampleRate: 48_000, channels: 64) == Self.shortest)
        #expect(ST2110Level.c.packetTime(sampleRate: 48_000, channels: 65) == nil)
        #expect(ST2110Level.ax.packetTime(sampleRate: 96_000, channels: 4) == Self.oneMillisecond)
        #expect(ST2110Level.ax.packetTime(sampleRate: 96_000, channels: 5) == nil)
        #expect(ST2110Level.bx.packetTime(sampleRate: 96_000, channels: 8) == Self.shortest)
        #expect(ST2110Level.cx.packetTime(sampleRate: 96_000, channels: 32) == Self.shortest)
        #expect(ST2110Level.cx.packetTime(sampleRate: 96_000, channels: 33) == nil)
        #expect(ST2110Level.c.packetTime(sampleRate: 96_000, channels: 1) == nil)
    }
}
