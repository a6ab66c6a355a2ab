/// A monotonic clock in nanoseconds that the pacing loops read and sleep on: CLOCK_MONOTONIC in use, a
/// hand-driven clock in tests.
public protocol PacingClock {
    /// Now, in nanoseconds on this clock's timeline.
    func now() -> Int64
    /// Sleeps until `deadline` on this clock's timeline (returns at once when it has passed).
    func sleep(until deadline: Int64)
}

/// Both clocks an engine needs: the monotonic one it paces on and the wall clock (Unix nanoseconds, disciplined by
/// NTP or PTP) that RTCP and SDP speak of. Passed in, never made by the engine, so tests can drive it.
public protocol Clocks: Sendable {
    /// Monotonic nanoseconds.
    func monotonicNow() -> Int64
    /// Wall-clock nanoseconds since the Unix epoch.
    func wallNow() -> Int64
    /// Sleeps until `deadline` on the monotonic clock.
    func sleep(untilMonotonic deadline: Int64)
}

extension Clocks {
    /// One reading of both clocks taken as close together as possible: wall, monotonic, wall, with the monotonic
    /// reading kept against the midpoint of the two wall readings.
    public func pairNow() -> ClockPair {
        let before = wallNow()
        let monotonic = monotonicNow()
        let after = wallNow()
        return ClockPair(monotonic: monotonic, wall: before + (after - before) / 2)
    }

    /// The monotonic side of these clocks as a `PacingClock`.
    public var pacing: MonotonicPacing<Self> { MonotonicPacing(clocks: self) }
}

/// The monotonic clock of some `Clocks`, seen as a `PacingClock`.
public struct MonotonicPacing<Base: Clocks>: PacingClock, Sendable {
    public let clocks: Base

    public init(clocks: Base) {
        self.clocks = clocks
    }

    @inline(__always)
    public func now() -> Int64 { clocks.monotonicNow() }

    @inline(__always)
    public func sleep(until deadline: Int64) { clocks.sleep(untilMonotonic: deadline) }
}

/// One instant on both clocks, to map one onto the other.
public struct ClockPair: Sendable, Hashable {
    public var monotonic: Int64
    public var wall: Int64

    public init(monotonic: Int64, wall: Int64) {
        self.monotonic = monotonic
        self.wall = wall
    }

    /// The instant `wall` on both clocks, by the offset between them that this pair shows.
    public func atWall(_ wall: Int64) -> ClockPair {
        ClockPair(monotonic: monotonic + (wall - self.wall), wall: wall)
    }
}

/// What the kernel says of the wall clock's synchronisation (adjtimex(2) on Linux).
public struct ClockSyncStatus: Sendable, Hashable {
    public var isSynchronized: Bool
    public var estimatedErrorMicroseconds: Int
    public var maximumErrorMicroseconds: Int

    public init(isSynchronized: Bool, estimatedErrorMicroseconds: Int, maximumErrorMicroseconds: Int) {
        self.isSynchronized = isSynchronized
        self.estimatedErrorMicroseconds = estimatedErrorMicroseconds
        self.maximumErrorMicroseconds = maximumErrorMicroseconds
    }
}

/// Where the clock's synchronisation status comes from: the kernel in use, a script in tests.
public protocol ClockSyncReader: Sendable {
    /// The status now, or nil when it cannot be read (no news).
    func read() -> ClockSyncStatus?
}

/// The monotonic timeline of a `Clocks` as a `PacingClock`, for engines that only wait: the system's clocks in a
/// run, a manual clock in a test.
public struct MonotonicTimeline: PacingClock, Sendable {
    public let clocks: any Clocks

    public init(_ clocks: any Clocks) {
        self.clocks = clocks
    }

    public func now() -> Int64 { clocks.monotonicNow() }
    public func sleep(until deadline: Int64) { clocks.sleep(untilMonotonic: deadline) }
}
