import Interfaces
import Synchronization

/// Sends the packets of every track on one absolute timeline: packet n of a track leaves at
/// start + (first frame of n) / rate, computed from the start in integer nanoseconds and slept to with an
/// absolute-deadline clock, so errors never accumulate. Behind schedule (the thread was descheduled) it sends
/// the backlog without sleeping, oldest deadlines first and one packet per track per pass, and keeps the original
/// timeline.
///
/// One scheduler drives any number of tracks from one thread. Every track's next packet is built before its
/// deadline, so the packets whose deadlines coincide leave in one wake-up, one system call after another.
public final class Scheduler<Clock: PacingClock> {
    /// The longest single sleep, so a stop request is seen promptly even before a far start time.
    public static var stopCheckInterval: Int64 { 20_000_000 }

    public let tracks: [Track]
    let clock: Clock
    /// Wake this long before a deadline and spin the rest (0: sleep all the way).
    let spinNanoseconds: Int64

    public init(tracks: [Track], clock: Clock, spinNanoseconds: Int64 = 0) {
        self.tracks = tracks
        self.clock = clock
        self.spinNanoseconds = spinNanoseconds
    }

    /// Runs until every track has finished or `stop` is set. `start` is the deadline of every track's first packet.
    public func run(start: Int64, stop: StopSignal) {
        while !stop.isStopped {
            // Build what is due next (after a burst, well before the next deadline).
            var earliest = Int64.max
            for track in tracks {
                track.prepareNext()
                if track.hasPreparedPacket { earliest = min(earliest, start + track.sentMediaNanoseconds) }
            }
            guard earliest != Int64.max else { return }
            var now = clock.now()
            if earliest > now {
                now = wait(until: earliest, now: now)
                if now < earliest { continue }  // woke early to look at the stop signal
            }
            // Every due packet, one per track; a track further behind sends its next one on the next pass.
            for track in tracks where track.hasPreparedPacket {
                let deadline = start + track.sentMediaNanoseconds
                if deadline <= now { track.sendPrepared(lateness: clock.now() - deadline) }
            }
        }
    }

    /// Sleeps (and spins the last `spinNanoseconds`) towards `deadline`, at most `stopCheckInterval` at once;
    /// returns the time on waking.
    private func wait(until deadline: Int64, now: Int64) -> Int64 {
        let wake = deadline - spinNanoseconds
        if wake > now {
            clock.sleep(until: min(wake, now + Self.stopCheckInterval))
        }
        var time = clock.now()
        if spinNanoseconds > 0 && time >= wake {
            while time < deadline { time = clock.now() }
        }
        return time
    }
}
