import Glibc

/// Turns SIGINT and SIGTERM into a call on a thread of its own, with sigwait(3).
///
/// `start` blocks both signals in the calling thread (call it first thing in main, before any thread starts, so
/// every thread inherits the mask); the watcher thread then receives them one at a time.
public enum SignalWatcher {
    /// Blocks SIGINT and SIGTERM and starts a thread that calls `handler` with the signal number each time one comes.
    public static func start(_ handler: @escaping @Sendable (Int32) -> Void) throws {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        let result = pthread_sigmask(SIG_BLOCK, &set, nil)
        guard result == 0 else { throw SystemError("pthread_sigmask", errno: result) }
        let watched = set
        _ = try OSThread {
            var signals = watched
            while true {
                var number: Int32 = 0
                if sigwait(&signals, &number) == 0 { handler(number) }
            }
        }
    }
}
