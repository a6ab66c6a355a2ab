import Interfaces
import Synchronization

/// Sends the packets of every track on one absolute timeline: packet n of a track leaves at
/// start + (first frame of n) / rate, computed from the start in integer nanoseconds and slept to with an
/// absolute-deadline clock, so errors never accumulate. Behind schedule (the thread was descheduled, or the
/// process stopped) it sends the backlog without sleeping, oldest deadlines first and one packet per track per
/// pass, and keeps the original timeline; a packet more than `maximumLateness` behind is skipped instead, as a
/// receiver's jitter buffer would drop it anyway. Each stall is counted in `stalls` once it is over.
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
    /// How late a packet may leave; later ones are skipped.
    let maximumLateness: Int64
    /// Behind by more than this, the scheduler counts a stall: a few packet times of the shortest track, and at
    /// least 20 ms (a loaded virtual machine misses single milliseconds often, and a stall of those is not news).
    let stallThreshold: Int64
    public let stalls: StallCounters

    public static var defaultMaximumLateness: Int64 { 200_000_000 }

    public init(
        tracks: [Track], clock: Clock, spinNanoseconds: Int64 = 0,
        maximumLateness: Int64 = defaultMaximumLateness, stalls: StallCounters = StallCounters()
    ) {
        self.tracks = tracks
        self.clock = clock
        self.spinNanoseconds = spinNanoseconds
        self.maximumLateness = maximumLateness
        self.stalls = stalls
        stallThreshold = max(20_000_000, 5 * (tracks.map(\.packetNanoseconds).min() ?? 0))
    }

    /// Runs until every track has finished or `stop` is set. `start` is the deadline of every track's first packet.
    public func run(start: Int64, stop: StopSignal) {
        var stall: (worst: Int64, sent: Int, skipped: Int)?
        while !stop.isStopped {
            // Build what is due next (after a burst, well before the next deadline).
            var earliest = Int64.max
            for track in tracks {
                track.prepareNext()
                if track.hasPreparedPacket { earliest = min(earliest, start + track.sentMediaNanoseconds) }
            }
            guard earliest != Int64.max else { break }
            var now = clock.now()
            if earliest > now {
                now = wait(until: earliest, now: now)
                if now < earliest { continue }  // woke early to look at the stop signal
            }
            // A stall begins when the oldest due packet is far behind, and ends at the first pass that is not.
            let behind = now - earliest
            if behind > stallThreshold {
                stall = (max(stall?.worst ?? 0, behind), stall?.sent ?? 0, stall?.skipped ?? 0)
            } else if let ended = stall {
                stalls.record(worstNanoseconds: ended.worst, sent: ended.sent, skipped: ended.skipped)
                stall = nil
            }
            // Every due packet, one per track; a track further behind sends its next one on the next pass.
            for track in tracks where track.hasPreparedPacket {
                let deadline = start + track.sentMediaNanoseconds
                guard deadline <= now else { continue }
                let lateness = clock.now() - deadline
                if lateness > maximumLateness {
                    track.skipPrepared()
                    stall?.skipped += 1
                } else if track.sendPrepared(lateness: lateness) && stall != nil {
                    stall?.sent += 1
                }
            }
        }
        if let ended = stall { stalls.record(worstNanoseconds: ended.worst, sent: ended.sent, skipped: ended.skipped) }
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

/// The stalls of a pacing thread, each counted once it is over: how far behind it fell at worst, and how its
/// backlog went (sent late at once, or skipped). Written by the pacing thread, read by anyone.
public final class StallCounters: Sendable {
    /// Stalls so far; the `last` fields describe the newest and are written before this is raised.
    public let count = Atomic<Int>(0)
    public let lastWorstNanoseconds = Atomic<Int64>(0)
    public let lastSent = Atomic<Int>(0)
    public let lastSkipped = Atomic<Int>(0)

    public init() {}

    func record(worstNanoseconds: Int64, sent: Int, skipped: Int) {
        lastWorstNanoseconds.store(worstNanoseconds, ordering: .relaxed)
        lastSent.store(sent, ordering: .relaxed)
        lastSkipped.store(skipped, ordering: .relaxed)
        count.add(1, ordering: .releasing)
    }

    /// The newest stall, if there has been one.
    public var last: Stall? {
        let count = count.load(ordering: .acquiring)
        guard count > 0 else { return nil }
        return Stall(
            count: count, worstNanoseconds: lastWorstNanoseconds.load(ordering: .relaxed),
            sent: lastSent.load(ordering: .relaxed), skipped: lastSkipped.load(ordering: .relaxed))
    }
}

/// A pacing thread's newest stall: the number of stalls so far, how far behind it fell at worst, and how its
/// backlog went.
public struct Stall: Sendable, Hashable {
    public var count: Int
    public var worstNanoseconds: Int64
    public var sent: Int
    public var skipped: Int

    public init(count: Int, worstNanoseconds: Int64, sent: Int, skipped: Int) {
        self.count = count
        self.worstNanoseconds = worstNanoseconds
        self.sent = sent
        self.skipped = skipped
    }
}
