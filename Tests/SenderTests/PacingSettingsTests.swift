import Application
import Testing

/// What the pacing threads do when the command line does not say: how many there are, and how long each spins.
@Suite struct PacingSettingsTests {
    @Test(
        "one pacing thread per 64 tracks, at most one per CPU; an asked count is kept, never more than the tracks",
        arguments: [
            (nil, 1, 2, 1), (nil, 64, 2, 1), (nil, 65, 2, 2), (nil, 128, 2, 2), (nil, 512, 2, 2), (nil, 512, 16, 8),
            (1, 128, 2, 1), (4, 128, 2, 4), (4, 3, 2, 3),
        ] as [(Int?, Int, Int, Int)])
    func threads(asked: Int?, tracks: Int, processors: Int, expected: Int) {
        var settings = PacingSettings()
        settings.threads = asked
        #expect(settings.threadCount(tracks: tracks, processors: processors) == expected)
    }

    @Test(
        "the spin is a tenth of the shortest packet time, at most 60 us, unless one is asked for (0 included)",
        arguments: [
            (nil, 1_000_000, 60_000), (nil, 4_000_000, 60_000), (nil, 333_333, 33_333), (nil, 125_000, 12_500),
            (0, 1_000_000, 0), (100_000, 125_000, 100_000),
        ] as [(Int64?, Int64, Int64)])
    func spin(asked: Int64?, packet: Int64, expected: Int64) {
        var settings = PacingSettings()
        settings.spinNanoseconds = asked
        #expect(settings.spin(shortestPacketNanoseconds: packet) == expected)
    }
}
