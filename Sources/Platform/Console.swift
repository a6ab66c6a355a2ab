import CPlatformShims
import Glibc
import Synchronization

/// The process's standard streams and environment.
public enum Console {
    /// Writes `text` to standard error with write(2), unbuffered. A block `redraw` drew stays above it; an empty
    /// text writes nothing, and the block can still be drawn in place.
    public static func error(_ text: String) {
        guard !text.isEmpty else { return }
        block.withLock { drawn in
            drawn = 0
            write(text, to: 2)
        }
    }

    /// Lines the last block `redraw` drew left at the bottom of standard error; 0 once anything else is written.
    private static let block = Mutex<Int>(0)

    /// Draws `lines` on standard error (a terminal) in place of the block it drew last, where nothing was written
    /// after that one; below any other text where something was.
    public static func redraw(_ lines: [String]) {
        block.withLock { drawn in
            write(blockText(lines, replacing: drawn), to: 2)
            drawn = lines.count
        }
    }

    /// The terminal text that draws `lines` over the `drawn` lines above the cursor: back up over them, each line
    /// cleared and written, and the lines a longer last block leaves below cleared.
    public static func blockText(_ lines: [String], replacing drawn: Int) -> String {
        var out = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
        out += lines.map { "\r\u{1B}[K" + $0 + "\n" }.joined()
        if drawn > lines.count {
            out += String(repeating: "\r\u{1B}[K\n", count: drawn - lines.count) + "\u{1B}[\(drawn - lines.count)A"
        }
        return out
    }

    /// Writes `text` to standard output, unbuffered.
    public static func output(_ text: String) {
        write(text, to: 1)
    }

    /// Set once a write found its reader gone (EPIPE): nothing more is written there.
    /// Bit 1 for standard output, bit 2 for standard error.
    private static let closed = Atomic<Int>(0)

    private static func write(_ text: String, to descriptor: Int32) {
        let bit = descriptor == 1 ? 1 : 2
        guard closed.load(ordering: .relaxed) & bit == 0 else { return }
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let result = retryingInterrupts {
                    Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                }
                switch result {
                case .returned(let written) where written > 0: offset += written
                case .returned: return
                case .failed(let errno):
                    if errno == EPIPE { closed.bitwiseOr(bit, ordering: .relaxed) }
                    return
                }
            }
        }
    }

    /// Whether standard error is a terminal (isatty(3)).
    public static var errorIsTerminal: Bool { isatty(2) == 1 }

    /// The rows of the terminal standard error is (ioctl TIOCGWINSZ, through CPlatformShims), nil when it is none.
    public static var errorTerminalRows: Int? {
        let rows = shim_terminal_rows(2)
        return rows > 0 ? Int(rows) : nil
    }

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
            // getrandom(2) without flags fails only when interrupted (EINTR); any other failure is tried again too.
            while filled < raw.count {
                let result = retryingInterrupts {
                    shim_random_bytes(raw.baseAddress.map { $0 + filled }, raw.count - filled)
                }
                if case .returned(let got) = result, got > 0 { filled += got }
            }
        }
        return value
    }
}

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
        return ResourceUsage(cpuNanoseconds: usage.cpuNanoseconds, peakResidentBytes: Int(usage.ru_maxrss) * 1024)
    }
}

extension rusage {
    /// User plus system time in nanoseconds.
    var cpuNanoseconds: Int64 { userNanoseconds + systemNanoseconds }
    var userNanoseconds: Int64 { Int64(ru_utime.tv_sec) * 1_000_000_000 + Int64(ru_utime.tv_usec) * 1000 }
    var systemNanoseconds: Int64 { Int64(ru_stime.tv_sec) * 1_000_000_000 + Int64(ru_stime.tv_usec) * 1000 }
}

/// The account this process runs as.
public enum UserAccount {
    /// Its login name, from the password database (getpwuid(3) of geteuid(2)); nil where it has none.
    public static func name() -> String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        let text = String(cString: name)
        return text.isEmpty ? nil : text
    }
}
