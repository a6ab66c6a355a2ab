import Foundation
import Glibc
import Testing

/// A program running beside the test, its output collected in files; stopped if the test forgets it.
///
/// Spawned with posix_spawn(3) and a clean signal state (nothing blocked, SIGINT and SIGTERM at their
/// defaults): a test runner may block signals, and children inherit that, so receivers such as
/// gst-launch would never see the SIGINT that stops them cleanly.
final class Subprocess {
    let pid: pid_t
    let outputURL: URL
    let errorURL: URL
    let command: String
    private var status: Int32?

    init(_ executable: String, _ arguments: [String], in folder: URL, label: String) throws {
        outputURL = folder.appendingPathComponent("\(label).stdout")
        errorURL = folder.appendingPathComponent("\(label).stderr")
        command = ([executable] + arguments).joined(separator: " ")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child = pid_t()
        let result = folder.path.withCString { directory in
            // posix_spawn has no working-directory action in this libc's Swift view; chdir around it.
            let previous = FileManager.default.currentDirectoryPath
            chdir(directory)
            defer { chdir(previous) }
            return posix_spawn(&child, executable, &actions, &attributes, &argv, environ)
        }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        pid = child
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            _ = reap(blocking: true)
        }
    }

    var standardOutput: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "" }

    var isRunning: Bool { reap(blocking: false) == nil }

    /// Collects the exit status with waitpid(2); nil while the child runs.
    private func reap(blocking: Bool) -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, blocking ? 0 : WNOHANG)
        guard result == pid else { return nil }
        // Exit code, or 128 + signal number as shells report it.
        let signal = raw & 0x7F
        status = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
        return status
    }

    /// Waits up to `seconds` for the process to end; returns its exit status, or nil if it is still running.
    @discardableResult
    func wait(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let status = reap(blocking: false) { return status }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return reap(blocking: false)
    }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Sends SIGINT (a receiver's clean stop) and waits up to `seconds`; kills it if it will not stop.
    @discardableResult
    func interrupt(waiting seconds: Double = 10) -> Int32 {
        send(SIGINT)
        if let status = wait(seconds: seconds) { return status }
        Issue.record("\(command) ignored SIGINT for \(seconds) s")
        kill(pid, SIGKILL)
        return reap(blocking: true) ?? -1
    }

    /// Runs a program to its end (at most `timeout` seconds) and returns its status and output.
    static func run(_ executable: String, _ arguments: [String], in folder: URL, label: String, timeout: Double = 60)
        throws -> (status: Int32, output: String, error: String)
    {
        let child = try Subprocess(executable, arguments, in: folder, label: label)
        guard let status = child.wait(seconds: timeout) else {
            child.interrupt(waiting: 1)
            Issue.record("\(child.command) did not finish within \(timeout) s")
            return (-1, child.standardOutput, child.standardError)
        }
        return (status, child.standardOutput, child.standardError)
    }
}

/// The audiostreamer executable the end-to-end tests run: a release build.
///
/// These tests stream in real time and judge timing, and a debug build's unoptimised packet path would measure the
/// optimiser's absence, not the design (16 tracks from a debug build spread by a median 105 us where the release
/// build keeps 40). So the first test that needs the program builds it once with `swift build -c release` into a
/// scratch folder of its own inside `.build` (incremental: seconds when nothing changed), and every test runs that.
/// AUDIOSTREAMER_EXECUTABLE names another build to run instead.
enum BuiltProduct {
    static let audiostreamer: String = {
        if let given = ProcessInfo.processInfo.environment["AUDIOSTREAMER_EXECUTABLE"], !given.isEmpty { return given }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let scratch = root.appendingPathComponent(".build/end-to-end")
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        guard
            let swift = folders.map({ "\($0)/swift" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }
            )
        else {
            Issue.record("swift is not on PATH: the end-to-end tests cannot build the release executable")
            return "/nonexistent/audiostreamer"
        }
        let started = Date()
        do {
            let build = try Subprocess.run(
                swift,
                [
                    "build", "-c", "release", "--product", "audiostreamer", "--package-path", root.path,
                    "--scratch-path", scratch.path,
                ], in: root, label: ".build/end-to-end-build", timeout: 900)
            guard build.status == 0 else {
                Issue.record("swift build -c release failed (exit \(build.status)):\n\(build.output)\n\(build.error)")
                return "/nonexistent/audiostreamer"
            }
        } catch {
            Issue.record("swift build -c release could not start: \(error)")
            return "/nonexistent/audiostreamer"
        }
        print("end-to-end tests: release build ready after \(Int(Date().timeIntervalSince(started))) s")
        return scratch.appendingPathComponent("release/audiostreamer").path
    }()
}

/// A fresh folder for one test's files, removed when released.
final class ScratchFolder {
    let url: URL

    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "audiostreamer-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// Waits until some process has a UDP socket bound to `port` (read from /proc/net/udp and udp6).
func waitForUDPListener(port: Int, seconds: Double = 10) -> Bool {
    let suffix = String(format: ":%04X", port)
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        for table in ["/proc/net/udp", "/proc/net/udp6"] {
            let text = (try? String(contentsOfFile: table, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                if fields.count > 1, fields[1].hasSuffix(suffix) { return true }
            }
        }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return false
}
