import Foundation
import Testing

/// A real program a test runs: found on PATH, or missing with a clear reason.
///
/// Missing programs skip their tests, so `swift test` passes on a fresh machine; with
/// AUDIOSTREAMER_REQUIRE_TOOLS=1 (set by .ci/run) a missing program fails the test instead.
enum ExternalTool: String, CaseIterable {
    case ffmpeg
    case gstLaunch = "gst-launch-1.0"
    case tshark
    case ptp4l
    case pipewire
    case chromium = "chromium-headless-shell"
    case nft

    static var required: Bool { ProcessInfo.processInfo.environment["AUDIOSTREAMER_REQUIRE_TOOLS"] == "1" }

    /// The program's full path, if it is on PATH.
    var path: String? {
        // linuxptp installs in sbin, which a user's PATH may lack.
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
        return folders.map { "\($0)/\(rawValue)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether a test that needs this program should run: it is there, or CI requires it (and the test will fail).
    var shouldRun: Bool { path != nil || Self.required }

    /// The program's path, or a recorded failure naming what is missing.
    func require() throws -> String {
        try #require(path, "\(rawValue) is not installed (AUDIOSTREAMER_REQUIRE_TOOLS=1 makes that a failure)")
    }

    /// The trait that skips a test when the program is missing and CI does not require it.
    var trait: ConditionTrait {
        .enabled(if: shouldRun, "\(rawValue) is not installed; install it (see .ci/run) to run this test")
    }
}
