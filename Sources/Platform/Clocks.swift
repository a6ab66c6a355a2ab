import CPlatformShims
import Glibc
import Interfaces

/// CLOCK_MONOTONIC in nanoseconds: steady, never stepped, slewed in rate by NTP/PTP discipline.
public struct MonotonicClock: PacingClock, Sendable {
    public init() {}

    /// Now, from clock_gettime(CLOCK_MONOTONIC).
    @inline(__always)
    public func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time.nanoseconds
    }

    /// Sleeps until `deadline` with clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME), resuming after signals.
    ///
    /// Another error (EINVAL: a deadline out of range) returns at once, without sleeping.
    @inline(__always)
    public func sleep(until deadline: Int64) {
        var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        _ = errorNumberRetryingInterrupts { clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) }
    }
}

/// CLOCK_REALTIME in nanoseconds since the Unix epoch: the wall clock NTP or PTP keeps right.
public struct WallClock: Sendable {
    public init() {}

    /// Now, from clock_gettime(CLOCK_REALTIME).
    public func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return time.nanoseconds
    }
}

/// The system's clocks: CLOCK_MONOTONIC to pace on, CLOCK_REALTIME for the wall clock.
public struct SystemClocks: Clocks {
    public init() {}

    @inline(__always)
    public func monotonicNow() -> Int64 { MonotonicClock().now() }
    public func wallNow() -> Int64 { WallClock().now() }
    public func sleep(untilMonotonic deadline: Int64) { MonotonicClock().sleep(until: deadline) }
}

/// The kernel's view of clock synchronisation, from adjtimex(2).
public struct KernelClockSync: ClockSyncReader {
    public init() {}

    /// Reads adjtimex(2): synchronised when the state is not TIME_ERROR and STA_UNSYNC is clear.
    public func read() -> ClockSyncStatus? {
        var estimated = 0
        var maximum = 0
        let synchronized = shim_ntp_state(&estimated, &maximum)
        return ClockSyncStatus(
            isSynchronized: synchronized == 1, estimatedErrorMicroseconds: estimated, maximumErrorMicroseconds: maximum)
    }
}

/// CPU time the calling thread has used, from clock_gettime(CLOCK_THREAD_CPUTIME_ID), in nanoseconds.
public func currentThreadCPUNanoseconds() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return time.nanoseconds
}

extension timespec {
    /// The time in nanoseconds.
    var nanoseconds: Int64 { Int64(tv_sec) * 1_000_000_000 + Int64(tv_nsec) }
}
