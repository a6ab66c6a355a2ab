import Interfaces

/// How the pacing thread waits.
public struct PacingSettings: Sendable, Hashable {
    /// Wake this long before each deadline and spin the rest: sub-microsecond accuracy for CPU time. nil chooses
    /// `spin(shortestPacketNanoseconds:)`.
    public var spinNanoseconds: Int64?
    /// The spin chosen when none is asked for: a tenth of the shortest packet time, at most this. A timer wake-up
    /// on the VM it was measured on is typically 30 to 60 us late, so 60 us catches most of them (at 1 ms, p50 of
    /// the send error 2.4 to 6.4 us against 14.8 to 52.2 us sleeping, for 0.8 to 2.6 % of a core more; README,
    /// Benchmark), and never more than 6 % of a core per pacing thread at 1 ms.
    public static let defaultMostSpinNanoseconds: Int64 = 60_000
    /// Whether the pacing threads ask for SCHED_FIFO.
    public var realtime = RealtimePolicy.wherePermitted

    /// When pacing threads run at realtime priority (SCHED_FIFO).
    public enum RealtimePolicy: Sendable, Hashable {
        /// Where the process may (CAP_SYS_NICE, or an rtprio limit), silently not otherwise: the default. Measured
        /// beside GStreamer in the same runs, one track at 1 ms: p99.9 of the send error 45 and 108 us with it,
        /// 693 and 274 us without, for about 1 % of a core more (Benchmark).
        case wherePermitted
        /// Asked for (`--realtime`): a refusal is said.
        case required
        /// Not wanted (`--no-realtime`): where several senders share few cores.
        case off
    }
    /// Without a start instant, the first packet leaves this long after `run` is called.
    public var startDelayNanoseconds: Int64 = 20_000_000
    /// After a stall, packets later than this are skipped rather than sent in a burst.
    public var maximumLatenessNanoseconds = Scheduler<MonotonicTimeline>.defaultMaximumLateness
    /// Pacing threads; nil chooses: one for up to `tracksPerThread` tracks, more (up to the CPUs) beyond.
    public var threads: Int?
    public static let tracksPerThread = 64

    public init() {}

    /// How long a pacing thread whose shortest packet time is `shortestPacketNanoseconds` spins before each deadline.
    public func spin(shortestPacketNanoseconds: Int64) -> Int64 {
        spinNanoseconds ?? min(Self.defaultMostSpinNanoseconds, shortestPacketNanoseconds / 10)
    }

    /// The pacing threads for `trackCount` tracks on `processors` CPUs.
    public func threadCount(tracks trackCount: Int, processors: Int) -> Int {
        let wanted = threads ?? (trackCount + Self.tracksPerThread - 1) / Self.tracksPerThread
        return max(1, min(wanted, trackCount, max(1, threads == nil ? processors : wanted)))
    }
}
