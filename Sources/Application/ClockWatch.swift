import Interfaces
import JSON
import Numbers
import PCM
import PTP
import Planning
import Platform
import RTP
import SDP
import Sender
import WAV

extension SendProgram {
    /// The NTP server the local daemon is configured with, if any (chrony, ntpd, systemd-timesyncd).
    static func configuredNTPServer() -> String? {
        let configurations = [
            "/etc/chrony/chrony.conf", "/etc/chrony.conf", "/etc/ntpsec/ntp.conf", "/etc/ntp.conf",
            "/etc/systemd/timesyncd.conf",
        ]
        for path in configurations {
            if let text = FileSystem.readText(path), let server = ReferenceClock.configuredServer(in: text) {
                return server
            }
        }
        return nil
    }
}

/// Watches for a change of the clock's synchronisation: reported once when it is lost, once when it is found.
public struct ClockWatch: Sendable, Hashable {
    public private(set) var synchronized: Bool

    public init(synchronized: Bool) {
        self.synchronized = synchronized
    }

    /// Whether `status` differs from what was last seen; remembers it.
    public mutating func changed(to status: ClockSyncStatus) -> Bool {
        guard status.isSynchronized != synchronized else { return false }
        synchronized = status.isSynchronized
        return true
    }
}

/// A clock status given by a script instead of the kernel, for tests: `synchronized` or `unsynchronized`, or the
/// path of a file holding one of those words, read again at every call (nil while it cannot be read: no news).
/// Any other word leaves the kernel's status.
public struct ScriptedClockSync: ClockSyncReader {
    public let script: String

    public init(script: String) {
        self.script = script
    }

    public func read() -> ClockSyncStatus? {
        var word = script
        if script.hasPrefix("/") {
            guard let first = FileSystem.readText(script)?.split(whereSeparator: \.isWhitespace).first else {
                return nil
            }
            word = String(first)
        }
        return switch word {
        case "synchronized":
            ClockSyncStatus(isSynchronized: true, estimatedErrorMicroseconds: 0, maximumErrorMicroseconds: 0)
        case "unsynchronized":
            ClockSyncStatus(
                isSynchronized: false, estimatedErrorMicroseconds: 16_000_000, maximumErrorMicroseconds: 16_000_000)
        default: KernelClockSync().read()
        }
    }
}
