import Interfaces
import Platform
import Sender

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
                        if settings.realtime != .off {
                            do throws(SystemError) {
                                try ThreadTuning.requestRealtimePriority()
                            } catch {
                                // Asked for, a refusal is a warning; by default, a note for --verbose.
                                if index == 0 {
                                    note(.realtimeUnavailable(error, asked: settings.realtime == .required))
                                }
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
