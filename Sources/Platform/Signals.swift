import Glibc

/// Turns the signals that end a run into calls on a thread of its own, with sigwait(3).
///
/// `start` blocks them in the calling thread (call it first thing in main, before any thread starts, so every
/// thread inherits the mask); the watcher thread then receives them one at a time. SIGPIPE is ignored, so a closed
/// stdout or stderr makes writes fail instead of ending the process.
public enum SignalWatcher {
    /// A signal that asks a run to end.
    public enum Signal: Sendable, Hashable, CustomStringConvertible {
        /// SIGINT (Ctrl-C).
        case interrupt
        /// SIGTERM.
        case terminate
        /// SIGHUP: the terminal closed.
        case hangUp
        /// SIGQUIT (Ctrl-\).
        case quit

        init?(_ number: Int32) {
            switch number {
            case SIGINT: self = .interrupt
            case SIGTERM: self = .terminate
            case SIGHUP: self = .hangUp
            case SIGQUIT: self = .quit
            default: return nil
            }
        }

        var number: Int32 {
            switch self {
            case .interrupt: SIGINT
            case .terminate: SIGTERM
            case .hangUp: SIGHUP
            case .quit: SIGQUIT
            }
        }

        public var description: String {
            switch self {
            case .interrupt: "SIGINT"
            case .terminate: "SIGTERM"
            case .hangUp: "SIGHUP"
            case .quit: "SIGQUIT"
            }
        }

        /// The status a shell reports for a process this signal ended: 128 + its number.
        public var exitStatus: Int32 { 128 + number }
    }

    /// Blocks SIGINT, SIGTERM, SIGHUP and SIGQUIT, ignores SIGPIPE, and starts a thread that calls `handler` with
    /// each of the first as it comes.
    public static func start(_ handler: @escaping @Sendable (Signal) -> Void) throws {
        signal(SIGPIPE, SIG_IGN)
        var set = sigset_t()
        sigemptyset(&set)
        for watched in [Signal.interrupt, .terminate, .hangUp, .quit] { sigaddset(&set, watched.number) }
        let result = pthread_sigmask(SIG_BLOCK, &set, nil)
        guard result == 0 else { throw SystemError("pthread_sigmask", errno: result) }
        let watched = set
        _ = try OSThread {
            var signals = watched
            while true {
                var number: Int32 = 0
                if sigwait(&signals, &number) == 0, let received = Signal(number) { handler(received) }
            }
        }
    }

    /// Ends the process now with `status`, running no cleanup: for a user who asked to stop at once.
    public static func exitNow(_ status: Int32) -> Never {
        _exit(status)
    }
}
