import RTP
import Testing

/// The wall-clock media clock, checked against values worked out independently (integer arithmetic).
struct MediaClockTests {
    @Test("the RTP timestamp of an instant is floor(UTC seconds x rate) modulo 2^32")
    func rtpTimestampFromTheWallClock() {
        let noon = Int64(1_795_953_600_500_000_000)
        #expect(MediaClock.rtpTimestamp(unixNanoseconds: noon, sampleRate: 48_000) == 1_484_225_984)
        #expect(MediaClock.rtpTimestamp(unixNanoseconds: noon, sampleRate: 44_100) == 2_356_843_810)
        // One frame later at 48 kHz is 20833.3 ns: the timestamp steps by one only once a whole frame has passed.
        #expect(MediaClock.rtpTimestamp(unixNanoseconds: noon + 20_833, sampleRate: 48_000) == 1_484_225_984)
        #expect(MediaClock.rtpTimestamp(unixNanoseconds: noon + 20_834, sampleRate: 48_000) == 1_484_225_985)
        #expect(MediaClock.rtpTimestamp(unixNanoseconds: 0, sampleRate: 96_000) == 0)
    }

    @Test("starts fall on the next whole step of the wall clock")
    func nextBoundary() {
        #expect(MediaClock.nextBoundary(after: 1_000_000_001, step: 10_000_000) == 1_010_000_000)
        #expect(MediaClock.nextBoundary(after: 1_010_000_000, step: 10_000_000) == 1_020_000_000)
    }
}
