/// An instant as a whole number of frames since the Unix epoch (UTC) at a rate: how a stream's samples stand on a
/// timeline, exact where nanoseconds would round. Its conversions are `MediaTime`'s.
public struct EpochFrames: Sendable, Hashable, Comparable {
    public var frames: Int64
    public var rate: Int

    public init(frames: Int64, rate: Int) {
        self.frames = frames
        self.rate = rate
    }

    /// The frame at or before `unixNanoseconds`.
    public init(unixNanoseconds: Int64, rate: Int) {
        self.init(frames: Int64(MediaTime.frames(nanoseconds: unixNanoseconds, sampleRate: rate)), rate: rate)
    }

    /// The same instant in frames of `rate`, rounded down.
    public func frames(atRate other: Int) -> Int64 {
        guard other != rate else { return frames }
        var seconds = frames / Int64(rate)
        var rest = frames % Int64(rate)
        if rest < 0 {
            seconds -= 1
            rest += Int64(rate)
        }
        return seconds * Int64(other) + rest * Int64(other) / Int64(rate)
    }

    /// Unix nanoseconds, rounded down.
    public var unixNanoseconds: Int64 { MediaTime.nanoseconds(frames: Int(frames), sampleRate: rate) }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        let left = lhs.frames.multipliedFullWidth(by: Int64(rhs.rate))
        let right = rhs.frames.multipliedFullWidth(by: Int64(lhs.rate))
        return (left.high, left.low) < (right.high, right.low)
    }
}
