import CPlatformShims
import Glibc

/// A dedicated OS thread (pthread_create(3)) for work that must wake on time, joined with `join()`.
///
/// Swift concurrency's cooperative pool has one thread per core and must not block; pacing sleeps, so it
/// gets a thread of its own.
public final class OSThread: @unchecked Sendable {
    // @unchecked: `thread` is written once in init, before any other access.
    private var thread = pthread_t()

    /// Starts `body` on a new thread.
    public init(_ body: @escaping @Sendable () -> Void) throws(SystemError) {
        let box = Unmanaged.passRetained(Box(body))
        let result = pthread_create(
            &thread, nil,
            { argument in
                guard let argument else { return nil }
                let box = Unmanaged<Box>.fromOpaque(argument).takeRetainedValue()
                box.body()
                return nil
            }, box.toOpaque())
        guard result == 0 else {
            box.release()
            throw SystemError("pthread_create", errno: result)
        }
    }

    /// Waits for the thread to finish (pthread_join(3)).
    public func join() {
        pthread_join(thread, nil)
    }

    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}

/// Settings of the calling thread.
public enum ThreadTuning {
    /// Sets the calling thread's timer slack with prctl(PR_SET_TIMERSLACK); the default 50 us delays every wake-up.
    public static func setTimerSlack(nanoseconds: Int) throws(SystemError) {
        guard shim_set_timer_slack(UInt(nanoseconds)) == 0 else { throw SystemError("prctl PR_SET_TIMERSLACK") }
    }

    /// Asks for SCHED_FIFO at `priority` with pthread_setschedparam(3); fails without CAP_SYS_NICE or an rtprio limit.
    public static func requestRealtimePriority(_ priority: Int32 = 50) throws(SystemError) {
        let result = shim_set_fifo_priority(priority)
        guard result == 0 else { throw SystemError("pthread_setschedparam SCHED_FIFO", errno: result) }
    }
}

/// The CPUs this process may run on now.
public enum ProcessorCount {
    public static var online: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
