import Interfaces
import Platform
import Sender

/// How the pacing thread waits.
public struct PacingSettings: Sendable, Hashable {
    /// Wake this long before each deadline and spin the rest: sub-microsecond accuracy for CPU time.
    public var spinNanoseconds: Int64 = 0
    /// Ask for SCHED_FIFO; without the privilege it says so and goes on.
    public var realtime = false
    /// Without a start instant, the first packet leaves this long after `run` is called.
    public var startDelayNanoseconds: Int64 = 20_000_000

    public init() {}
}

/// Runs tracks on a dedicated pacing thread and their RTCP on another, while the calling thread reports status.
public final class StreamRunner {
    public let tracks: [Track]
    public let settings: PacingSettings
    public let stop: StopSignal
    /// Sends RTCP for the tracks on its own thread; nil sends none.
    public let reporter: RTCPReporter?
    /// Both clocks read at the moment the first packet is due (set by `run`).
    public private(set) var start = ClockPair(monotonic: 0, wall: 0)
    /// CPU time the pacing thread used, known once `run` returns.
    public var pacingCPUNanoseconds: Int64 { job?.cpuNanoseconds ?? 0 }
    private var job: PacingJob?

    public init(
        tracks: [Track], settings: PacingSettings, stop: StopSignal = StopSignal(), reporter: RTCPReporter? = nil
    ) {
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
        let clocks = SystemClocks()
        if let at = startAt {
            start = at
        } else {
            let now = clocks.pairNow()
            start = now.atWall(now.wall + settings.startDelayNanoseconds)
        }
        let finished = StopSignal()
        let scheduler = Scheduler(tracks: tracks, clock: MonotonicClock(), spinNanoseconds: settings.spinNanoseconds)
        let job = PacingJob(scheduler: scheduler, start: start.monotonic, stop: stop, finished: finished)
        self.job = job
        let settings = self.settings
        let thread: OSThread
        do throws(SystemError) {
            thread = try OSThread {
                do throws(SystemError) {
                    try ThreadTuning.setTimerSlack(nanoseconds: 1)
                } catch {
                    note(.timerSlackUnavailable(error))
                }
                if settings.realtime {
                    do throws(SystemError) {
                        try ThreadTuning.requestRealtimePriority()
                    } catch {
                        note(.realtimeUnavailable(error))
                    }
                }
                job.run()
            }
        } catch {
            throw .thread(error)
        }
        let start = self.start
        let stop = self.stop
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
            thread.join()
            throw .thread(error)
        }
        var nextStatus = start.monotonic + statusInterval
        while !finished.isStopped {
            let wake = min(nextStatus, clocks.monotonicNow() + 50_000_000)
            clocks.sleep(untilMonotonic: wake)
            let time = clocks.monotonicNow()
            if time >= nextStatus && !finished.isStopped {
                status(Double(time - start.monotonic) / 1e9, false)
                nextStatus += statusInterval
            }
        }
        thread.join()
        reporting?.join()
        status(Double(clocks.monotonicNow() - start.monotonic) / 1e9, true)
    }
}

/// What the pacing thread runs; @unchecked because the scheduler and its tracks belong to that thread
/// alone from the moment it starts until it is joined.
private final class PacingJob: @unchecked Sendable {
    let scheduler: Scheduler<MonotonicClock>
    let start: Int64
    let stop: StopSignal
    let finished: StopSignal
    /// Written by the pacing thread before it signals `finished`, read after the join.
    var cpuNanoseconds: Int64 = 0

    init(scheduler: Scheduler<MonotonicClock>, start: Int64, stop: StopSignal, finished: StopSignal) {
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
