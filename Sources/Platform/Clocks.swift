import Glibc

/// CLOCK_MONOTONIC in nanoseconds: steady, never stepped, slewed in rate by NTP/PTP discipline.
public struct MonotonicClock: Sendable {
    public init() {}

    /// Now, from clock_gettime(CLOCK_MONOTONIC).
    @inline(__always)
    public func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// Sleeps until `deadline` with clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME), resuming after signals.
    @inline(__always)
    public func sleep(until deadline: Int64) {
        var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
    }
}

/// CLOCK_REALTIME in nanoseconds since the Unix epoch: the wall clock NTP or PTP keeps right.
public struct WallClock: Sendable {
    public init() {}

    /// Now, from clock_gettime(CLOCK_REALTIME).
    public func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}

/// One reading of both clocks taken as close together as possible, to map one onto the other.
public struct ClockPair: Sendable, Hashable {
    public var monotonic: Int64
    public var wall: Int64

    /// Reads wall, monotonic, wall and keeps the monotonic reading with the midpoint of the wall readings.
    public static func now() -> ClockPair {
        let before = WallClock().now()
        let monotonic = MonotonicClock().now()
        let after = WallClock().now()
        return ClockPair(monotonic: monotonic, wall: before + (after - before) / 2)
    }

    public init(monotonic: Int64, wall: Int64) {
        self.monotonic = monotonic
        self.wall = wall
    }
}
