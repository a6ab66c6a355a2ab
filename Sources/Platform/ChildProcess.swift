import Glibc

/// A program started with posix_spawnp(3), its standard output (and, when quiet, its standard error) going to
/// /dev/null, reaped with wait4(2).
public final class ChildProcess {
    public let pid: Int32
    /// The CPU time it used, user and system, once it has ended.
    public private(set) var cpuNanoseconds: Int64?
    /// Of that, the time in user space and in the kernel.
    public private(set) var userNanoseconds: Int64 = 0
    public private(set) var systemNanoseconds: Int64 = 0
    /// How it ended: its exit status, or 128 + the signal that ended it.
    public private(set) var status: Int32?

    /// Starts `arguments` (the first one found on PATH); its standard error to `errorPath` and its standard output
    /// to `outputPath` where given.
    public init(arguments: [String], quiet: Bool = false, errorPath: String? = nil, outputPath: String? = nil)
        throws
    {
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(
            &actions, 1, outputPath ?? "/dev/null", outputPath == nil ? O_WRONLY : O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let errorPath {
            posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else if quiet {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        var child = pid_t()
        let result = posix_spawnp(&child, arguments.first ?? "", &actions, nil, &argv, environ)
        guard result == 0 else { throw SystemError("posix_spawnp \(arguments.first ?? "")", errno: result) }
        pid = child
    }

    /// Whether it has ended; reaps it without waiting (wait4(2) WNOHANG) and keeps its CPU time when it has.
    public func hasEnded() -> Bool {
        if cpuNanoseconds != nil { return true }
        var status: Int32 = 0
        var resources = rusage()
        guard case .returned(let reaped) = retryingInterrupts({ wait4(pid, &status, WNOHANG, &resources) }) else {
            cpuNanoseconds = 0  // not our child any more (ECHILD): nothing to wait for
            return true
        }
        guard reaped == pid else { return false }
        cpuNanoseconds = resources.cpuNanoseconds
        userNanoseconds = resources.userNanoseconds
        systemNanoseconds = resources.systemNanoseconds
        self.status = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return true
    }

    /// The number after `label` in one of this process's /proc files of "Label:   1234 kB" lines (`status`,
    /// `smaps_rollup`), or nil when the file or line is missing (a process that has ended).
    public func procKibibytes(_ label: String, file: String) -> Int? {
        guard let text = FileSystem.readText("/proc/\(pid)/\(file)", limit: 1 << 16) else { return nil }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(label) }) else { return nil }
        return line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { Int($0) }
    }
}
