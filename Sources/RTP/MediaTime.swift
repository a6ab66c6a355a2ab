import Numbers

/// Conversions between frame counts (media time in samples) and time in integer nanoseconds: the one place where
/// sender, recorder and benchmark turn one into the other.
public enum MediaTime {
    /// Nanoseconds of `frames` frames at `sampleRate`, rounded down (towards minus infinity for negative counts),
    /// without overflow for any run length.
    @inline(__always)
    public static func nanoseconds(frames: Int, sampleRate: Int) -> Int64 {
        var seconds = frames / sampleRate
        var rest = frames % sampleRate
        if rest < 0 {
            seconds -= 1
            rest += sampleRate
        }
        return Int64(seconds) * 1_000_000_000 + Int64(rest) * 1_000_000_000 / Int64(sampleRate)
    }

    /// Whole frames in `nanoseconds` at `sampleRate`, rounded down (towards minus infinity for negative times),
    /// without overflow.
    @inline(__always)
    public static func frames(nanoseconds: Int64, sampleRate: Int) -> Int {
        var seconds = Int(nanoseconds / 1_000_000_000)
        var rest = Int(nanoseconds % 1_000_000_000)
        if rest < 0 {
            seconds -= 1
            rest += 1_000_000_000
        }
        return seconds * sampleRate + rest * sampleRate / 1_000_000_000
    }

    /// The RTP timestamp of media position `frame` in a stream whose first frame carries `initial`: sample counts
    /// modulo 2^32 (RFC 3550 section 5.1).
    @inline(__always)
    public static func rtpTimestamp(initial: UInt32, frame: Int) -> UInt32 {
        initial &+ UInt32(truncatingIfNeeded: frame)
    }

    /// Seconds of `frames` frames at `sampleRate`, for display.
    public static func seconds(frames: Int, sampleRate: Int) -> Double {
        Double(frames) / Double(sampleRate)
    }

    /// Microseconds of `frames` frames at `sampleRate`, rounded to nearest.
    public static func microseconds(frames: Int, sampleRate: Int) -> Int {
        (frames * 1_000_000 + sampleRate / 2) / sampleRate
    }

    /// Milliseconds of `frames` frames at `sampleRate`, to the microsecond, without trailing zeros (`5`, `0.125`,
    /// `0.333`): how `a=ptime` and messages state a packet time.
    public static func millisecondsText(frames: Int, sampleRate: Int) -> String {
        DecimalText.render(
            scaled: microseconds(frames: frames, sampleRate: sampleRate), fractionDigits: 3, trimmingZeros: true)
    }
}

/// The media clock tied to the wall clock (RFC 7273 "direct" media clock): the RTP timestamp of a sample is
/// its UTC time since the Unix epoch times the sample rate, modulo 2^32, so the same instant has the same RTP
/// timestamp on every track and every PC whose clocks NTP or PTP keeps in step.
public enum MediaClock {
    /// floor(unixNanoseconds x sampleRate / 10^9) modulo 2^32, without overflow.
    public static func rtpTimestamp(unixNanoseconds: Int64, sampleRate: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: MediaTime.frames(nanoseconds: unixNanoseconds, sampleRate: sampleRate))
    }

    /// The first instant after `unixNanoseconds` that is a whole multiple of `step` nanoseconds: tracks started
    /// there begin on a packet boundary of the wall clock.
    public static func nextBoundary(after unixNanoseconds: Int64, step: Int64) -> Int64 {
        (unixNanoseconds / step + 1) * step
    }
}
