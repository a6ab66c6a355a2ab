/// An instant as a whole number of frames since the Unix epoch (UTC) at a rate: how a stream's samples stand on the
/// take's timeline, exact where nanoseconds would round.
public struct EpochFrames: Sendable, Hashable, Comparable {
    public var frames: Int64
    public var rate: Int

    public init(frames: Int64, rate: Int) {
        self.frames = frames
        self.rate = rate
    }

    /// The frame at or before `unixNanoseconds`.
    public init(unixNanoseconds: Int64, rate: Int) {
        var seconds = unixNanoseconds / 1_000_000_000
        var rest = unixNanoseconds % 1_000_000_000
        if rest < 0 {
            seconds -= 1
            rest += 1_000_000_000
        }
        self.init(frames: seconds * Int64(rate) + rest * Int64(rate) / 1_000_000_000, rate: rate)
    }

    /// The same instant in frames of `rate`, rounded down.
    public func frames(atRate other: Int) -> Int64 {
        guard other != rate else { return frames }
        let seconds = frames.floorDivided(by: Int64(rate))
        let rest = frames - seconds * Int64(rate)
        return seconds * Int64(other) + rest * Int64(other) / Int64(rate)
    }

    /// Unix nanoseconds, rounded down.
    public var unixNanoseconds: Int64 {
        let seconds = frames.floorDivided(by: Int64(rate))
        let rest = frames - seconds * Int64(rate)
        return seconds * 1_000_000_000 + rest * 1_000_000_000 / Int64(rate)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        let left = lhs.frames.multipliedFullWidth(by: Int64(rhs.rate))
        let right = rhs.frames.multipliedFullWidth(by: Int64(lhs.rate))
        return (left.high, left.low) < (right.high, right.low)
    }
}

extension Int64 {
    /// Division rounding towards minus infinity.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

/// The take's time zero: given, or the earliest first sample of any track. It is decided once the first track has
/// been placeable for the latency window (so tracks that started together all count), and never moves after.
public struct TakeTimeline: Sendable, Hashable {
    public private(set) var start: EpochFrames?
    let latencyNanoseconds: Int64
    private var earliest: EpochFrames?
    private var firstProposalAt: Int64?

    /// - Parameter start: the take's time zero, when it is asked for.
    public init(start: EpochFrames?, latencyNanoseconds: Int64) {
        self.start = start
        self.latencyNanoseconds = latencyNanoseconds
    }

    /// A track's first sample is at `first`; `now` is the recorder's wall clock.
    public mutating func propose(_ first: EpochFrames, now: Int64) {
        guard start == nil else { return }
        earliest = min(earliest ?? first, first)
        if firstProposalAt == nil { firstProposalAt = now }
    }

    /// Fixes time zero when the first proposal is a latency window old.
    public mutating func decide(now: Int64) {
        guard start == nil, let firstProposalAt, now - firstProposalAt >= latencyNanoseconds else { return }
        start = earliest
    }

    /// Fixes time zero now, with what has been proposed (at the end of a take shorter than the window).
    public mutating func decideNow() {
        if start == nil { start = earliest }
    }
}
