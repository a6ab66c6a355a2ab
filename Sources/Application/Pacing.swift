import Interfaces
import Platform
import Sender

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
    /// Ask for SCHED_FIFO; without the privilege it says so and goes on.
    public var realtime = false
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

/// Runs tracks on dedicated pacing threads (one, or more for many tracks: each its own consecutive share of the
/// tracks, all on one start) and their RTCP on another, while the calling thread reports status.
public final class StreamRunner {
    public let tracks: [Track]
    public let settings: PacingSettings
    public let stop: StopSignal
    /// The clocks the tracks are paced on.
    public let clocks: any Clocks
    /// Sends RTCP for the tracks on its own thread; nil sends none.
    public let reporter: RTCPReporter?
    /// Both clocks read at the moment the first packet is due (set by `run`).
    public private(set) var start = ClockPair(monotonic: 0, wall: 0)
    /// CPU time the pacing threads used, known once `run` returns.
    public var pacingCPUNanoseconds: Int64 { jobs.map(\.cpuNanoseconds).reduce(0, +) }
    /// The stalls of each pacing thread.
    public var stalls: [StallCounters] { jobs.map(\.scheduler.stalls) }
    /// How many pacing threads run the tracks.
    public var threadCount: Int { jobs.count }
    private var jobs: [PacingJob] = []

    public init(
        tracks: [Track], settings: PacingSettings, clocks: any Clocks, stop: StopSignal = StopSignal(),
        reporter: RTCPReporter? = nil
    ) {
        self.clocks = clocks
        self.reporter = reporter
        self.tracks = tracks
        self.settings = settings
        self.stop = stop
    }

    /// Streams until every track ends or `stop` is set; the first frames are due at `startAt` (default: shortly
    /// from now). Every `statusInterval` nanoseconds (and once at the end) `status` is called on this thread with the
    /// seconds elapsed since the start.
    public func run(
        startAt: ClockPair? = nil, statusInterval: Int64 = 500_000_000,
        note: @escaping @Sendable (SendEvent) -> Void, status: (_ elapsedSeconds: Double, _ final: Bool) -> Void
    ) throws(SendFailure) {
        let clocks = self.clocks
        if let at = startAt {
            start = at
        } else {
            let now = clocks.pairNow()
            start = now.atWall(now.wall + settings.startDelayNanoseconds)
        }
        let finished = StopSignal()
        let settings = self.settings
        let start = self.start
        let stop = self.stop
        let count = settings.threadCount(tracks: tracks.count, processors: ProcessorCount.online)
        let share = max(1, (tracks.count + count - 1) / count)
        jobs = stride(from: 0, to: tracks.count, by: share).map { first in
            let own = Array(tracks[first..<min(first + share, tracks.count)])
            let shortest = own.map(\.packetNanoseconds).min() ?? 0
            let scheduler = Scheduler(
                tracks: own, clock: MonotonicTimeline(clocks),
                spinNanoseconds: settings.spin(shortestPacketNanoseconds: shortest),
                maximumLateness: settings.maximumLatenessNanoseconds)
            return PacingJob(scheduler: scheduler, start: start.monotonic, stop: stop, finished: StopSignal())
        }
        var threads: [OSThread] = []
        do throws(SystemError) {
            for (index, job) in jobs.enumerated() {
                threads.append(
                    try OSThread {
                        do throws(SystemError) {
                            try ThreadTuning.setTimerSlack(nanoseconds: 1)
                        } catch {
                            if index == 0 { note(.timerSlackUnavailable(error)) }
                        }
                        if settings.realtime {
                            do throws(SystemError) {
                                try ThreadTuning.requestRealtimePriority()
                            } catch {
                                if index == 0 { note(.realtimeUnavailable(error)) }
                            }
                        }
                        job.run()
                    })
            }
        } catch {
            stop.stop()
            threads.forEach { $0.join() }
            throw .thread(error)
        }
        let jobs = self.jobs
        let reporting: OSThread?
        do throws(SystemError) {
            if let reporter {
                reporting = try OSThread {
                    reporter.run(start: start, clocks: clocks, pacingFinished: finished, stop: stop)
                }
            } else {
                reporting = nil
            }
        } catch {
            stop.stop()
            threads.forEach { $0.join() }
            throw .thread(error)
        }
        var nextStatus = start.monotonic + statusInterval
        while !finished.isStopped {
            let wake = min(nextStatus, clocks.monotonicNow() + 50_000_000)
            clocks.sleep(untilMonotonic: wake)
            // Every pacing thread done: RTCP's last reports may go, and the status loop ends.
            if jobs.allSatisfy({ $0.finished.isStopped }) {
                finished.stop()
                break
            }
            let time = clocks.monotonicNow()
            if time >= nextStatus {
                status(Double(time - start.monotonic) / 1e9, false)
                nextStatus += statusInterval
            }
        }
        threads.forEach { $0.join() }
        reporting?.join()
        status(Double(clocks.monotonicNow() - start.monotonic) / 1e9, true)
    }
}

/// What the pacing thread runs; @unchecked because the scheduler and its tracks belong to that thread
/// alone from the moment it starts until it is joined.
private final class PacingJob: @unchecked Sendable {
    let scheduler: Scheduler<MonotonicTimeline>
    let start: Int64
    let stop: StopSignal
    let finished: StopSignal
    /// Written by the pacing thread before it signals `finished`, read after the join.
    var cpuNanoseconds: Int64 = 0

    init(scheduler: Scheduler<MonotonicTimeline>, start: Int64, stop: StopSignal, finished: StopSignal) {
        self.scheduler = scheduler
        self.start = start
        self.stop = stop
        self.finished = finished
    }

    func run() {
        scheduler.run(start: start, stop: stop)
        cpuNanoseconds = currentThreadCPUNanoseconds()
        finished.stop()
    }
}
