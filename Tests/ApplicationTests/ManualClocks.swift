import Application
import Foundation
import Glibc

/// Clocks that stand still while anything runs: time moves on to the earliest deadline any thread sleeps towards
/// once every thread that has slept on them sleeps again and nothing has read them for a moment (a thread that
/// ended, or waits on something else, holds time for at most `stuckNanoseconds` of real time). A run of seconds of
/// media takes a fraction of a second, and its timing is the program's own, not the machine's: a thread descheduled
/// in the middle of its work holds time still. A stall can be injected: the first wake-up at or after an instant
/// comes late by a given amount, as a descheduled process's would.
final class ManualClocks: Clocks, @unchecked Sendable {
    // @unchecked: every field is behind `condition`.
    private let condition = NSCondition()
    private var time: Int64
    private let wallOffset: Int64
    /// The deadline of each thread asleep, by thread; every thread that has ever slept.
    private var deadlines: [pthread_t: Int64] = [:]
    private var participants: Set<pthread_t> = []
    private var lastActivity = DispatchTime.now().uptimeNanoseconds
    private var stall: (at: Int64, nanoseconds: Int64)?
    private var stopped = false
    /// How long nothing may touch the clocks before time moves on, once every participant sleeps.
    private let quietNanoseconds: UInt64 = 1_000_000
    /// How long time waits for a participant that neither sleeps nor reads the clocks.
    private let stuckNanoseconds: UInt64 = 30_000_000

    /// - Parameters:
    ///   - monotonic: the monotonic clock's reading at the start.
    ///   - wall: the wall clock's, Unix nanoseconds.
    init(monotonic: Int64 = 1_000_000_000_000, wall: Int64) {
        time = monotonic
        wallOffset = wall - monotonic
        let driver = Thread { [self] in drive() }
        driver.start()
    }

    /// Stops moving time on; sleepers left wake at once.
    func finish() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// The first wake-up towards `at` (monotonic) or later comes `nanoseconds` late.
    func injectStall(at: Int64, nanoseconds: Int64) {
        condition.lock()
        stall = (at, nanoseconds)
        condition.unlock()
    }

    func monotonicNow() -> Int64 {
        condition.lock()
        defer { condition.unlock() }
        touch()
        return time
    }

    func wallNow() -> Int64 { monotonicNow() + wallOffset }

    func sleep(untilMonotonic deadline: Int64) {
        condition.lock()
        defer { condition.unlock() }
        touch()
        let sleeper = pthread_self()
        participants.insert(sleeper)
        guard deadline > time, !stopped else { return }
        deadlines[sleeper] = deadline
        while time < deadline && !stopped { condition.wait() }
        deadlines[sleeper] = nil
        touch()
    }

    private func touch() { lastActivity = DispatchTime.now().uptimeNanoseconds }

    /// Moves time on whenever everything has been quiet for a moment and someone sleeps.
    private func drive() {
        while true {
            usleep(200)
            condition.lock()
            if stopped {
                condition.unlock()
                return
            }
            let idle = DispatchTime.now().uptimeNanoseconds - lastActivity
            let allAsleep = deadlines.count == participants.count
            if (allAsleep && idle >= quietNanoseconds) || idle >= stuckNanoseconds, let next = deadlines.values.min() {
                time = max(time, next)
                if let pending = stall, time >= pending.at {
                    time += pending.nanoseconds
                    stall = nil
                }
                touch()
                condition.broadcast()
            }
            condition.unlock()
        }
    }
}
