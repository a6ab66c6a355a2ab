import RTP

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
