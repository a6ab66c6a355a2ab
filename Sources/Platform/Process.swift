import CPlatformShims
import Glibc

/// CPU time and memory of this process, from getrusage(2).
public struct ResourceUsage: Sendable, Hashable {
    /// User plus system CPU time in nanoseconds.
    public var cpuNanoseconds: Int64
    /// Peak resident set size in bytes.
    public var peakResidentBytes: Int

    /// Reads getrusage(RUSAGE_SELF).
    public static func current() -> ResourceUsage {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        let user = Int64(usage.ru_utime.tv_sec) * 1_000_000_000 + Int64(usage.ru_utime.tv_usec) * 1000
        let system = Int64(usage.ru_stime.tv_sec) * 1_000_000_000 + Int64(usage.ru_stime.tv_usec) * 1000
        return ResourceUsage(cpuNanoseconds: user + system, peakResidentBytes: Int(usage.ru_maxrss) * 1024)
    }
}

/// CPU time the calling thread has used, from clock_gettime(CLOCK_THREAD_CPUTIME_ID), in nanoseconds.
public func currentThreadCPUNanoseconds() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}

/// The process's standard streams and environment.
public enum Console {
    /// Writes `text` to standard error with write(2), unbuffered.
    public static func error(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(2, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Writes `text` to standard output, unbuffered.
    public static func output(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(1, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Whether standard error is a terminal (isatty(3)).
    public static var errorIsTerminal: Bool { isatty(2) == 1 }

    /// An environment variable (getenv(3)).
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The process ID.
    public static var processID: Int { Int(getpid()) }

    /// Ends the process with `code` (exit(3)).
    public static func exit(_ code: Int32) -> Never {
        Glibc.exit(code)
    }
}

/// Random numbers from the kernel (getrandom(2)), for SSRCs and initial sequence numbers (RFC 3550 section 8).
public struct SystemRandomSource: RandomNumberGenerator, Sendable {
    public init() {}

    public mutating func next() -> UInt64 {
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { raw in
            var filled = 0
            while filled < raw.count {
                let got = shim_random_bytes(raw.baseAddress.map { $0 + filled }, raw.count - filled)
                if got > 0 { filled += got }
            }
        }
        return value
    }
}

/// The kernel's view of clock synchronisation, from adjtimex(2).
public struct ClockSyncStatus: Sendable, Hashable {
    public var isSynchronized: Bool
    public var estimatedErrorMicroseconds: Int
    public var maximumErrorMicroseconds: Int

    /// Reads adjtimex(2): synchronised when the state is not TIME_ERROR and STA_UNSYNC is clear.
    public static func current() -> ClockSyncStatus {
        var estimated = 0
        var maximum = 0
        let synchronized = shim_ntp_state(&estimated, &maximum)
        return ClockSyncStatus(
            isSynchronized: synchronized == 1, estimatedErrorMicroseconds: estimated, maximumErrorMicroseconds: maximum)
    }

    public init(isSynchronized: Bool, estimatedErrorMicroseconds: Int, maximumErrorMicroseconds: Int) {
        self.isSynchronized = isSynchronized
        self.estimatedErrorMicroseconds = estimatedErrorMicroseconds
        self.maximumErrorMicroseconds = maximumErrorMicroseconds
    }
}

/// Runs copies of a program at once (posix_spawnp(3)) and reports what they used: CPU from wait4(2), memory from
/// /proc while they run. wait4's ru_maxrss will not do: the kernel counts in it the memory of the process that
/// spawned the child, which for a benchmark dwarfs a small program's own.
public enum ChildProcesses {
    public struct Usage: Sendable {
        public var cpuNanoseconds: Int64
        /// The largest peak RSS of any one of them (VmHWM): shared library pages count in full in each.
        public var peakResidentBytes: Int
        /// The most memory they held together (the sum of their PSS, shared pages split among their users), at
        /// the 20 ms steps it was read at.
        public var peakProportionalBytes: Int
        public var wallSeconds: Double
    }

    /// Starts `count` copies of `arguments` (found on PATH) and waits for all of them. Their standard output goes
    /// to /dev/null, and their standard error too when `quiet`.
    public static func run(count: Int, arguments: [String], quiet: Bool = false) throws -> Usage {
        let clock = MonotonicClock()
        let start = clock.now()
        var children: [pid_t] = []
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        if quiet { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        for _ in 0..<count {
            var pid = pid_t()
            let result = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
            guard result == 0 else { throw SystemError("posix_spawnp \(arguments[0])", errno: result) }
            children.append(pid)
        }
        var usage = Usage(cpuNanoseconds: 0, peakResidentBytes: 0, peakProportionalBytes: 0, wallSeconds: 0)
        var running = children
        while !running.isEmpty {
            // VmHWM only grows, so the last reading before a child ends is its peak to within one 20 ms step.
            var together = 0
            for pid in running {
                usage.peakResidentBytes = max(
                    usage.peakResidentBytes, kibibytes("VmHWM:", in: "/proc/\(pid)/status").map { $0 * 1024 } ?? 0)
                together += (kibibytes("Pss:", in: "/proc/\(pid)/smaps_rollup") ?? 0) * 1024
            }
            usage.peakProportionalBytes = max(usage.peakProportionalBytes, together)
            running.removeAll { pid in
                var status: Int32 = 0
                var resources = rusage()
                let result = wait4(pid, &status, WNOHANG, &resources)
                if result < 0 { return errno != EINTR }  // not our child any more (ECHILD): nothing to wait for
                guard result == pid else { return false }
                usage.cpuNanoseconds +=
                    (Int64(resources.ru_utime.tv_sec) + Int64(resources.ru_stime.tv_sec)) * 1_000_000_000
                    + (Int64(resources.ru_utime.tv_usec) + Int64(resources.ru_stime.tv_usec)) * 1000
                return true
            }
            if !running.isEmpty { clock.sleep(until: clock.now() + 20_000_000) }
        }
        usage.wallSeconds = Double(clock.now() - start) / 1e9
        return usage
    }

    /// The number after `label` in a /proc file of "Label:   1234 kB" lines, or nil when the file or line is
    /// missing (a process that has ended).
    static func kibibytes(_ label: String, in path: String) -> Int? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 8192)
        var length = 0
        while length < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                let rest = UnsafeMutableRawBufferPointer(rebasing: buffer[length...])
                return read(descriptor, rest.baseAddress, rest.count)
            }
            if count <= 0 { break }
            length += count
        }
        let text = String(decoding: bytes[0..<length], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(label) }) else { return nil }
        return line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { Int($0) }
    }
}
